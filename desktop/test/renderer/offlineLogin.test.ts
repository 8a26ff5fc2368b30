import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '@sibantong/shared';
import {
  noteHubTime,
  rememberForOffline,
  resetOfflineKeyCache,
  verifyOffline,
} from '../../src/renderer/auth/offlineLogin';
import type { SibantongBridge } from '../../src/bridge/bridgeApi';

const user: SessionUser = {
  userId: 'u1',
  name: '李秀英',
  role: 'village_helper',
  orgUnitId: 'village-dq-01',
  username: 'v.dq01',
};
const RECORDS = 'sibantong.offlineVerifiers.v2';
const DAY = 86_400_000;
/** Fast work factor for tests; the minimum accepted is lowered to match. */
const ITER = 1000;
const hubNow = () => new Date().toISOString();

function records(): Record<string, string> {
  return JSON.parse(localStorage.getItem(RECORDS) ?? '{}') as Record<string, string>;
}

describe('offline login verifier', () => {
  beforeEach(() => {
    localStorage.clear();
    resetOfflineKeyCache();
  });

  it('lets the same person in offline after one online login, and stores nothing readable', async () => {
    await rememberForOffline('v.dq01', 'Demo@2026', user, 7, hubNow(), ITER);
    const stored = JSON.stringify(localStorage);
    expect(stored).not.toContain('Demo@2026');
    // Role, unit, expiry and work factor are sealed, not plain JSON one could edit.
    expect(stored).not.toContain('village_helper');
    expect(stored).not.toContain('validUntil');
    expect(stored).not.toContain('iterations');
    const ok = await verifyOffline('V.DQ01', 'Demo@2026', new Date(), ITER);
    expect(ok).toEqual({ ok: true, user });
  });

  it('refuses a wrong password, an unknown user and an expired verifier in Chinese', async () => {
    await rememberForOffline('v.dq01', 'Demo@2026', user, 7, hubNow(), ITER);
    const wrong = await verifyOffline('v.dq01', 'nope', new Date(), ITER);
    expect(wrong).toMatchObject({
      ok: false,
      reason: 'wrong_password',
      message: '用户名或密码错误',
    });
    const unknown = await verifyOffline('t.dq', 'Demo@2026', new Date(), ITER);
    expect(unknown).toMatchObject({ ok: false, reason: 'unknown_user' });
    const later = await verifyOffline('v.dq01', 'Demo@2026', new Date(Date.now() + 8 * DAY), ITER);
    expect(later).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses an edited record (role, expiry or work factor cannot be changed unnoticed)', async () => {
    await rememberForOffline('v.dq01', 'Demo@2026', user, 7, hubNow(), ITER);
    const all = records();
    const [iv, ct] = all['v.dq01']!.split(':') as [string, string];
    const bytes = Uint8Array.from(atob(ct), (c) => c.charCodeAt(0));
    bytes[10] = bytes[10]! ^ 0x01;
    all['v.dq01'] = `${iv}:${btoa(String.fromCharCode(...bytes))}`;
    localStorage.setItem(RECORDS, JSON.stringify(all));
    const r = await verifyOffline('v.dq01', 'Demo@2026', new Date(), ITER);
    expect(r).toMatchObject({ ok: false, reason: 'tampered' });
    expect(r.ok === false && r.message).toContain('联网');
  });

  it('refuses a record moved under another name', async () => {
    await rememberForOffline('v.dq01', 'Demo@2026', user, 7, hubNow(), ITER);
    await rememberForOffline(
      'sup',
      'Other@2026',
      { ...user, username: 'sup', role: 'supervisor' },
      7,
      hubNow(),
      ITER,
    );
    const all = records();
    // The village helper's record filed under the supervisor's name: the seal names its user.
    all.sup = all['v.dq01']!;
    localStorage.setItem(RECORDS, JSON.stringify(all));
    expect(await verifyOffline('sup', 'Demo@2026', new Date(), ITER)).toMatchObject({
      reason: 'tampered',
    });
  });

  it('refuses a work factor below the minimum', async () => {
    await rememberForOffline('v.dq01', 'Demo@2026', user, 7, hubNow(), ITER);
    expect(await verifyOffline('v.dq01', 'Demo@2026')).toMatchObject({ reason: 'tampered' });
  });

  it('counts expiry on the hub clock: turning the PC clock back does not extend offline login', async () => {
    const loginAt = Date.now() - 10 * DAY;
    await rememberForOffline('v.dq01', 'Demo@2026', user, 7, new Date(loginAt).toISOString(), ITER);
    // The hub was last seen yesterday; the PC clock says it is the day after the login.
    await noteHubTime(new Date(Date.now() - DAY).toISOString());
    const pcClockBack = new Date(loginAt + DAY);
    expect(await verifyOffline('v.dq01', 'Demo@2026', pcClockBack, ITER)).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('takes expiry from the hub time of the login, not the PC clock', async () => {
    // The PC clock runs 30 days ahead of the hub: the record still expires 7 hub days on.
    const hubTime = new Date(Date.now() - 30 * DAY).toISOString();
    await rememberForOffline('v.dq01', 'Demo@2026', user, 7, hubTime, ITER);
    expect(
      await verifyOffline('v.dq01', 'Demo@2026', new Date(Date.parse(hubTime) + 6 * DAY), ITER),
    ).toMatchObject({ ok: true });
  });

  it('forgets unsealed records of earlier versions instead of trusting them', async () => {
    localStorage.setItem(
      'sibantong.offlineVerifiers',
      JSON.stringify({ 'v.dq01': { username: 'v.dq01', user: { role: 'supervisor' } } }),
    );
    expect(await verifyOffline('v.dq01', 'Demo@2026', new Date(), ITER)).toMatchObject({
      reason: 'unknown_user',
    });
    expect(localStorage.getItem('sibantong.offlineVerifiers')).toBeNull();
  });
});

describe('offline login record key in Electron', () => {
  const sealedByOs: string[] = [];
  beforeEach(() => {
    localStorage.clear();
    resetOfflineKeyCache();
    // The preload bridge: safeStorage in the main process (here: a reversible stand-in that
    // records what it was asked to protect).
    const bridge: Partial<SibantongBridge> = {
      protectSecret: (plain: string) => {
        sealedByOs.push(plain);
        return Promise.resolve(btoa(`os-sealed:${plain}`));
      },
      unprotectSecret: (sealed: string) => Promise.resolve(atob(sealed).replace(/^os-sealed:/, '')),
    };
    Object.defineProperty(window, 'sibantong', { value: bridge, configurable: true });
  });
  afterEach(() => {
    Reflect.deleteProperty(window, 'sibantong');
  });

  it('keeps the record key only sealed by the OS keystore', async () => {
    await rememberForOffline('v.dq01', 'Demo@2026', user, 7, hubNow(), ITER);
    const stored = localStorage.getItem('sibantong.offlineKey')!;
    expect(stored.startsWith('os:')).toBe(true);
    expect(sealedByOs).toHaveLength(1);
    resetOfflineKeyCache();
    expect(await verifyOffline('v.dq01', 'Demo@2026', new Date(), ITER)).toMatchObject({
      ok: true,
    });
  });
});
