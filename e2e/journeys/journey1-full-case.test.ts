import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  dialogSettled,
  act,
  closeDropdown,
  enrol,
  login,
  openCase,
  openClient,
  type Client,
} from '../support/browser';
import { rateAsCitizen } from '../support/citizenRating';
import {
  DEMO_ID,
  DEMO_PASSWORD,
  shoot,
  startWorld,
  type World,
  signedInClient,
} from '../support/fixture';
import { fillAcceptForm, printedTexts } from '../support/villageUi';

const inModal = (p: Page, sel: string) => p.locator('.ant-modal:visible').locator(sel);

describe('journey 1: village offline → town → centre → department → centre → village', () => {
  let w: World;
  let village: Client;
  let town: Client;
  let centre: Client;
  let dept: Client;
  let no = '';

  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('village accepts offline with a 容缺 item and prints receipt and notice', async () => {
    village = await openClient(w.browser, w.rendererUrl);
    const p = village.page;
    await p.waitForSelector('[data-testid=enrol-page]');
    await shoot(p, '00-enrol');
    await enrol(p, w.hub.url, w.hub.enrolmentCode('village-dq-01'), '东桥村便民服务点');
    await shoot(p, '00-login');
    await login(p, 'v.dq01', DEMO_PASSWORD);
    await shoot(p, '01-village-workbench');
    // Reference data must be on the device before the network goes.
    await p.click('[data-testid=nav-accept]');
    await p.locator('[data-testid=matter-select]').click();
    await p.waitForSelector('.ant-select-item-option', { timeout: 30_000 });
    await p.keyboard.press('Escape');

    await village.context.setOffline(true);
    await expect.poll(() => p.locator('[data-testid=sync-online]').textContent()).toBe('离线');

    await fillAcceptForm(p, {
      matterQuery: '宅基地',
      name: '张三',
      idNumber: DEMO_ID,
      phone: '13812345678',
      deferMaterialId: 'building-design',
      commitmentDate: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10),
    });
    await shoot(p, '02-accept-form', true);
    await p.click('[data-testid=submit-accept]');
    await p.waitForSelector('[data-testid=accept-done]');
    no = (await p.locator('[data-testid=saved-no]').textContent()) ?? '';
    expect(no).toMatch(/^[A-Z0-9]{2,6}-[0-9A-Z]{4}-\d{8}-\d{4}$/);

    await p.click('[data-testid=print-receipt]');
    await p.locator('.ant-modal:visible [data-testid=document-acceptance-receipt] img').waitFor();
    await dialogSettled(p);
    await shoot(p, '03-receipt');
    await p.locator('[data-testid=do-print]:visible').click();
    await p.keyboard.press('Escape');
    await p.click('[data-testid=print-notice]');
    await p.locator('.ant-modal:visible [data-testid=document-correction-notice]').waitFor();
    await dialogSettled(p);
    await shoot(p, '04-notice');
    await p.locator('[data-testid=do-print]:visible').click();
    await p.keyboard.press('Escape');
    const printed = await printedTexts(p);
    expect(printed).toHaveLength(2);
    expect(printed[0]).toContain('受 理 回 执');
    expect(printed[0]).toContain(no);
    expect(printed[1]).toContain('一次性告知单');
    expect(printed[1]).toContain('农房设计图');
    expect(await p.locator('[data-testid=sync-pending]').textContent()).not.toBe('待上传 0 件');
  });

  it('back online, the town sees the case within seconds, claims and escalates', async () => {
    await village.context.setOffline(false);
    await expect
      .poll(() => village.page.locator('[data-testid=sync-pending]').textContent(), {
        timeout: 30_000,
      })
      .toBe('待上传 0 件');

    town = await signedInClient(w, 'town-dq', '东桥镇便民服务中心', 't.dq');
    const p = town.page;
    const started = Date.now();
    await p
      .locator('[data-testid=inbox-unclaimed]')
      .locator(`[data-testid="open-${no}"]`)
      .waitFor({ timeout: 15_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    await shoot(p, '05-town-inbox');
    await p.locator(`[data-testid="open-${no}"]`).first().click();
    await act(p, 'claim');
    await act(p, 'escalate', (pg) => inModal(pg, '#note').fill('宅基地审批需县自然资源局意见'));
    await expect.poll(() => p.locator('[data-testid=detail-status]').count()).toBe(1);
  });

  it('the centre requests the department’s assistance; the department answers', async () => {
    centre = await signedInClient(w, 'county-sx', '县政务服务中心代办窗口', 'c.agent');
    let p = centre.page;
    await p
      .locator('[data-testid=centre-active]')
      .locator(`[data-testid="open-${no}"]`)
      .waitFor({ timeout: 20_000 });
    await p.locator(`[data-testid="open-${no}"]`).first().click();
    await act(p, 'claim');
    await act(p, 'request_assistance', async (pg) => {
      await inModal(pg, '[data-testid=dept-select]').click();
      await pg.keyboard.type('自然资源');
      await pg.keyboard.press('Enter');
      await closeDropdown(pg);
      await inModal(pg, '#question').fill('请核实宅基地是否符合村庄规划');
    });
    await expect
      .poll(() =>
        p.locator('[data-testid=timeline-item][data-event-type=request_assistance]').count(),
      )
      .toBe(1);

    dept = await signedInClient(w, 'dept-zrzy', '县自然资源局', 'd.zrzy');
    p = dept.page;
    await p
      .locator('[data-testid=dept-open]')
      .locator(`[data-testid="open-${no}"]`)
      .waitFor({ timeout: 20_000 });
    await shoot(p, '06-department-inbox');
    await p.locator(`[data-testid="open-${no}"]`).first().click();
    await act(p, 'assistance_reply', async (pg) => {
      await inModal(pg, 'label:has-text("同意")').first().click();
      await inModal(pg, '#opinion').fill('符合村庄规划，同意');
    });
  });

  it('the village hands in the 容缺 material; the centre concludes; the village delivers and records the rating', async () => {
    let p = village.page;
    await openCase(p, no);
    await expect
      .poll(
        () => p.locator('[data-testid=timeline-item][data-event-type=assistance_reply]').count(),
        { timeout: 20_000 },
      )
      .toBe(1);
    await act(p, 'supplement', async (pg) => {
      await inModal(pg, '.ant-select').click();
      await pg.keyboard.type('农房设计图');
      await pg.keyboard.press('Enter');
      await closeDropdown(pg);
    });
    p = centre.page;
    await expect
      .poll(() => p.locator('[data-testid=timeline-item][data-event-type=supplement]').count(), {
        timeout: 20_000,
      })
      .toBe(1);
    await expect
      .poll(() => p.locator('[data-testid=detail-status]').textContent(), { timeout: 10_000 })
      .toBe('办理中');
    await act(p, 'conclude', async (pg) => {
      await inModal(pg, 'label:has-text("准予")').first().click();
      await inModal(pg, '#opinion').fill('符合条件，准予');
      await inModal(pg, '#resultName').fill('乡村建设规划许可证');
    });
    await shoot(p, '07-centre-case-detail', true);

    p = village.page;
    await p.click('[data-testid=nav-home]');
    await p
      .locator('[data-testid=to-deliver]')
      .locator(`[data-testid="open-${no}"]`)
      .waitFor({ timeout: 20_000 });
    await p.locator(`[data-testid="open-${no}"]`).first().click();
    await act(p, 'deliver_result', (pg) => inModal(pg, '#recipientName').fill('张三'));
    // The applicant rates on their own window; the clerk's screen has no rating input.
    await rateAsCitizen(p, { level: '非常满意' });
    await expect.poll(() => p.locator('[data-testid=detail-status]').textContent()).toBe('已评价');
  });

  it('the timeline shows every step with hub times once synced', async () => {
    const p = village.page;
    const expected = [
      'receive',
      'accept',
      'forward',
      'claim',
      'escalate',
      'claim',
      'request_assistance',
      'assistance_reply',
      'supplement',
      'conclude',
      'deliver_result',
      'rate',
    ];
    await expect
      .poll(
        async () =>
          p
            .locator('[data-testid=timeline-item]')
            .evaluateAll((els) => els.map((e) => e.getAttribute('data-event-type'))),
        { timeout: 20_000 },
      )
      .toEqual(expected);
    await expect
      .poll(() => p.locator('[data-testid=case-timeline]').getByText('待上传').count(), {
        timeout: 20_000,
      })
      .toBe(0);
    await shoot(p, '08-village-timeline', true);
    for (const c of [village, town, centre, dept]) expect(c.errors).toEqual([]);
  });

  it('the supervisor sees the county’s cases; settings show version and update state', async () => {
    const sup = await signedInClient(w, 'county-sx', '县督办', 'sup');
    const p = sup.page;
    await p.waitForSelector('[data-testid=supervisor-view]');
    await expect
      .poll(() => p.locator('[data-testid=sync-last]').textContent(), { timeout: 20_000 })
      .not.toBe('最近同步 —');
    await p.click('[data-testid=nav-cases]');
    await p.locator(`[data-testid="open-${no}"]`).waitFor({ timeout: 20_000 });
    await shoot(p, '12-supervisor-all-cases');
    await p.click('[data-testid=nav-supervisor]');
    await shoot(p, '12-supervisor');
    await p.click('[data-testid=nav-settings]');
    await p.waitForSelector('[data-testid=settings-page]');
    expect(await p.locator('[data-testid=settings-page]').textContent()).toContain('浏览器模式');
    await shoot(p, '13-settings');
    expect(sup.errors).toEqual([]);
  });
});
