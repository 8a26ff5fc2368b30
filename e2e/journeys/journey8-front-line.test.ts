import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  act,
  closeDropdown,
  dialogSettled,
  login,
  openCase,
  type Client,
} from '../support/browser';
import {
  DEMO_ID,
  DEMO_PASSWORD,
  shoot,
  signedInClient,
  startWorld,
  type World,
} from '../support/fixture';
import { fillAcceptForm, printedTexts } from '../support/villageUi';

const inModal = (p: Page, sel: string) => p.locator('.ant-modal:visible').locator(sel);
const text = async (p: Page, testId: string) =>
  (await p.locator(`[data-testid=${testId}]`).first().textContent()) ?? '';
/** "YYYY-MM-DD HH:mm" on China time, for an instant `ms`. */
const chinaMinute = (ms: number) =>
  new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('journey 8: what a new clerk meets at the front line', () => {
  let w: World;
  let village: Client;
  let town: Client;
  let no = '';
  const due = new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    w = await startWorld();
    village = await signedInClient(w, 'village-dq-01', '东桥村便民服务点', 'v.dq01');
    town = await signedInClient(w, 'town-dq', '东桥镇便民服务中心', 't.dq');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('offline is impossible to miss; 待上传 counts cases; the receipt names the 容缺 items and date', async () => {
    const p = village.page;
    // Reference data must be on the device before the network goes.
    await p.click('[data-testid=nav-accept]');
    await p.locator('[data-testid=matter-select]').click();
    await p.waitForSelector('.ant-select-item-option', { timeout: 30_000 });
    await p.keyboard.press('Escape');
    expect(await p.locator('[data-testid=offline-banner]').count()).toBe(0);

    await village.context.setOffline(true);
    await p.locator('[data-testid=offline-banner]').waitFor({ timeout: 15_000 });
    expect(await text(p, 'offline-banner')).toContain('当前离线');
    expect(await text(p, 'sync-online')).toBe('离线');
    // A solid light tag with dark text on the dark-red header, not a dark dot.
    await expect
      .poll(() =>
        p
          .locator('[data-testid=sync-online]')
          .evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]),
      )
      .toEqual(['rgb(255, 251, 143)', 'rgb(0, 0, 0)']);

    await fillAcceptForm(p, {
      matterQuery: '宅基地',
      name: '张三',
      idNumber: DEMO_ID,
      phone: '13812345678',
      deferMaterialId: 'building-design',
      commitmentDate: due,
    });
    await p.click('[data-testid=submit-accept]');
    await p.waitForSelector('[data-testid=accept-done]');
    no = (await p.locator('[data-testid=saved-no]').textContent()) ?? '';
    // Receive, accept and forward are three events of ONE case waiting.
    await expect.poll(() => text(p, 'sync-pending')).toBe('待上传 1 件');
    expect(await text(p, 'offline-banner')).toContain('待上传 1 件');
    await shoot(p, '15-offline-banner');

    await p.click('[data-testid=print-receipt]');
    await p.locator('.ant-modal:visible [data-testid=document-acceptance-receipt] img').waitFor();
    await dialogSettled(p);
    const receipt = await p
      .locator('.ant-modal:visible [data-testid=document-acceptance-receipt]')
      .textContent();
    expect(receipt).toContain('容缺');
    expect(receipt).toContain('农房设计图');
    expect(receipt).toContain(due);
    // docs/screenshots/03-receipt.png comes from journey 1 (the same 容缺 acceptance).
    await p.locator('[data-testid=do-print]:visible').click();
    await p.keyboard.press('Escape');
    expect((await printedTexts(p))[0]).toContain(due);

    await village.context.setOffline(false);
    await expect.poll(() => text(p, 'sync-pending'), { timeout: 30_000 }).toBe('待上传 0 件');
    await expect
      .poll(() => p.locator('[data-testid=offline-banner]').count(), { timeout: 15_000 })
      .toBe(0);
  });

  it('the town is notified, claims once, and is told why 办结 and 终止 wait', async () => {
    const p = town.page;
    const notice = p.locator('.ant-notification-notice', { hasText: '新办件到达' });
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toContain(no);
    await shoot(p, '16-case-notification');
    await notice.click();
    await p.waitForSelector('[data-testid=case-detail]');

    expect(await text(p, 'deferred-badge')).toContain(due);
    await act(p, 'claim');
    await expect.poll(() => p.locator('[data-testid=action-claim]').isDisabled()).toBe(true);
    expect(await text(p, 'action-reason-claim')).toContain('已领办');
    expect(await p.locator('[data-testid=action-conclude]').isDisabled()).toBe(true);
    const why = await text(p, 'action-reason-conclude');
    expect(why).toContain('农房设计图');
    expect(why).toContain(due);
    expect(await p.locator('[data-testid=action-terminate]').isDisabled()).toBe(true);
    expect(await text(p, 'action-reason-terminate')).toContain('未过');

    const before = Date.now();
    await act(p, 'log', (pg) => inModal(pg, '#text').fill('电话联系申请人，约定补交时间'));
    const entry = await text(p, 'log-entry');
    // China time, as the timeline shows (the PC's zone is Asia/Shanghai; UTC would be 8 h off).
    expect([chinaMinute(before), chinaMinute(Date.now())]).toContain(entry.slice(0, 16));
    await shoot(p, '17-actions-with-reasons', true);
  });

  it('the 容缺 material arrives: the badge goes, 办结 is offered, and the village hears the result', async () => {
    let p = village.page;
    await openCase(p, no);
    expect(await text(p, 'material-deferred')).toContain('容缺待补');
    await act(p, 'supplement', async (pg) => {
      await inModal(pg, '.ant-select').click();
      await pg.keyboard.type('农房设计图');
      await pg.keyboard.press('Enter');
      await closeDropdown(pg);
    });
    await expect.poll(() => p.locator('[data-testid=deferred-badge]').count()).toBe(0);
    expect(await p.locator('[data-testid=material-deferred]').count()).toBe(0);

    p = town.page;
    await expect
      .poll(() => p.locator('[data-testid=deferred-badge]').count(), { timeout: 30_000 })
      .toBe(0);
    await expect.poll(() => p.locator('[data-testid=action-conclude]').isDisabled()).toBe(false);
    expect(await p.locator('[data-testid=action-reason-conclude]').count()).toBe(0);
    await act(p, 'conclude', async (pg) => {
      await inModal(pg, 'label:has-text("准予")').first().click();
      await inModal(pg, '#opinion').fill('符合条件，准予');
    });
    // After 办结 the countdown stops.
    await expect.poll(() => text(p, 'days-left')).toBe('已办结');

    p = village.page;
    const result = p.locator('.ant-notification-notice', { hasText: '办理结果已返回' });
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain(no);
    expect(await text(p, 'days-left')).toBe('已办结');
  });

  it('Settings changes the hub address, checked first, then the clerk logs in again', async () => {
    const p = village.page;
    await p.click('[data-testid=nav-settings]');
    await p.waitForSelector('[data-testid=hub-address]');
    const field = p.locator('[data-testid=hub-address] input');
    const explain = async () =>
      (
        await p.locator('[data-testid=hub-address] .ant-form-item-explain-error').allTextContents()
      ).join('|');

    await field.fill('http://10.1.2.3:8787');
    await p.click('[data-testid=hub-address-save]');
    await expect.poll(explain).toContain('https');

    await field.fill('http://127.0.0.1:1');
    await p.click('[data-testid=hub-address-save]');
    await p.locator('[data-testid=hub-address-error]').waitFor();
    expect(await text(p, 'hub-address-error')).toContain('无法连接');
    expect(await text(p, 'hub-current')).toContain(w.hub.url);
    // The label names its input (screen readers, clicking the label).
    await p.locator('[data-testid=hub-address] label').click();
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);

    const moved = w.hub.url.replace('127.0.0.1', 'localhost');
    await field.fill(moved);
    await shoot(p, '13-settings-hub-address');
    await p.click('[data-testid=hub-address-save]');
    await p.locator('[data-testid=hub-address-confirm]').click();
    await login(p, 'v.dq01', DEMO_PASSWORD);
    await p.click('[data-testid=nav-settings]');
    expect(await text(p, 'hub-current')).toContain(moved);
    // The device keeps syncing through the new address.
    await expect.poll(() => text(p, 'sync-last'), { timeout: 30_000 }).not.toBe('最近同步 —');
    expect(await text(p, 'sync-online')).toBe('在线');
    for (const c of [village, town]) expect(c.errors).toEqual([]);
  });
});
