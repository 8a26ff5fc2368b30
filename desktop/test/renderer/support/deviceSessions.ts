/**
 * Stand-in for the renderer's `auth/sessionStore` in tests that run several simulated
 * desktops in one process against a real hub: the real module keeps ONE session per process
 * (one person logged in on one PC). Here every device (keyed by its id) logs in over HTTP
 * with the device secret, like the real module's online login, and can be taken offline:
 * then no token is handed out, which the sync code sees exactly as "hub unreachable".
 * Everything else of the sync path (hubSession.authedFetch, hubFetch, the pull and push
 * handlers, RxDB) is the product's code.
 */
import type { LoginResponse } from '@sibantong/shared';
import { setTokenSigner } from '../../../src/renderer/api/hubClient';
import type { DeviceConfig } from '../../../src/renderer/auth/deviceConfig';
import { deviceProof } from '../../../src/renderer/auth/deviceProof';

interface DeviceLogin {
  username: string;
  password: string;
  secret: string;
  online: boolean;
  token: string | null;
  expiresAt: number;
}

const devices = new Map<string, DeviceLogin>();
/** Each device's config, to sign its tokens with its own device proof (as the real module does). */
const configs = new Map<string, DeviceConfig>();
setTokenSigner(async (token) => {
  const id = deviceOfToken(token);
  const cfg = id ? configs.get(id) : undefined;
  return cfg ? deviceProof(cfg, token) : '';
});
/** Streams opened per device (closed when it goes offline). */
const closers = new Map<string, Set<() => void>>();

export function registerDevice(deviceId: string, username: string, secret: string): void {
  devices.set(deviceId, {
    username,
    password: 'Demo@2026',
    secret,
    online: true,
    token: null,
    expiresAt: 0,
  });
}

export function setOnline(deviceId: string, online: boolean): void {
  const d = devices.get(deviceId);
  if (!d) return;
  d.online = online;
  if (!online) for (const close of closers.get(deviceId) ?? []) close();
}

export function isOnline(deviceId: string): boolean {
  return devices.get(deviceId)?.online ?? false;
}

/** The device whose token this is (streams carry the token in their URL). */
export function deviceOfToken(token: string): string | undefined {
  for (const [id, d] of devices) if (d.token === token) return id;
  return undefined;
}

export function onStreamOpened(deviceId: string, close: () => void): () => void {
  const set = closers.get(deviceId) ?? new Set();
  closers.set(deviceId, set);
  set.add(close);
  return () => set.delete(close);
}

// ---- the sessionStore surface the sync code uses ----

export function getSession(): null {
  return null;
}

export async function getAccessToken(cfg: DeviceConfig): Promise<string | null> {
  const d = devices.get(cfg.deviceId);
  configs.set(cfg.deviceId, cfg);
  if (!d || !d.online) return null;
  if (d.token && d.expiresAt - Date.now() > 30_000) return d.token;
  try {
    const res = await fetch(`${cfg.hubUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: d.username,
        password: d.password,
        deviceId: cfg.deviceId,
        deviceSecret: d.secret,
      }),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as LoginResponse;
    d.token = body.accessToken;
    d.expiresAt = new Date(body.accessExpiresAt).getTime();
    return d.token;
  } catch {
    return null;
  }
}

export function invalidateAccessToken(): void {
  // Which device's token failed is unknown here: every device logs in again when asked.
  for (const d of devices.values()) d.token = null;
}

export function markRefused(): void {
  // A simulated device is never refused by design; a 401/403 surfaces as a sync error.
}
