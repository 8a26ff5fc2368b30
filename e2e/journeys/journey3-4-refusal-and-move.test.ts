import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, openCase, type Client } from '../support/browser';
import { DEMO_PASSWORD, shoot, startWorld, type World, signedInClient } from '../support/fixture';
import { apiLogin, findCaseId, moveCase } from '../support/hub';
import { acceptSimpleCase } from '../support/villageUi';

describe('journeys 3 and 4: refused writes stay visible; a moved case leaves the device', () => {
  let w: World;
  let village: Client;
  let centreToken = '';
  let a = '';

  beforeAll(async () => {
    w = await startWorld();
    village = await signedInClient(w, 'village-dq-01', '东桥村便民服务点', 'v.dq01');
    centreToken = (await apiLogin(w.hub, 'county-sx', 'c.agent', DEMO_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await w?.close();
  });

  const synced = () =>
    expect
      .poll(() => village.page.locator('[data-testid=sync-pending]').textContent(), {
        timeout: 30_000,
      })
      .toBe('待上传 0 件');

  it('(3) a write the hub refuses shows in the refused list with the hub’s reason; the rest keeps syncing', async () => {
    const p = village.page;
    a = await acceptSimpleCase(p, '王大爷');
    await synced();
    const caseId = await findCaseId(w.hub, centreToken, a);

    // While the village is offline the centre moves the case to another village …
    await village.context.setOffline(true);
    await expect.poll(() => p.locator('[data-testid=sync-online]').textContent()).toBe('离线');
    await moveCase(w.hub, centreToken, caseId, 'village-dq-02');
    // … and the village, not knowing, still records a supplement on it, plus a new case.
    await openCase(p, a);
    await act(p, 'withdraw', (pg) =>
      pg.locator('.ant-modal:visible #reason').fill('申请人要求撤回'),
    );
    const b = await acceptSimpleCase(p, '李奶奶');
    await village.context.setOffline(false);

    await expect
      .poll(() => p.locator('[data-testid=sync-refused]').textContent(), { timeout: 30_000 })
      .toBe('被拒 1');
    await p.click('[data-testid=sync-refused]');
    const msg = await p.locator('[data-testid=refusal-message]').first().textContent();
    expect(msg).toMatch(/[\u4e00-\u9fa5]/);
    await shoot(p, '09-refused-writes');
    // The other case went through: nothing else waits.
    await synced();
    expect(await findCaseId(w.hub, centreToken, b)).toBeTruthy();
  });

  it('(4) the moved case disappears from the first village without a reset', async () => {
    const p = village.page;
    await p.click('[data-testid=nav-cases]');
    const rows = () => p.locator('[data-testid=all-cases] [data-testid=case-no]').allTextContents();
    await expect
      .poll(async () => (await rows()).some((r) => r.includes(a)), { timeout: 30_000 })
      .toBe(false);
    // Now a live move: another case is moved while the device is online.
    const c = await acceptSimpleCase(p, '赵叔');
    await synced();
    await moveCase(w.hub, centreToken, await findCaseId(w.hub, centreToken, c), 'village-dq-02');
    await p.click('[data-testid=nav-cases]');
    await expect
      .poll(async () => (await rows()).some((r) => r.includes(c)), { timeout: 20_000 })
      .toBe(false);
    expect(village.errors).toEqual([]);
  });
});
