/**
 * Login, refresh, logout, password change and per-request authentication. Every authenticated
 * request loads the session, device and user in one `_all_docs` round trip so revocation is
 * immediate, and checks that the token, its session, its device and the request's device
 * proof all name the same device and user (docs/security-model.md).
 */
import type { ChangePasswordResponse, LoginResponse, SessionUser } from '@sibantong/shared';
import { hubNow, hubNowIso } from '../clock.js';
import { ApiHttpError, badRequest, forbidden, unauthorized } from '../http/apiError.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import { clearFailures, reserveAttempt } from './accountLock.js';
import {
  deviceKey,
  sessionKey,
  userKey,
  type DeviceDoc,
  type SessionDoc,
  type UserDoc,
} from './authDocs.js';
import { deviceProofValid, type ProofChannel } from './deviceProof.js';
import {
  DUMMY_HASH,
  digestSecret,
  hashPassword,
  passwordProblem,
  sameDigest,
  verifyPassword,
} from './passwords.js';
import {
  AttemptLimiter,
  KeyedSerialiser,
  LOCK_MS,
  MAX_DEVICE_FAILURES_PER_ADDRESS,
  MAX_FAILURES_BEFORE_LOCK,
  MAX_PASSWORD_FAILURES_PER_DEVICE,
  type Reservation,
} from './throttle.js';
import {
  ACCESS_TTL_MS,
  OFFLINE_LOGIN_DAYS,
  REFRESH_TTL_MS,
  checkAccessToken,
  issueAccessToken,
  newId,
} from './tokens.js';
import { UNIT_NOT_ALLOWED_MESSAGE, deviceAcceptsUser } from './unitRule.js';
import { revokeSessionsOf } from './users.js';

/** What a request presents: its bearer token and its device's proof, and where they came from. */
export interface Credentials {
  token: string | undefined;
  proof: string | undefined;
  channel: ProofChannel;
}

export interface AuthContext {
  user: SessionUser;
  deviceId: string;
  deviceUnitId: string;
  sessionId: string;
}

type AuthDoc = UserDoc | DeviceDoc | SessionDoc;

const INVALID_LOGIN = () => unauthorized('AUTH_INVALID_CREDENTIALS', '用户名或密码错误');
const LOCKED = () =>
  new ApiHttpError(
    423,
    'ACCOUNT_LOCKED',
    `密码错误次数过多，账号已临时锁定，请 ${LOCK_MS / 60_000} 分钟后再试或联系信息管理员`,
  );
const DEVICE_UNKNOWN = () =>
  unauthorized('DEVICE_UNKNOWN', '本机未登记或登记信息无效，请联系信息管理员重新登记');
const DEVICE_REVOKED = () => unauthorized('DEVICE_REVOKED', '本机已被停用，请联系信息管理员');
const ADDRESS_THROTTLED = () =>
  new ApiHttpError(429, 'LOGIN_THROTTLED', '本机所在网络的无效登录请求过多，请 10 分钟后再试');
const DEVICE_THROTTLED = () =>
  new ApiHttpError(
    429,
    'DEVICE_LOGIN_THROTTLED',
    '本机密码错误次数过多，已暂停登录 10 分钟；如需立即恢复，请联系信息管理员',
  );
const ACCOUNT_DISABLED = () => unauthorized('ACCOUNT_DISABLED', '账号已停用，请联系信息管理员');
const SESSION_REVOKED = () => unauthorized('SESSION_REVOKED', '登录已失效，请重新登录');

export class AuthService {
  /** Invalid device credentials per client address (cheap to check, no password involved). */
  private readonly badDevices = new AttemptLimiter(MAX_DEVICE_FAILURES_PER_ADDRESS);
  /** Wrong passwords per enrolled device, over all accounts. */
  private readonly devicePasswords = new AttemptLimiter(MAX_PASSWORD_FAILURES_PER_DEVICE);
  /** Names with no account: locked like real ones, so the answers do not tell them apart. */
  private readonly unknownAccounts = new AttemptLimiter(MAX_FAILURES_BEFORE_LOCK, LOCK_MS);
  private readonly perAccount = new KeyedSerialiser();

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

