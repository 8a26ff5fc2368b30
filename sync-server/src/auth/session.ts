/**
 * Login, refresh, logout and per-request authentication. Every authenticated request loads
 * the session, device and user in one `_all_docs` round trip so revocation is immediate.
 */
import type { LoginResponse, SessionUser } from '@sibantong/shared';
import { hubNow, hubNowIso } from '../clock.js';
import { ApiHttpError, unauthorized } from '../http/apiError.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import {
  deviceKey,
  sessionKey,
  userKey,
  type DeviceDoc,
  type SessionDoc,
  type UserDoc,
} from './authDocs.js';
import { DUMMY_HASH, digestSecret, sameDigest, verifyPassword } from './passwords.js';
import { AddressThrottle, LOCK_MS, MAX_FAILURES_BEFORE_LOCK } from './throttle.js';
import {
  ACCESS_TTL_MS,
  OFFLINE_LOGIN_DAYS,
  REFRESH_TTL_MS,
  checkAccessToken,
  issueAccessToken,
  newId,
} from './tokens.js';

export interface AuthContext {
  user: SessionUser;
  deviceId: string;
  deviceUnitId: string;
  sessionId: string;
}

type AuthDoc = UserDoc | DeviceDoc | SessionDoc;

const INVALID_LOGIN = () => unauthorized('AUTH_INVALID_CREDENTIALS', '用户名或密码错误');

export class AuthService {
  private readonly throttle = new AddressThrottle();
  constructor(
    private readonly store: Store,
    private readonly tokenKey: string,
  ) {}

  private async load(keys: string[]): Promise<Map<string, AuthDoc>> {
    const res = await withStoreRetry(() =>
      this.store.db<AuthDoc>('auth').fetch({ keys }, { include_docs: true }),
    );
    const out = new Map<string, AuthDoc>();
    for (const row of res.rows) {
      if ('doc' in row && row.doc) out.set(row.key, row.doc as AuthDoc);
    }
    return out;
  }

  private sessionUser(u: UserDoc): SessionUser {
    return {
      userId: u.userId,
      username: u.username,
      name: u.name,
      role: u.role,
      orgUnitId: u.orgUnitId,
    };
  }

  private async issue(
    user: UserDoc,
    session: SessionDoc,
    refreshSecret: string,
  ): Promise<LoginResponse> {
    const now = hubNow().getTime();
    const accessExpiresAt = now + ACCESS_TTL_MS;
    return {
      accessToken: issueAccessToken(this.tokenKey, {
        sid: session.sid,
        usr: user.username,
        did: session.deviceId,
        exp: accessExpiresAt,
      }),
      accessExpiresAt: new Date(accessExpiresAt).toISOString(),
      refreshToken: `${session.sid}.${refreshSecret}`,
      refreshExpiresAt: session.refreshExpiresAt,
      user: this.sessionUser(user),
      offlineLoginDays: OFFLINE_LOGIN_DAYS,
      hubTime: hubNowIso(),
    };
  }

  private async saveUser(user: UserDoc): Promise<void> {
    try {
      await withStoreRetry(() => this.store.db<UserDoc>('auth').insert(user));
    } catch (err) {
      // A concurrent login updated the counter first; losing one count is harmless.
      if (statusOf(err) !== 409) throw err;
    }
  }

  async login(
    body: { username: string; password: string; deviceId: string; deviceSecret: string },
    address: string,
  ): Promise<LoginResponse> {
    const nowMs = hubNow().getTime();
    if (this.throttle.blocked(address, nowMs)) {
      throw new ApiHttpError(429, 'LOGIN_THROTTLED', '登录失败次数过多，请 10 分钟后再试');
    }
    const docs = await this.load([userKey(body.username), deviceKey(body.deviceId)]);
    const user = docs.get(userKey(body.username)) as UserDoc | undefined;
    const device = docs.get(deviceKey(body.deviceId)) as DeviceDoc | undefined;

    if (!device || !sameDigest(device.secretDigest, digestSecret(body.deviceSecret))) {
      this.throttle.recordFailure(address, nowMs);
      throw unauthorized('DEVICE_UNKNOWN', '本机未登记或登记信息无效，请联系信息管理员重新登记');
    }
    if (device.revokedAt) throw unauthorized('DEVICE_REVOKED', '本机已被停用，请联系信息管理员');

    if (user?.lockedUntil && Date.parse(user.lockedUntil) > nowMs) {
      throw new ApiHttpError(
        423,
        'ACCOUNT_LOCKED',
        '密码错误次数过多，账号已临时锁定，请 15 分钟后再试或联系信息管理员',
      );
    }
    const passwordOk = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !passwordOk) {
      this.throttle.recordFailure(address, nowMs);
      if (user) {
        user.failedLogins += 1;
        if (user.failedLogins >= MAX_FAILURES_BEFORE_LOCK) {
          user.lockedUntil = new Date(nowMs + LOCK_MS).toISOString();
          user.failedLogins = 0;
        }
        await this.saveUser(user);
      }
      throw INVALID_LOGIN();
    }
    if (user.disabled) throw unauthorized('ACCOUNT_DISABLED', '账号已停用，请联系信息管理员');
    if (user.failedLogins !== 0 || user.lockedUntil) {
      user.failedLogins = 0;
      user.lockedUntil = null;
      await this.saveUser(user);
    }

