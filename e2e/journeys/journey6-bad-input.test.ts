import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { dialogSettled, enrol, login, openCase, openClient, type Client } from '../support/browser';
import {
  DEMO_ID,
  DEMO_PASSWORD,
  shoot,
  startWorld,
  type World,
  signedInClient,
} from '../support/fixture';
import { acceptSimpleCase, fillAcceptForm } from '../support/villageUi';

const errorsOf = (p: Page) =>
  p.locator('.ant-form-item-explain-error, [data-testid=form-error]').allTextContents();
const CHINESE = /[\u4e00-\u9fa5]/;

/** Opens an action form, submits it empty (or with the given bad values) and expects it refused. */
async function refusedAction(
  p: Page,
  action: string,
  expected: string,
  fill?: (p: Page) => Promise<void>,
): Promise<void> {
  await p.click(`[data-testid=action-${action}]`);
  await dialogSettled(p);
  if (fill) await fill(p);
  await p.locator('.ant-modal:visible [data-testid=action-ok]').click();
  await expect
    .poll(async () =>
      (await p.locator('.ant-modal:visible .ant-form-item-explain-error').allTextContents()).join(
        '|',
      ),
    )
    .toContain(expected);
  await p.keyboard.press('Escape');
  await p.locator('.ant-modal:visible').waitFor({ state: 'detached' });
}

describe('journey 6: bad input in every form shows a clear Chinese message and saves nothing', () => {
  let w: World;
  let village: Client;
  let town: Client;

  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('enrolment and login forms', async () => {
    village = await openClient(w.browser, w.rendererUrl);
    const p = village.page;
    await p.waitForSelector('[data-testid=enrol-page]');
    await p.click('button[type=submit]');
    expect(await errorsOf(p)).toEqual([
      '请输入中心服务器地址',
      '请输入一次性注册码',
      '请填写设备名称',
    ]);
    await p.fill('#hubAddress', 'http://10.9.9.9:8787');
    await p.fill('#code', '!!');
    await p.fill('#deviceName', '测试');
    await p.click('button[type=submit]');
    await expect
      .poll(async () => (await errorsOf(p)).join('|'))
      .toContain('非本机地址必须使用 https');
    expect((await errorsOf(p)).join('|')).toContain('一次性注册码');
    await p.fill('#hubAddress', w.hub.url);
    await p.fill('#code', 'ZZZZ-ZZZZ-ZZZZ');
    await p.click('button[type=submit]');
    await expect.poll(async () => (await errorsOf(p)).join('|')).toContain('注册失败');
    expect(await p.evaluate(() => localStorage.getItem('sibantong.device'))).toBeNull();

    await enrol(p, w.hub.url, w.hub.enrolmentCode('village-dq-01'), '东桥村便民服务点');
    await p.click('button[type=submit]');
    await expect
      .poll(() => p.locator('[data-testid=form-error]').textContent())
      .toBe('请输入用户名');
    await p.fill('#username', 'v.dq01');
    await p.fill('#password', 'not-the-password');
    await p.click('button[type=submit]');
    await expect.poll(() => p.locator('[data-testid=form-error]').textContent()).toMatch(CHINESE);
    expect(await p.locator('[data-testid=current-user]').count()).toBe(0);
  });

  it('the accept form and the counter refusal', async () => {
    const p = village.page;
    await login(p, 'v.dq01', DEMO_PASSWORD);
    await p.click('[data-testid=nav-accept]');
    await p.click('[data-testid=submit-accept]');
    const empty = (await errorsOf(p)).join('|');
    for (const m of ['请选择申请事项', '请输入申请人姓名', '请输入身份证号码', '请输入联系电话'])
      expect(empty).toContain(m);

    await fillAcceptForm(p, {
      matterQuery: '宅基地',
      name: '张三',
      idNumber: '110105194912310021',
      phone: '1234',
    });
    await p.locator('[data-testid=mat-state-building-design]').getByText('容缺后补').click();
    await p.locator('[data-testid=mat-state-id-card]').getByText('缺').click();
    await p.click('[data-testid=submit-accept]');
    const bad = (await errorsOf(p)).join('|');
    expect(bad).toContain('身份证号码校验位不正确');
    expect(bad).toContain('联系电话格式不正确');
    expect(bad).toContain('必要材料缺失');
    expect(bad).toContain('容缺受理须填写承诺补齐日期');
    expect(bad).toContain('容缺承诺书');
    await shoot(p, '11-accept-form-errors', true);

    await p.click('[data-testid=open-refuse]');
    await dialogSettled(p);
    await p.locator('.ant-modal:visible').getByRole('button', { name: '确认不予受理' }).click();
    await expect
      .poll(async () =>
        (await p.locator('.ant-modal:visible .ant-form-item-explain-error').allTextContents()).join(
          '|',
        ),
      )
      .toContain('请填写不予受理的理由');
    await p.keyboard.press('Escape');
    await p.locator('.ant-modal:visible').waitFor({ state: 'detached' });

    // Nothing was saved.
    await p.click('[data-testid=nav-cases]');
    expect(await p.locator('[data-testid=all-cases] [data-testid=case-no]').count()).toBe(0);
    expect(await p.locator('[data-testid=sync-pending]').textContent()).toBe('待上传 0 件');
  });

  it('the case action forms (village and town)', async () => {
    const v = village.page;
    const no = await acceptSimpleCase(v, '孙八', DEMO_ID);
    await expect
      .poll(() => v.locator('[data-testid=sync-pending]').textContent(), { timeout: 30_000 })
      .toBe('待上传 0 件');
    await openCase(v, no);
    await refusedAction(v, 'withdraw', '请填写原因');

    town = await signedInClient(w, 'town-dq', '东桥镇便民服务中心', 't.dq');
    const t = town.page;
    await openCase(t, no);
    const before = await t.locator('[data-testid=timeline-item]').count();
    await refusedAction(t, 'return_for_correction', '请填写原因');
    await refusedAction(t, 'suspend', '请填写特别程序类型');
    await refusedAction(t, 'log', '请填写日志内容');
    await refusedAction(t, 'conclude', '请选择办理结果');
    await refusedAction(t, 'extend', '延长天数须为1到60之间的整数', (pg) =>
      pg.locator('.ant-modal:visible #extraDays').fill('0'),
    );
    expect(await t.locator('[data-testid=timeline-item]').count()).toBe(before);
    expect(await t.locator('[data-testid=sync-pending]').textContent()).toBe('待上传 0 件');
    expect([...village.errors, ...town.errors]).toEqual([]);
  });
});
