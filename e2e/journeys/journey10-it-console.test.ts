/**
 * Journey 10 (issue 17): IT, on its own console, enrols a PC for a chosen unit; the PC enrols
 * with the code from the slip and works; IT revokes it and the PC is refused; IT resets the
 * password of a user locked out by wrong passwords, who then logs in with the new one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrol, login, openClient, type Client } from '../support/browser';
import { DEMO_PASSWORD, shoot, signedInClient, startWorld, type World } from '../support/fixture';

describe('journey 10: the IT console', () => {
  let w: World;
  let it_: Client;
  let pc: Client;
  let code = '';

  beforeAll(async () => {
    w = await startWorld();
    it_ = await signedInClient(w, 'county-sx', '县中心运维电脑', 'it');
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  it('opens on the IT console, not on a case screen', async () => {
    const p = it_.page;
    await p.waitForSelector('[data-testid=it-console]');
    expect(await p.locator('[data-testid=nav-it]').textContent()).toBe('运维管理');
    expect(await p.locator('[data-testid=nav-refusals]').count()).toBe(0);
  });

  it('enrols a PC for a chosen unit: code on a printable slip, the PC enrols with it', async () => {
    const p = it_.page;
    await p.click('[data-testid=it-enrol-open]');
    await p.locator('[data-testid=it-enrol-unit] input').fill('village-dq-02');
    await p.keyboard.press('Enter');
    await p.click('#it-enrol-submit');
    const slip = p.locator('[data-testid=enrolment-slip]');
    await slip.waitFor();
    expect(await slip.textContent()).toContain('village-dq-02');
    code = ((await slip.locator('[data-testid=enrol-code]').textContent()) ?? '').trim();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await shoot(p, '27-it-enrolment-slip');
    await p.getByRole('button', { name: '完成' }).click();

    pc = await openClient(w.browser, w.rendererUrl);
    await enrol(pc.page, w.hub.url, code, '南岭村便民服务点');
    await login(pc.page, 'v.dq02', DEMO_PASSWORD);
    expect(await pc.page.locator('[data-testid=current-user]').textContent()).toBeTruthy();
    // The code was for one PC only.
    const again = await fetch(`${w.hub.url}/api/devices/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, deviceName: '另一台' }),
    });
    expect(again.ok).toBe(false);
  }, 120_000);

  it('lists the PC at its unit and revokes it; the PC is refused', async () => {
    const p = it_.page;
    const deviceId = await pc.deviceId();
    await p.getByRole('button', { name: '刷新' }).first().click();
    const row = p.locator(`[data-testid=device-${deviceId}]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('南岭村便民服务点');
    await shoot(p, '28-it-devices');
    await p.click(`[data-testid=revoke-${deviceId}]`);
    await p.getByRole('button', { name: '停用', exact: true }).last().click();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('已停用');

    // The PC finds out at its next connection.
    await pc.context.setOffline(true);
    await pc.context.setOffline(false);
    await expect
      .poll(() => pc.page.locator('[data-testid=sync-online]').textContent(), { timeout: 30_000 })
      .toBe('设备被拒绝');
  }, 120_000);

  it("resets a locked user's password; the user logs in with the new one", async () => {
    const town = await openClient(w.browser, w.rendererUrl);
    await enrol(town.page, w.hub.url, w.hub.enrolmentCode('town-dq'), '东桥镇便民服务中心');
    for (let i = 0; i < 6; i += 1) {
      await town.page.fill('#username', 't.dq');
      await town.page.fill('#password', `wrong-${i}`);
      await town.page.click('button[type=submit]');
      await town.page.locator('[data-testid=form-error]').waitFor();
    }
    await town.page.fill('#password', DEMO_PASSWORD);
    await town.page.click('button[type=submit]');
    await expect
      .poll(() => town.page.locator('[data-testid=form-error]').textContent(), { timeout: 15_000 })
      .toMatch(/锁定/);

    const p = it_.page;
    await p.getByRole('tab', { name: '用户' }).click();
    await p.locator('[data-testid=locked-t\\.dq]').waitFor({ timeout: 15_000 });
    await p.click('[data-testid=reset-t\\.dq]');
    const shown = p.locator('[data-testid=new-password]');
    await shown.waitFor();
    const password = ((await shown.textContent()) ?? '').trim();
    expect(password.length).toBeGreaterThanOrEqual(10);
    await shoot(p, '29-it-password-reset');
    await p.getByRole('button', { name: '已告知本人' }).click();
    await expect.poll(() => p.locator('[data-testid=locked-t\\.dq]').count()).toBe(0);

    await login(town.page, 't.dq', password);
    expect(await town.page.locator('[data-testid=current-user]').textContent()).toContain('赵敏');
  }, 120_000);
});