    const sid = newId();
    const refreshSecret = newId(32);
    const session: SessionDoc = {
      _id: sessionKey(sid),
      type: 'session',
      sid,
      username: user.username,
      deviceId: device.deviceId,
      refreshDigest: digestSecret(refreshSecret),
      previousRefreshDigest: null,
      refreshExpiresAt: new Date(nowMs + REFRESH_TTL_MS).toISOString(),
      createdAt: hubNowIso(),
      revokedAt: null,
    };
    await withStoreRetry(() => this.store.db<SessionDoc>('auth').insert(session));
    return this.issue(user, session, refreshSecret);
  }

  async refresh(body: { refreshToken: string; deviceId: string }): Promise<LoginResponse> {
    const [sid, secret] = body.refreshToken.split('.');
    if (!sid || !secret) throw unauthorized('REFRESH_INVALID', '登录凭证无效，请重新登录');
    const docs = await this.load([sessionKey(sid), deviceKey(body.deviceId)]);
    const session = docs.get(sessionKey(sid)) as SessionDoc | undefined;
    const device = docs.get(deviceKey(body.deviceId)) as DeviceDoc | undefined;
    if (!session || session.deviceId !== body.deviceId) {
      throw unauthorized('REFRESH_INVALID', '登录凭证无效，请重新登录');
    }
    if (!device || device.revokedAt)
      throw unauthorized('DEVICE_REVOKED', '本机已被停用，请联系信息管理员');
    if (session.revokedAt) throw unauthorized('SESSION_REVOKED', '登录已失效，请重新登录');
    if (Date.parse(session.refreshExpiresAt) <= hubNow().getTime()) {
      throw unauthorized('REFRESH_EXPIRED', '登录已过期，请重新登录');
    }
    const digest = digestSecret(secret);
    if (!sameDigest(session.refreshDigest, digest)) {
      if (session.previousRefreshDigest && sameDigest(session.previousRefreshDigest, digest)) {
        // An old refresh token came back: someone copied it. End the session for both holders.
        await withStoreRetry(() =>
          this.store.db<SessionDoc>('auth').insert({ ...session, revokedAt: hubNowIso() }),
        );
        throw unauthorized('REFRESH_REUSED', '登录凭证已被使用过，为安全起见已退出登录');
      }
      throw unauthorized('REFRESH_INVALID', '登录凭证无效，请重新登录');
    }
    const user = (await this.load([userKey(session.username)])).get(userKey(session.username)) as
      UserDoc | undefined;
    if (!user || user.disabled)
      throw unauthorized('ACCOUNT_DISABLED', '账号已停用，请联系信息管理员');
    const nextSecret = newId(32);
    const updated: SessionDoc = {
      ...session,
      previousRefreshDigest: session.refreshDigest,
      refreshDigest: digestSecret(nextSecret),
      refreshExpiresAt: new Date(hubNow().getTime() + REFRESH_TTL_MS).toISOString(),
    };
    try {
      await withStoreRetry(() => this.store.db<SessionDoc>('auth').insert(updated));
    } catch (err) {
      if (statusOf(err) === 409)
        throw unauthorized('REFRESH_REUSED', '登录凭证已被使用过，请重新登录');
      throw err;
    }
    return this.issue(user, updated, nextSecret);
  }

  async logout(ctx: AuthContext): Promise<void> {
    const db = this.store.db<SessionDoc>('auth');
    const session = await withStoreRetry(() => db.get(sessionKey(ctx.sessionId)));
    await withStoreRetry(() => db.insert({ ...session, revokedAt: hubNowIso() }));
  }

  /** Resolves a bearer token to the caller, or throws a 401 with the precise reason. */
  async authenticate(token: string | undefined): Promise<AuthContext> {
    if (!token) throw unauthorized('AUTH_REQUIRED', '请先登录');
    const check = checkAccessToken(this.tokenKey, token, hubNow().getTime());
    if (!check.ok) {
      if (check.reason === 'expired')
        throw unauthorized('TOKEN_EXPIRED', '登录已过期，请刷新或重新登录');
      throw unauthorized('TOKEN_INVALID', '登录凭证无效，请重新登录');
    }
    const { sid, usr, did } = check.claims;
    const docs = await this.load([sessionKey(sid), deviceKey(did), userKey(usr)]);
    const session = docs.get(sessionKey(sid)) as SessionDoc | undefined;
    const device = docs.get(deviceKey(did)) as DeviceDoc | undefined;
    const user = docs.get(userKey(usr)) as UserDoc | undefined;
    if (!device || device.revokedAt)
      throw unauthorized('DEVICE_REVOKED', '本机已被停用，请联系信息管理员');
    if (!session || session.revokedAt || session.deviceId !== did) {
      throw unauthorized('SESSION_REVOKED', '登录已失效，请重新登录');
    }
    if (!user || user.disabled)
      throw unauthorized('ACCOUNT_DISABLED', '账号已停用，请联系信息管理员');
    return {
      user: this.sessionUser(user),
      deviceId: did,
      deviceUnitId: device.orgUnitId,
      sessionId: sid,
    };
  }
}
