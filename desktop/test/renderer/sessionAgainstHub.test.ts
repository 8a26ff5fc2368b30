// @vitest-environment node
/**
 * The renderer's real session store (auth/sessionStore.ts) against a real hub process: every
 * request carries this device's proof, refresh presents the device secret, a copied token
 * is refused from elsewhere, and a password change reaches the hub and this PC's offline login.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrollResponse } from '@sibantong/shared';
import './support/nodeWindow';
import { enrolDevices, http } from '../../../sync-server/test/helpers/client';
import type { HubHandle } from '../../../sync-server/test/helpers/hubProcess';
import { hubFetch, HubError } from '../../src/renderer/api/hubClient';
import { deviceConfigFrom, type DeviceConfig } from '../../src/renderer/auth/deviceConfig';
import {
  changePassword,
  getAccessToken,
  getSession,
  invalidateAccessToken,
  login,
  logout,
} from '../../src/renderer/auth/sessionStore';
import { verifyOffline } from '../../src/renderer/auth/offlineLogin';
import { startSeededHub } from './support/liveHub';

let hub: HubHandle;
let cfg: DeviceConfig;
let other: EnrollResponse;

beforeAll(async () => {
  hub = await startSeededHub();
  const add = await hub.cli([
    'user',
    'add',
    'v.change',
    '--name',
    '改密',
    '--role',
    'village_helper',
    '--unit',
    'village-dq-01',
    '--password',
    'Before@2026',
  ]);
  expect(add.code, add.stderr).toBe(0);
  const [mine, theirs] = await enrolDevices(hub, 'village-dq-01', 2);
  other = theirs!;
  cfg = await deviceConfigFrom(hub.url, mine!, true);
}, 120_000);
afterAll(async () => {
  logout();
  await hub?.stop();
});

describe('session store against a real hub', () => {
  it('signs every request with this device and refreshes with the device secret', async () => {
    await login(cfg, 'v.change', 'Before@2026');
    const token = getSession()!.accessToken!;
    const me = await hubFetch<{ deviceId: string }>(cfg.hubUrl, '/api/me', { token });
    expect(me.deviceId).toBe(cfg.deviceId);
    // The same token copied to another PC (its own proof): refused.
    const copied = await http<{ code: string }>(`${hub.url}/api/me`, {
      token,
      proof: 'not-this-device',
    });
    expect(copied.body.code).toBe('DEVICE_PROOF_INVALID');
    // Refresh: the product's refresh request (device secret included) gets a new token.
    invalidateAccessToken();
    const fresh = await getAccessToken(cfg);
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(token);
    expect(getSession()!.refusedMessage).toBeNull();
    expect(other.deviceId).not.toBe(cfg.deviceId);
  });

  it('changes the password on the hub and in the offline record', async () => {
    await expect(changePassword(cfg, 'Wrong@2026', 'After@2027x')).rejects.toMatchObject({
      code: 'OLD_PASSWORD_WRONG',
    });
    const res = await changePassword(cfg, 'Before@2026', 'After@2027x');
    expect(res.revokedSessions).toBe(0);
    // The hub: the new password logs in, the old one does not.
    const tryLogin = (password: string) =>
      http<{ code?: string }>(`${hub.url}/api/auth/login`, {
        body: {
          username: 'v.change',
          password,
          deviceId: other.deviceId,
          deviceSecret: other.deviceSecret,
        },
      });
    expect((await tryLogin('Before@2026')).status).toBe(401);
    expect((await tryLogin('After@2027x')).status).toBe(200);
    // This PC offline: only the new password.
    expect(await verifyOffline('v.change', 'After@2027x')).toMatchObject({ ok: true });
    expect(await verifyOffline('v.change', 'Before@2026')).toMatchObject({
      reason: 'wrong_password',
    });
    expect(HubError).toBeDefined();
  });
});
