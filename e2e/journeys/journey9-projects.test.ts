import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Client } from '../support/browser';
import { shoot, signedInClient, startWorld, type World } from '../support/fixture';

const PARK = 'project-demo-dq-smart-park';

async function openProjects(p: Page): Promise<void> {
  await p.click('[data-testid=nav-projects]');
  await expect
    .poll(() => p.locator('[data-testid^=project-row-]').count(), { timeout: 30_000 })
    .toBeGreaterThan(0);
}

async function openProject(p: Page, id: string): Promise<void> {
  await openProjects(p);
  await p.click(`[data-testid=project-row-${id}]`);
  await p.waitForSelector('[data-testid=project-page]');
}

async function tab(p: Page, name: string): Promise<void> {
  await p.getByRole('tab', { name }).click();
}

async function addLog(p: Page, text: string): Promise<void> {
  await tab(p, '审批工作日志');
  await p.fill('[data-testid=log-done]', text);
  await p.click('[data-testid=log-submit]');
  await p.locator('[data-testid=log-entry]', { hasText: text }).waitFor({ timeout: 10_000 });
}

describe('journey 9: a major project worked by its 1+1+N team', () => {
  let w: World;
  let centre: Client;
  let town: Client;
  let sup: Client;

  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('the centre agent opens a demo project, lists a matter and logs work', async () => {
    centre = await signedInClient(w, 'county-sx', '县便民服务中心', 'c.agent');
    const p = centre.page;
    await openProjects(p);
    expect(await p.locator('[data-testid^=project-row-]').count()).toBe(3);
    await shoot(p, '18-project-list');
    await p.click(`[data-testid=project-row-${PARK}]`);
    await p.waitForSelector('[data-testid=project-page]');
    await p.waitForSelector('[data-testid=project-team]');
    await shoot(p, '19-project-team');

    await tab(p, '审批事项清单');
    const rows = p.locator('[data-testid=project-matters] .ant-table-tbody tr.ant-table-row');
    const before = await rows.count();
    await p.click('[data-testid=matter-pick]');
    await p.keyboard.type('竣工联合验收');
    await p.keyboard.press('Enter');
    await p.getByRole('button', { name: '加入清单' }).click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(before + 1);
    const listText = await p.locator('[data-testid=project-matters]').textContent();
    expect(listText).toContain('工程建设项目竣工联合验收');
    expect(listText).toContain('模拟审批');
    await shoot(p, '20-project-matters', true);

    await tab(p, '审批流程图');
    await p.waitForSelector('[data-testid=project-flow-chart]');
    await shoot(p, '21-project-flow-chart', true);
    await tab(p, '倒排时间表');
    await p.waitForSelector('[data-testid=project-timetable]');
    // The demo park's 用地预审 is past its latest start: a 督办 warning.
    expect(await p.locator('[data-testid=schedule-warning]').count()).toBeGreaterThan(0);
    await shoot(p, '22-project-timetable', true);

    await addLog(p, '中心：与自然资源局会商用地预审材料');
    await shoot(p, '23-project-log');
    await tab(p, '周工作计划');
    await p.waitForSelector('[data-testid=project-plan]');
    await shoot(p, '24-project-plan');
  });

  it('a town lead logs work offline; both entries survive on both PCs after sync', async () => {
    town = await signedInClient(w, 'town-dq', '东桥镇便民服务中心', 't.dq');
    const t = town.page;
    const c = centre.page;
    await openProject(t, PARK);
    await town.context.setOffline(true);
    await addLog(t, '镇街：现场踏勘红线范围（离线记录）');
    await addLog(c, '中心：催办环评批复');
    await town.context.setOffline(false);
    for (const p of [t, c]) {
      for (const text of [
        '镇街：现场踏勘红线范围（离线记录）',
        '中心：催办环评批复',
        '中心：与自然资源局会商用地预审材料',
      ]) {
        await p.locator('[data-testid=log-entry]', { hasText: text }).waitFor({ timeout: 60_000 });
      }
    }
    expect(await t.locator('[data-testid=project-refusal]').count()).toBe(0);
    expect(await c.locator('[data-testid=project-refusal]').count()).toBe(0);
  });

  it('the supervisor sees the at-risk project first', async () => {
    sup = await signedInClient(w, 'county-sx', '县督办室', 'sup');
    const p = sup.page;
    await openProjects(p);
    await expect
      .poll(() => p.locator('[data-testid^=project-row-]').count(), { timeout: 30_000 })
      .toBe(3);
    const first = p.locator('[data-testid^=project-row-]').first();
    expect(await first.getAttribute('data-testid')).toBe(`project-row-${PARK}`);
    expect(await first.locator('[data-testid=risk-overdue]').count()).toBe(1);
    await shoot(p, '25-supervisor-project-risks');
    expect([...centre.errors, ...town.errors, ...sup.errors]).toEqual([]);
  });

  it("a village helper registers a firm's project offline; the centre receives it", async () => {
    const village = await signedInClient(w, 'village-dq-01', '东桥村便民服务点', 'v.dq01');
    const v = village.page;
    await openProjects(v);
    expect(await v.locator('[data-testid=project-list]').textContent()).toContain('本辖区重点项目');
    await village.context.setOffline(true);
    await v.click('[data-testid=register-project]');
    await v.fill('[data-testid=register-name]', '东桥村光伏屋顶示范项目');
    await v.fill('[data-testid=register-owner]', '示县东桥新能源有限公司');
    await v.fill('[data-testid=register-uscc]', '91330999MA2DQ0009N');
    await v.fill('[data-testid=register-contact]', '孙立');
    await v.fill('[data-testid=register-phone]', '13905760199');
    await v.fill('[data-testid=register-investment]', '3200');
    await shoot(v, '26-project-register');
    await v.click('[data-testid=register-submit]');
    await v.waitForSelector('[data-testid=project-page]');
    expect(await v.locator('[data-testid=project-page]').textContent()).toContain(
      '东桥村光伏屋顶示范项目',
    );
    await village.context.setOffline(false);

    const c = centre.page;
    await openProjects(c);
    await c
      .locator('[data-testid^=project-row-]', { hasText: '东桥村光伏屋顶示范项目' })
      .waitFor({ timeout: 60_000 });
    expect(await v.locator('[data-testid=project-refusal]').count()).toBe(0);
    expect(village.errors).toEqual([]);
  });
});