  private issue(user: UserDoc, session: SessionDoc, refreshSecret: string): LoginResponse {
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

  /**
   * The device named in a login or refresh, if its secret matches. Wrong device credentials
   * count against the client address; a request with valid ones is never slowed by that
   * count, so a flood of made-up device ids blocks nobody's enrolled PC.
   */
  private async enrolledDevice(
    deviceId: string,
    deviceSecret: string,
    address: string,
    nowMs: number,
  ): Promise<DeviceDoc> {
    const slot = this.badDevices.reserve(address, nowMs);
    const device = (await this.load([deviceKey(deviceId)])).get(deviceKey(deviceId)) as
      DeviceDoc | undefined;
    if (!device || !sameDigest(device.secretDigest, digestSecret(deviceSecret))) {
      if (!slot) throw ADDRESS_THROTTLED();
      slot.keep();
      throw DEVICE_UNKNOWN();
    }
    slot?.release();
    if (device.revokedAt) throw DEVICE_REVOKED();
    return device;
  }

  async login(
    body: { username: string; password: string; deviceId: string; deviceSecret: string },
    address: string,
  ): Promise<LoginResponse> {
    const nowMs = hubNow().getTime();
    const device = await this.enrolledDevice(body.deviceId, body.deviceSecret, address, nowMs);
    const deviceSlot = this.devicePasswords.reserve(device.deviceId, nowMs);
    if (!deviceSlot) throw DEVICE_THROTTLED();
    const username = body.username.trim().toLowerCase();
    try {
      const out = await this.perAccount.run(username, () =>
        this.loginAccount(username, body.password, device, deviceSlot),
      );
      return out;
    } finally {
      // Any outcome that did not decide to keep the slot gives it back.
      deviceSlot.release();
    }
  }

  /** One account's login, never two at once for the same account in this process. */
  private async loginAccount(
    username: string,
    password: string,
    device: DeviceDoc,
    deviceSlot: Reservation,
  ): Promise<LoginResponse> {
    const nowMs = hubNow().getTime();
    const user = (await this.load([userKey(username)])).get(userKey(username)) as
      UserDoc | undefined;
    if (!user) {
      // No account: same work (a hash) and the same answers, lockout included.
      const slot = this.unknownAccounts.reserve(username, nowMs);
      if (!slot) throw LOCKED();
      await verifyPassword(password, DUMMY_HASH);
      slot.keep();
      deviceSlot.keep();
      throw INVALID_LOGIN();
    }
    if (!deviceAcceptsUser(device, user)) {
      // Checked before the password: a PC of another unit learns nothing about it.
      deviceSlot.keep();
      throw forbidden('DEVICE_UNIT_NOT_ALLOWED', UNIT_NOT_ALLOWED_MESSAGE);
    }
    if (user.disabled) {
      // Never checked against the password: the answer must not tell a right one from a wrong one.
      await verifyPassword(password, DUMMY_HASH);
      throw ACCOUNT_DISABLED();
    }
    const grant = await reserveAttempt(this.store, username, nowMs);
    if (grant.kind === 'missing') throw INVALID_LOGIN();
    if (grant.kind === 'locked') throw LOCKED();
    if (!(await verifyPassword(password, grant.user.passwordHash))) {
      deviceSlot.keep();
      throw INVALID_LOGIN();
    }
    await clearFailures(this.store, username);

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
    return this.issue(grant.user, session, refreshSecret);
  }

  async refresh(
    body: { refreshToken: string; deviceId: string; deviceSecret: string },
    address: string,
  ): Promise<LoginResponse> {
    const [sid, secret] = body.refreshToken.split('.');
    if (!sid || !secret) throw unauthorized('REFRESH_INVALID', '登录凭证无效，请重新登录');
    const nowMs = hubNow().getTime();
    // The refresh token alone is not enough: the request must come from its device.
    const device = await this.enrolledDevice(body.deviceId, body.deviceSecret, address, nowMs);
    const docs = await this.load([sessionKey(sid)]);
    const session = docs.get(sessionKey(sid)) as SessionDoc | undefined;
    if (!session || session.deviceId !== device.deviceId) {
      throw unauthorized('REFRESH_INVALID', '登录凭证无效，请重新登录');
    }
    if (session.revokedAt) throw SESSION_REVOKED();
    if (Date.parse(session.refreshExpiresAt) <= nowMs) {
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
    if (!user || user.disabled) throw ACCOUNT_DISABLED();
    if (!deviceAcceptsUser(device, user)) {
      throw forbidden('DEVICE_UNIT_NOT_ALLOWED', UNIT_NOT_ALLOWED_MESSAGE);
    }
    const nextSecret = newId(32);
    const updated: SessionDoc = {
      ...session,
      previousRefreshDigest: session.refreshDigest,
      refreshDigest: digestSecret(nextSecret),
      refreshExpiresAt: new Date(nowMs + REFRESH_TTL_MS).toISOString(),
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

  /**
   * The logged-in user changes their own password: the old one is required (a token left on
   * an unlocked PC is not enough), it counts towards the lockout like a login, and every other
   * session of the user ends; this one stays.
   */
  async changePassword(
    ctx: AuthContext,
    oldPassword: string,
    newPassword: string,
  ): Promise<ChangePasswordResponse> {
    const username = ctx.user.username;
    const problem = passwordProblem(newPassword);
    if (problem) throw badRequest('PASSWORD_POLICY', problem);
    if (oldPassword === newPassword) {
      throw badRequest('PASSWORD_UNCHANGED', '新密码不能与原密码相同');
    }
    return this.perAccount.run(username, async () => {
      const nowMs = hubNow().getTime();
      const grant = await reserveAttempt(this.store, username, nowMs);
      if (grant.kind === 'missing') throw ACCOUNT_DISABLED();
      if (grant.kind === 'locked') throw LOCKED();
      if (!(await verifyPassword(oldPassword, grant.user.passwordHash))) {
        throw unauthorized('OLD_PASSWORD_WRONG', '原密码不正确');
      }
      const hash = await hashPassword(newPassword);
      for (let round = 0; ; round += 1) {
        const user = (await this.load([userKey(username)])).get(userKey(username)) as
          UserDoc | undefined;
        if (!user) throw ACCOUNT_DISABLED();
        try {
          await withStoreRetry(() =>
            this.store.db<UserDoc>('auth').insert({
              ...user,
              passwordHash: hash,
              failedLogins: 0,
              lockedUntil: null,
              passwordChangedAt: hubNowIso(),
            }),
          );
          break;
        } catch (err) {
          if (statusOf(err) !== 409 || round >= 20) throw err;
        }
      }
      const revokedSessions = await revokeSessionsOf(this.store, 'username', username, {
        keepSid: ctx.sessionId,
      });
      return { revokedSessions, offlineLoginDays: OFFLINE_LOGIN_DAYS, hubTime: hubNowIso() };
    });
  }

  /**
   * Resolves a request's credentials to the caller, or throws a 401 with the precise reason.
   * The token must be signed, unexpired, presented with its device's proof, and name the same
   * device and user as its live session; the device must be live and accept the user.
   */
  async authenticate(creds: Credentials): Promise<AuthContext> {
    const { token, proof, channel } = creds;
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
    if (!device || device.revokedAt) throw DEVICE_REVOKED();
    if (!proof || !deviceProofValid(device.secretDigest, token, channel, proof)) {
      throw unauthorized('DEVICE_PROOF_INVALID', '登录凭证不属于本机，请在本机重新登录');
    }
    if (
      !session ||
      session.revokedAt ||
      session.deviceId !== did ||
      session.username !== usr ||
      Date.parse(session.refreshExpiresAt) <= hubNow().getTime()
    ) {
      throw SESSION_REVOKED();
    }
    if (!user || user.disabled) throw ACCOUNT_DISABLED();
    if (!deviceAcceptsUser(device, user)) {
      throw forbidden('DEVICE_UNIT_NOT_ALLOWED', UNIT_NOT_ALLOWED_MESSAGE);
    }
    return {
      user: this.sessionUser(user),
      deviceId: did,
      deviceUnitId: device.orgUnitId,
      sessionId: sid,
    };
  }
}
