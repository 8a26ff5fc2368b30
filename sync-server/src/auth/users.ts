/** User accounts (CLI and seed): create, disable, reset password. */
import { ROLES, type Role } from '@sibantong/shared';
import { hubNowIso } from '../clock.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { userKey, type SessionDoc, type UserDoc } from './authDocs.js';
import { AdminInputError } from './adminInputError.js';

export interface NewUser {
  username: string;
  userId?: string;
  name: string;
  role: Role;
  orgUnitId: string;
  password: string;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export async function addUser(
  store: Store,
  u: NewUser,
  opts: { skipPolicy?: boolean } = {},
): Promise<'created' | 'exists'> {
  if (!/^[a-z0-9][a-z0-9._-]{1,39}$/.test(u.username)) {
    throw new AdminInputError(
      'USERNAME_INVALID',
      '用户名只能包含小写字母、数字、点、下划线和连字符（2–40 位）',
    );
  }
  const problem = opts.skipPolicy ? null : passwordProblem(u.password);
  if (problem) throw new AdminInputError('PASSWORD_POLICY', problem);
  const doc: UserDoc = {
    _id: userKey(u.username),
    type: 'user',
    userId: u.userId ?? `u-${u.username}`,
    username: u.username,
    name: u.name,
    role: u.role,
    orgUnitId: u.orgUnitId,
    passwordHash: await hashPassword(u.password),
    disabled: false,
    failedLogins: 0,
    lockedUntil: null,
    passwordChangedAt: hubNowIso(),
  };
  try {
    await withStoreRetry(() => store.db<UserDoc>('auth').insert(doc));
    return 'created';
  } catch (err) {
    if (statusOf(err) === 409) return 'exists';
    throw err;
  }
}

export async function getUser(store: Store, username: string): Promise<UserDoc | null> {
  try {
    return await withStoreRetry(() => store.db<UserDoc>('auth').get(userKey(username)));
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

async function updateUser(
  store: Store,
  username: string,
  change: (u: UserDoc) => void,
): Promise<UserDoc> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const user = await getUser(store, username);
    if (!user) throw new AdminInputError('USER_NOT_FOUND', `用户不存在：${username}`);
    change(user);
    try {
      await withStoreRetry(() => store.db<UserDoc>('auth').insert(user));
      return user;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }
  throw new Error('更新用户失败（并发冲突），请重试');
}

/** Ends every session of the user: they must log in again on every device. */
export async function revokeSessionsOf(
  store: Store,
  field: 'username' | 'deviceId',
  value: string,
  opts: { keepSid?: string } = {},
): Promise<number> {
  const db = store.db<SessionDoc>('auth');
  const found = await withStoreRetry(() =>
    db.find({ selector: { type: 'session', [field]: value }, limit: 10_000 }),
  );
  const now = hubNowIso();
  const docs = found.docs
    .filter((s) => !s.revokedAt && s.sid !== opts.keepSid)
    .map((s) => ({ ...s, revokedAt: now }));
  if (docs.length) await withStoreRetry(() => db.bulk({ docs }));
  return docs.length;
}

export async function disableUser(store: Store, username: string): Promise<void> {
  await updateUser(store, username, (u) => {
    u.disabled = true;
  });
  await revokeSessionsOf(store, 'username', username);
}

/** Lifts a lockout without touching the password (the user remembered it after all). */
export async function unlockUser(store: Store, username: string): Promise<void> {
  await updateUser(store, username, (u) => {
    u.failedLogins = 0;
    u.lockedUntil = null;
  });
}

/** Sets the other units whose PCs accept this user (roaming staff); empty list: own unit only. */
export async function setRoamingUnits(
  store: Store,
  username: string,
  unitIds: readonly string[],
): Promise<UserDoc> {
  return updateUser(store, username, (u) => {
    u.roamingUnitIds = [...new Set(unitIds)].filter((id) => id !== u.orgUnitId);
  });
}

export async function enableUser(store: Store, username: string): Promise<void> {
  await updateUser(store, username, (u) => {
    u.disabled = false;
  });
}

export async function resetPassword(
  store: Store,
  username: string,
  password: string,
): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw new AdminInputError('PASSWORD_POLICY', problem);
  const hash = await hashPassword(password);
  await updateUser(store, username, (u) => {
    u.passwordHash = hash;
    u.failedLogins = 0;
    u.lockedUntil = null;
    u.passwordChangedAt = hubNowIso();
  });
  await revokeSessionsOf(store, 'username', username);
}
