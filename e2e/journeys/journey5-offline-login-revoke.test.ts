import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrol, login, logout, openClient, type Client } from '../support/browser';
import { DEMO_PASSWORD, shoot, startWorld, type World } from '../support/fixture';

describe('journey 5: offline login after one online login; a revoked device is refused', () => {
  let w: World;
  let village: Client;

  beforeAll(async () => {
    w = await startWorld();
    village = await openClient(w.browser, w.rendererUrl);
  });
  afterAll(async () => {
    await w?.close();
  });

  it('logs in offline with the same password, refuses a wrong one', async () => {
    const p = village.page;
    await enrol(p, w.hub.url, w.hub.enrolmentCode('village-dq-01'), '东桥村便民服务点');
    // Never logged in online on this device: offline login must be refused.
    await village.context.setOffline(true);
    await p.fill('#username', 'v.dq01');
    await p.fill('#password', DEMO_PASSWORD);
    await p.click('button[type=submit]');
    await expect
      .poll(() => p.locator('[data-testid=form-error]').textContent())
      .toContain('尚未在本设备联网登录过');
    await village.context.setOffline(false);

    await login(p, 'v.dq01', DEMO_PASSWORD);
    await logout(p);
    await village.context.setOffline(true);
    await p.fill('#username', 'v.dq01');
    await p.fill('#password', 'wrong-password');
    await p.click('button[type=submit]');
    await expect
      .poll(() => p.locator('[data-testid=form-error]').textContent())
      .toBe('用户名或密码错误');
    // The offline record is sealed in the browser: its role cannot be read, and an edited
    // record is refused rather than trusted.
    const RECORDS = 'sibantong.offlineVerifiers.v2';
    const original = await p.evaluate((k) => localStorage.getItem(k), RECORDS);
    expect(original).toBeTruthy();
    expect(original).not.toContain('village_helper');
    await p.evaluate((k) => {
      const all = JSON.parse(localStorage.getItem(k) ?? '{}') as Record<string, string>;
      const [iv, ct] = (all['v.dq01'] ?? '').split(':') as [string, string];
      const bytes = atob(ct);
      all['v.dq01'] =
        `${iv}:${btoa(String.fromCharCode(bytes.charCodeAt(0) ^ 1) + bytes.slice(1))}`;
      localStorage.setItem(k, JSON.stringify(all));
    }, RECORDS);
    await p.fill('#username', 'v.dq01');
    await p.fill('#password', DEMO_PASSWORD);
    await p.click('button[type=submit]');
    await expect
      .poll(() => p.locator('[data-testid=form-error]').textContent())
      .toContain('无法验证');
    await p.evaluate(([k, v]) => localStorage.setItem(k!, v!), [RECORDS, original]);
    await login(p, 'v.dq01', DEMO_PASSWORD);
    expect(await p.locator('[data-testid=current-user]').textContent()).toContain('李秀英');
    expect(await p.locator('[data-testid=sync-online]').textContent()).toBe('离线');
  });

  it('a revoked device is refused at its next connection', async () => {
    const p = village.page;
    // Back online after an offline login: the session refreshes with the device secret and
    // every request carries the device proof, so the hub accepts this PC.
    await village.context.setOffline(false);
    await expect
      .poll(() => p.locator('[data-testid=sync-online]').textContent(), { timeout: 30_000 })
      .toBe('在线');
    await village.context.setOffline(true);
    w.hub.revoke(await village.deviceId());
    await village.context.setOffline(false);
    await expect
      .poll(() => p.locator('[data-testid=sync-online]').textContent(), { timeout: 30_000 })
      .toBe('设备被拒绝');
    expect(await p.locator('[data-testid=device-refused]').textContent()).toContain('拒绝');
    await shoot(p, '10-device-revoked');
    await logout(p);
    await p.fill('#username', 'v.dq01');
    await p.fill('#password', DEMO_PASSWORD);
    await p.click('button[type=submit]');
    await expect
      .poll(() => p.locator('[data-testid=form-error]').textContent())
      .toMatch(/[\u4e00-\u9fa5]/);
    expect(await p.locator('[data-testid=current-user]').count()).toBe(0);
  });
});
