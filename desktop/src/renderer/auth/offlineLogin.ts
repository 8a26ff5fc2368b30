import type { SessionUser } from '@sibantong/shared';
import { fromBase64, toBase64 } from '../crypto/secretSealing';

/**
 * Offline login: after a successful online login we keep a salted PBKDF2-SHA256 verifier of
 * the password (never the password), the user's identity and how long offline login stays
 * allowed (the hub's `offlineLoginDays`). A village PC without network can then still let
 * the same person in. Iterations are high enough to make offline guessing slow on a stolen
 * laptop while keeping login under a second on a service-point PC.
 */
export interface OfflineVerifier {
  username: string;
  salt: string;
  iterations: number;
  hash: string;
  user: SessionUser;
  validUntil: string;
}

const KEY = 'sibantong.offlineVerifiers';
export const PBKDF2_ITERATIONS = 210_000;

async function derive(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<string> {
  const base = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(password),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    256,
  );
  return toBase64(new Uint8Array(bits));
}

function loadAll(): Record<string, OfflineVerifier> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, OfflineVerifier>;
  } catch {
    return {};
  }
}

export async function rememberForOffline(
  username: string,
  password: string,
  user: SessionUser,
  offlineLoginDays: number,
  iterations = PBKDF2_ITERATIONS,
): Promise<void> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const all = loadAll();
  all[username.toLowerCase()] = {
    username,
    salt: toBase64(salt),
    iterations,
    hash: await derive(password, salt, iterations),
    user,
    validUntil: new Date(Date.now() + offlineLoginDays * 86_400_000).toISOString(),
  };
  localStorage.setItem(KEY, JSON.stringify(all));
}

export type OfflineLoginResult =
  | { ok: true; user: SessionUser }
  | { ok: false; reason: 'unknown_user' | 'expired' | 'wrong_password'; message: string };

/** Constant-time string compare: verifier checks must not leak by timing. */
function sameString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export async function verifyOffline(
  username: string,
  password: string,
  now = new Date(),
): Promise<OfflineLoginResult> {
  const v = loadAll()[username.toLowerCase()];
  if (!v)
    return {
      ok: false,
      reason: 'unknown_user',
      message: '该账号尚未在本设备联网登录过，离线时无法登录',
    };
  if (new Date(v.validUntil) < now)
    return { ok: false, reason: 'expired', message: '离线登录有效期已过，请联网后重新登录' };
  const hash = await derive(password, fromBase64(v.salt), v.iterations);
  if (!sameString(hash, v.hash))
    return { ok: false, reason: 'wrong_password', message: '用户名或密码错误' };
  return { ok: true, user: v.user };
}

export function forgetOfflineVerifiers(): void {
  localStorage.removeItem(KEY);
}
