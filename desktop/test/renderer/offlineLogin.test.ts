import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '@sibantong/shared';
import { rememberForOffline, verifyOffline } from '../../src/renderer/auth/offlineLogin';

const user: SessionUser = {
  userId: 'u1',
  name: '李秀英',
  role: 'village_helper',
  orgUnitId: 'village-dq-01',
  username: 'v.dq01',
};

describe('offline login verifier', () => {
  beforeEach(() => localStorage.clear());

  it('lets the same person in offline after one online login, and stores no password', async () => {
    await rememberForOffline('v.dq01', 'Demo@2026', user, 7, 1000);
    expect(localStorage.getItem('sibantong.offlineVerifiers')).not.toContain('Demo@2026');
    const ok = await verifyOffline('V.DQ01', 'Demo@2026');
    expect(ok).toEqual({ ok: true, user });
  });

  it('refuses a wrong password, an unknown user and an expired verifier in Chinese', async () => {
    await rememberForOffline('v.dq01', 'Demo@2026', user, 7, 1000);
    const wrong = await verifyOffline('v.dq01', 'nope');
    expect(wrong).toMatchObject({
      ok: false,
      reason: 'wrong_password',
      message: '用户名或密码错误',
    });
    const unknown = await verifyOffline('t.dq', 'Demo@2026');
    expect(unknown).toMatchObject({ ok: false, reason: 'unknown_user' });
    const later = await verifyOffline('v.dq01', 'Demo@2026', new Date(Date.now() + 8 * 86_400_000));
    expect(later).toMatchObject({ ok: false, reason: 'expired' });
  });
});
