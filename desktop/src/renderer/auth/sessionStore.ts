import type {
  ChangePasswordRequest,
  ChangePasswordResponse,
  LoginRequest,
  LoginResponse,
  RefreshRequest,
  SessionUser,
} from '@sibantong/shared';
import { HubError, hubFetch, setTokenSigner } from '../api/hubClient';
import { sealSecret, unsealSecret } from '../crypto/secretSealing';
import { updateCountyKey } from './countyKey';
import { deviceSecret, type DeviceConfig } from './deviceConfig';
import { deviceProof } from './deviceProof';
import { noteHubTime, rememberForOffline, verifyOffline } from './offlineLogin';

/** Every request with a token carries this device's proof (docs/security-model.md). */
function signRequestsAs(cfg: DeviceConfig): void {
  setTokenSigner((token) => deviceProof(cfg, token));
}

/**
 * The logged-in person and the hub tokens. Kept outside React so the sync engine can ask for
 * a fresh token without re-rendering anything; React reads it via useSession().
 */
export interface Session {
  user: SessionUser;
  /** How the person logged in: offline sessions get a token as soon as the hub is reachable. */
  mode: 'online' | 'offline';
  accessToken: string | null;
  accessExpiresAt: string | null;
  /** Set when the hub refused this device or user (revoked, disabled): sync stops. */
  refusedMessage: string | null;
  /** Hub clock minus device clock at the last login/refresh (ms). */
  clockSkewMs: number;
}

type Listener = () => void;
let current: Session | null = null;
const listeners = new Set<Listener>();

export function getSession(): Session | null {
  return current;
}
function setSession(s: Session | null): void {
  current = s;
  for (const l of listeners) l();
}
export function subscribeSession(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

const REFRESH_KEY = 'sibantong.refresh.';

async function storeTokens(res: LoginResponse, mode: Session['mode']): Promise<void> {
  localStorage.setItem(REFRESH_KEY + res.user.userId, await sealSecret(res.refreshToken));
  await noteHubTime(res.hubTime);
  setSession({
    user: res.user,
    mode,
    accessToken: res.accessToken,
    accessExpiresAt: res.accessExpiresAt,
    refusedMessage: null,
    clockSkewMs: new Date(res.hubTime).getTime() - Date.now(),
  });
}

export function validateLoginInput(username: string, password: string): string | null {
  if (!username.trim()) return '请输入用户名';
  if (!password) return '请输入密码';
  return null;
}

/**
 * Online first; when the hub cannot be reached at all, fall back to the offline verifier.
 * A hub that answers "no" (wrong password, revoked device) is never bypassed offline.
 */
export async function login(
  cfg: DeviceConfig,
  username: string,
  password: string,
): Promise<Session> {
  const body: LoginRequest = {
    username: username.trim(),
    password,
    deviceId: cfg.deviceId,
    deviceSecret: await deviceSecret(cfg),
  };
  try {
    const res = await hubFetch<LoginResponse>(cfg.hubUrl, '/api/auth/login', {
      method: 'POST',
      body,
      timeoutMs: 6000,
    });
    await rememberForOffline(body.username, password, res.user, res.offlineLoginDays, res.hubTime);
    signRequestsAs(cfg);
    await storeTokens(res, 'online');
    // The ID digest key, for work done on this PC until the next online login.
    await updateCountyKey(cfg, res.accessToken);
  } catch (e) {
    if (!(e instanceof HubError) || !e.unreachable) {
      if (e instanceof HubError && e.status === 401)
        throw new HubError(e.code, e.message || '用户名或密码错误', 401);
      throw e;
    }
    const off = await verifyOffline(body.username, password);
    if (!off.ok) throw new HubError(off.reason, off.message, 0);
    setSession({
      user: off.user,
      mode: 'offline',
      accessToken: null,
      accessExpiresAt: null,
      refusedMessage: null,
      clockSkewMs: 0,
    });
  }
  return current as Session;
}

export function logout(): void {
  setSession(null);
}

let refreshing: Promise<string | null> | null = null;

/**
 * A valid access token, refreshing it when missing or about to expire. Returns null when the
 * hub cannot be reached; marks the session refused when the hub rejects the device or user.
 */
export async function getAccessToken(cfg: DeviceConfig): Promise<string | null> {
  const s = current;
  if (!s || s.refusedMessage) return null;
  signRequestsAs(cfg);
  if (
    s.accessToken &&
    s.accessExpiresAt &&
    new Date(s.accessExpiresAt).getTime() - Date.now() > 30_000
  )
    return s.accessToken;
  refreshing ??= (async () => {
    try {
      const sealed = localStorage.getItem(REFRESH_KEY + s.user.userId);
      if (!sealed) {
        markRefused('本账号在本设备上没有有效的联网凭据，请联网后重新登录');
        return null;
      }
      const body: RefreshRequest = {
        refreshToken: await unsealSecret(sealed),
        deviceId: cfg.deviceId,
        // The refresh token alone is useless: the hub wants this device's secret too.
        deviceSecret: await deviceSecret(cfg),
      };
      const res = await hubFetch<LoginResponse>(cfg.hubUrl, '/api/auth/refresh', {
        method: 'POST',
        body,
        timeoutMs: 6000,
      });
      await storeTokens(res, s.mode);
      // A PC that logged in offline gets the ID digest key once the hub is reachable.
      await updateCountyKey(cfg, res.accessToken, true);
      return res.accessToken;
    } catch (e) {
      if (e instanceof HubError && (e.status === 401 || e.status === 403)) {
        markRefused(`中心服务器拒绝了本设备的连接：${e.message}`);
      }
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Called by the sync engine when the hub answers 401/403 with a token that looked valid. */
export function invalidateAccessToken(): void {
  if (current) setSession({ ...current, accessToken: null, accessExpiresAt: null });
}

export function markRefused(message: string): void {
  if (current) setSession({ ...current, refusedMessage: message, accessToken: null });
}

/**
 * The logged-in user changes their password on the hub (online only: the old password is
 * checked there). The hub ends the user's other sessions; this device renews its offline
 * record so the old password stops working offline too.
 */
export async function changePassword(
  cfg: DeviceConfig,
  oldPassword: string,
  newPassword: string,
): Promise<ChangePasswordResponse> {
  const s = current;
  if (!s) throw new HubError('AUTH_REQUIRED', '请先登录', 401);
  const token = await getAccessToken(cfg);
  if (!token) throw new HubError('unreachable', '修改密码需要连接中心服务器，请联网后再试', 0);
  const body: ChangePasswordRequest = { oldPassword, newPassword };
  const res = await hubFetch<ChangePasswordResponse>(cfg.hubUrl, '/api/auth/password', {
    method: 'POST',
    body,
    token,
    timeoutMs: 15_000,
  });
  await rememberForOffline(s.user.username, newPassword, s.user, res.offlineLoginDays, res.hubTime);
  return res;
}
