/**
 * Journey 11: the county cockpit on the demo history (`seed-demo --history`). The supervisor
 * sees the county's figures, drills from a town's overdue count to exactly the cases behind
 * it, exports that list and the 督办台账 to .xlsx (read back here: the same rows); a town lead
 * sees only their own town.
 */
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../support/browser';
import { DEMO_PASSWORD, shoot, signedInClient, startWorld, type World } from '../support/fixture';
import { authHeaders } from '../support/deviceProof';
import { apiLogin } from '../support/hub';

interface DrillAnswer {
  total: number;
  cases: Array<{ id: string; officialNo: string | null; provisionalNo: string }>;
}

async function sheetRows(path: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow((row) => {
    const values = (row.values as unknown[])
      .slice(1)
      .map((v) => (v === null || v === undefined ? '' : String(v)));
    rows.push(values);
  });
  return rows;
}

async function download(p: Page, click: () => Promise<void>): Promise<string> {
  const [dl] = await Promise.all([p.waitForEvent('download'), click()]);
  const path = await dl.path();
  if (!path) throw new Error('download failed');
  return path;
}

describe('journey 11: the cockpit, drill-down and ledgers on the demo history', () => {
  let w: World;
  let sup: Client;
  let town: Client;

  beforeAll(async () => {
    w = await startWorld();
    // The demo history through the CLI, next to the running hub (its store is attached).
    const out = w.hub.cli(['seed-demo', '--history', '--days', '60']) as {
      history: { cases: number; refused: number };
    };
    expect(out.history.cases).toBeGreaterThan(200);
    expect(out.history.refused).toBe(0);
    sup = await signedInClient(w, 'county-sx', '县督办电脑', 'sup');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('the supervisor sees the county figures', async () => {
    const p = sup.page;
    await p.click('[data-testid=nav-cockpit]');
    // The scope's name arrives with the figures; a failed read shows why.
    await expect
      .poll(
        async () =>
          (await p.locator('[data-testid=cockpit-scope]').textContent()) +
          ((await p
            .locator('[data-testid=cockpit-offline]')
            .textContent({ timeout: 100 })
            .catch(() => '')) ?? ''),
        { timeout: 90_000 },
      )
      .toBe('示县驾驶舱');
    const received = Number(
      await p.locator('[data-testid=figure-received] .ant-statistic-content-value').textContent(),
    );
    expect(received).toBeGreaterThan(100);
    expect(await p.locator('[data-testid=rate-on-time]').textContent()).toMatch(/\d+\.\d%/);
    expect(await p.locator('[data-testid=stale-devices]').textContent()).toContain(
      '柳塘村便民服务点 1号机',
    );
    await p.waitForSelector('[data-testid=trend-chart] canvas');
    await shoot(p, '11-cockpit', true);
    // Offline: the last figures stay, with the time they are from.
    const asOf = await p.locator('[data-testid=cockpit-as-of]').textContent();
    await sup.context.setOffline(true);
    try {
      await p.click('[data-testid=cockpit-refresh]');
      await expect
        .poll(() => p.locator('[data-testid=cockpit-offline]').textContent(), { timeout: 30_000 })
        .toMatch(/无法连接中心服务器，显示的是 .+ 的数据/);
      expect(await p.locator('[data-testid=cockpit-as-of]').textContent()).toBe(asOf);
      expect(
        Number(
          await p
            .locator('[data-testid=figure-received] .ant-statistic-content-value')
            .textContent(),
        ),
      ).toBe(received);
    } finally {
      await sup.context.setOffline(false);
    }
    await p.click('[data-testid=cockpit-refresh]');
    await expect
      .poll(() => p.locator('[data-testid=cockpit-offline]').count(), { timeout: 30_000 })
      .toBe(0);
  });

  it("drills from a town's overdue count to exactly the cases behind it and exports them", async () => {
    const p = sup.page;
    const cell = p.locator('[data-testid=cell-town-town-dq-overdueOpen]');
    await cell.scrollIntoViewIfNeeded();
    const shown = Number(await cell.textContent());
    expect(shown).toBeGreaterThan(0);
    await cell.click();
    await expect
      .poll(() => p.locator('[data-testid=drill-summary]').textContent(), { timeout: 30_000 })
      .toContain(`共 ${shown} 件`);
    await expect
      .poll(() => p.locator('[data-testid=drill-table] tbody tr.ant-table-row').count())
      .toBe(Math.min(shown, 50));
    // The exact cases: the hub's answer for the same number, through the API.
    const api = await apiLogin(w.hub, 'county-sx', 'sup', DEMO_PASSWORD);
    const res = await fetch(
      `${w.hub.url}/api/figures/cases?metric=overdueOpen&dim=town&key=town-dq&limit=2000`,
      { headers: authHeaders(api.accessToken) },
    );
    const answer = (await res.json()) as DrillAnswer;
    expect(answer.total).toBe(shown);
    const file = await download(p, () => p.click('[data-testid=drill-export]'));
    const rows = await sheetRows(file);
    expect(rows[0]![0]).toBe('东桥镇 · 超期在办');
    expect(rows[2]!.slice(0, 3)).toEqual(['办件编号', '承诺日期', '事项']);
    const numbers = rows.slice(3).map((r) => r[0]);
    expect(numbers.sort()).toEqual(answer.cases.map((c) => c.officialNo ?? c.provisionalNo).sort());
    // The supervisor's role sees identities masked, in the file too.
    for (const r of rows.slice(3)) expect(r[7]).toMatch(/\*/);
    await shoot(p, '11-drill-down');
    await p.keyboard.press('Escape');
  });

  it('exports the 督办台账 with the same rows as on screen', async () => {
    const p = sup.page;
    await p.click('[data-testid=nav-ledgers]');
    await p.click('[data-testid=ledger-tab-supervision]');
    const table = p.locator('[data-testid=ledger-supervision]');
    await expect
      .poll(() => table.locator('tbody tr.ant-table-row').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const onScreen = await table.locator('tbody tr.ant-table-row td:first-child').allTextContents();
    const file = await download(p, () => p.click('[data-testid=ledger-export]'));
    const rows = await sheetRows(file);
    expect(rows[0]![0]).toBe('督办台账');
    expect(rows[2]).toEqual([
      '办件编号',
      '事项',
      '镇街',
      '被督办单位',
      '承诺办结日期',
      '督办时间',
      '督办状态',
      '办件状态',
    ]);
    expect(rows.slice(3, 3 + onScreen.length).map((r) => r[0])).toEqual(onScreen);
    expect(new Set(rows.slice(3).map((r) => r[6]))).toEqual(new Set(['未结', '已结']));
    await shoot(p, '11-ledger-supervision');
    await p.click('[data-testid=ledger-tab-ratings]');
    await expect
      .poll(() => p.locator('[data-testid=ledger-ratings]').textContent(), { timeout: 30_000 })
      .toMatch(/回访办结|反馈|整改|核实|待核实/);
  });

  it('a town lead sees only their own town', async () => {
    town = await signedInClient(w, 'town-xh', '西湖街道便民服务中心', 't.xh');
    const p = town.page;
    await p.click('[data-testid=nav-cockpit]');
    await expect
      .poll(() => p.locator('[data-testid=cockpit-scope]').textContent(), { timeout: 60_000 })
      .toBe('西湖街道驾驶舱');
    expect(await p.locator('[data-testid=rank-tab-town]').count()).toBe(0);
    const villages = await p
      .locator('[data-testid=rank-village] tbody td:first-child')
      .allTextContents();
    expect(villages.sort()).toEqual(['湖滨社区', '荷塘社区']);
    // 柳塘村 (东桥镇) is offline, but not this town's business.
    expect(await p.locator('[data-testid=stale-devices]').textContent()).not.toContain('柳塘村');
    await shoot(p, '11-cockpit-town');
  });
});
