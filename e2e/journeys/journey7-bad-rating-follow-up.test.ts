/**
 * Journey 7: the citizen gives a 差评 on their own rating window for a delivered case; the county supervisor sees the
 * follow-up ticket, records 核实 → 整改 → 反馈 → 回访办结 in the 督办 view, and sees a write
 * the hub refused in the county-wide 被拒写入 table. The delivered case and the refused row
 * come through the hub API (the counter work itself is journey 1's subject).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type Client } from '../support/browser';
import { rateAsCitizen } from '../support/citizenRating';
import {
  DEMO_ID,
  DEMO_PASSWORD,
  shoot,
  startWorld,
  type World,
  signedInClient,
} from '../support/fixture';
import { apiDevice, appendEvent, buildCase, pushCase, type ApiDevice } from '../support/hubCases';

describe('journey 7: 差评 follow-up and refused writes in the supervisor view', () => {
  let w: World;
  let village: Client;
  let sup: Client;
  let api: ApiDevice;
  let deliveredNo = '';
  let refusedNo = '';

  beforeAll(async () => {
    w = await startWorld();
    api = await apiDevice(w.hub, 'village-dq-01', 'v.dq01', DEMO_PASSWORD);
    village = await signedInClient(w, 'village-dq-01', '东桥村便民服务点', 'v.dq01');
    sup = await signedInClient(w, 'county-sx', '县督办', 'sup');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('the village records a 差评 on a delivered case', async () => {
    const delivered = await buildCase(api, '周阿姨', DEMO_ID, 'delivered');
    expect((await pushCase(api, delivered, null)).status).toBe('accepted');
    deliveredNo = delivered.provisionalNo;

    const p = village.page;
    await openCase(p, deliveredNo, 30_000);
    // The citizen rates on their own window (the clerk's screen cannot set a rating).
    await rateAsCitizen(p, { level: '非常不满意', reasons: ['办理时间长'], text: '等候时间太长' });
    await expect.poll(() => p.locator('[data-testid=detail-status]').textContent()).toBe('已评价');
    await expect
      .poll(() => p.locator('[data-testid=sync-pending]').textContent(), { timeout: 30_000 })
      .toBe('待上传 0 件');
  });

  it('a write the hub refuses is recorded for the supervisor', async () => {
    // Rating a case that was never delivered: the shared state machine refuses it.
    const received = await buildCase(api, '吴大伯', DEMO_ID, 'received');
    const rated = appendEvent(api, received, 'rate', {
      level: 5,
      channel: 'window',
      realName: true,
    });
    const res = await pushCase(api, rated, null);
    expect(res.status).toBe('refused');
    refusedNo = received.provisionalNo;
  });

  it('the supervisor follows the ticket up to closed and sees the refused write', async () => {
    const p = sup.page;
    await p.click('[data-testid=nav-supervisor]');
    const panel = p.locator('[data-testid=ticket-panel]').first();
    await panel.waitFor({ timeout: 30_000 });
    expect(await panel.locator('[data-testid=ticket-deadline]').textContent()).toMatch(
      /期限 \d{4}-\d{2}-\d{2}（(剩余 \d+ 个工作日|今日到期)）/,
    );
    const status = () => panel.locator('[data-testid=ticket-status]').textContent();
    expect(await status()).toBe('待核实');

    // An empty note is refused in Chinese before anything reaches the hub.
    await panel.locator('[data-testid=ticket-submit]').click();
    await panel.getByText('请填写核实情况说明').waitFor();

    const steps: Array<[string, string, string]> = [
      ['已电话联系申请人，核实等候时间过长属实', '核实', ''],
      ['窗口增设叫号提醒，高峰期加派人员', '整改', ''],
      ['已向申请人反馈整改措施', '反馈', ''],
      ['回访申请人，对整改表示认可', '回访办结', '满意'],
    ];
    for (const [note, after, callBack] of steps) {
      await panel.locator('[data-testid=ticket-note]').fill(note);
      if (callBack) {
        // Closing without the call-back result is refused first.
        await panel.locator('[data-testid=ticket-submit]').click();
        await panel.getByText('办结前请选择回访结果').waitFor();
        await panel
          .locator('[data-testid=ticket-callback]')
          .getByText(callBack, { exact: true })
          .click();
      }
      await panel.locator('[data-testid=ticket-submit]').click();
      await expect.poll(status, { timeout: 20_000 }).toBe(after);
    }
    const timeline = (await panel.locator('[data-testid=ticket-steps]').textContent()) ?? '';
    for (const [note] of steps) expect(timeline).toContain(note);
    expect(timeline).toContain('回访结果：满意');
    expect(await panel.locator('[data-testid=ticket-step-form]').count()).toBe(0);
    expect(await panel.locator('[data-testid=ticket-deadline]').textContent()).toContain('已办结');

    const refusals = p.locator('[data-testid=hub-refusals]');
    await refusals.getByRole('button', { name: /刷\s*新/ }).click();
    await expect.poll(() => refusals.textContent(), { timeout: 20_000 }).toContain(refusedNo);
    const msg =
      (await refusals.locator('[data-testid=hub-refusal-message]').first().textContent()) ?? '';
    expect(msg).toMatch(/[\u4e00-\u9fa5]/);
    expect(await refusals.textContent()).not.toContain('吴大伯');
    // Let the 已登记 toasts fade so the screenshot shows the page itself.
    await expect.poll(() => p.locator('.ant-message-notice').count(), { timeout: 10_000 }).toBe(0);
    await shoot(p, '14-supervisor-follow-up', true);
    expect(sup.errors).toEqual([]);
    expect(village.errors).toEqual([]);
  });
});
