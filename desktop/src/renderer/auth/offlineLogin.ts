import type { SessionUser } from '@sibantong/shared';
import { fromBase64, sealSecret, toBase64, unsealSecret } from '../crypto/secretSealing';

/**
 * Offline login: after a successful online login we keep a salted PBKDF2-SHA256 verifier of
 * the password (never the password), the user's identity and how long offline login stays
 * allowed (the hub's `offlineLoginDays`). A village PC without network can then still let
 * the same person in.
 *
 * The record is sealed, not merely stored: AES-GCM under a record key that is itself sealed
 * by the OS keystore (Electron safeStorage through the preload bridge; in plain Chromium a
 * non-extractable WebCrypto key in IndexedDB — see crypto/secretSealing.ts). Role, expiry and
 * work factor cannot be read or edited in localStorage: any change fails authentication and
 * the record is refused. The username is the GCM associated data, so one person's record
 * cannot be moved under another name.
 *
 * Expiry is counted on the hub's clock: `validUntil` comes from the hub time of the login,
 * and "now" is never earlier than the latest hub time this device has seen (also sealed), so
 * turning the PC's clock back does not extend offline login.
 */
export interface OfflineVerifier {
  v: 2;
  username: string;
  salt: string;
  iterations: number;
  hash: string;
  user: SessionUser;
  validUntil: string;
}

const RECORDS_KEY = 'sibantong.offlineVerifiers.v2';
const RECORD_KEY_KEY = 'sibantong.offlineKey';
const HUB_CLOCK_KEY = 'sibantong.hubClock';
/** The unsealed records of earlier versions: never trusted, removed on sight. */
const LEGACY_KEY = 'sibantong.offlineVerifiers';
export const PBKDF2_ITERATIONS = 210_000;
/** A record claiming fewer iterations than this is refused (work factor downgrade). */
export const PBKDF2_MIN_ITERATIONS = 100_000;

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

let recordKey: Promise<CryptoKey> | null = null;

/** The AES-GCM key of the records: random once, kept only sealed by the OS keystore. */
function sealedRecordKey(): Promise<CryptoKey> {
  recordKey ??= (async () => {
    let raw: Uint8Array<ArrayBuffer>;
    const stored = localStorage.getItem(RECORD_KEY_KEY);
    if (stored) raw = fromBase64(await unsealSecret(stored));
    else {
      raw = crypto.getRandomValues(new Uint8Array(32));
      localStorage.setItem(RECORD_KEY_KEY, await sealSecret(toBase64(raw)));
      // Records sealed under a key now lost cannot be opened: start clean.
      localStorage.removeItem(RECORDS_KEY);
      localStorage.removeItem(HUB_CLOCK_KEY);
    }
    return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  })();
  recordKey.catch(() => {
    recordKey = null;
  });
  return recordKey;
}

async function seal(value: unknown, label: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(label) },
    await sealedRecordKey(),
    new TextEncoder().encode(JSON.stringify(value)),
  );
  return `${toBase64(iv)}:${toBase64(new Uint8Array(ct))}`;
}

/** The sealed value, or null when it was edited, moved or sealed under another key. */
async function open<T>(sealed: string, label: string): Promise<T | null> {
  const [iv, ct] = sealed.split(':');
  if (!iv || !ct) return null;
  try {
    const pt = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(iv), additionalData: new TextEncoder().encode(label) },
      await sealedRecordKey(),
      fromBase64(ct),
    );
    return JSON.parse(new TextDecoder().decode(pt)) as T;
  } catch {
    return null;
  }
}

function loadSealed(): Record<string, string> {
  localStorage.removeItem(LEGACY_KEY);
  try {
    const all = JSON.parse(localStorage.getItem(RECORDS_KEY) ?? '{}') as unknown;
    return all && typeof all === 'object' ? (all as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** The latest hub time this device has seen (ms), or 0. */
export async function lastHubTimeSeen(): Promise<number> {
  const sealed = localStorage.getItem(HUB_CLOCK_KEY);
  if (!sealed) return 0;
  const v = await open<{ hubTime: number }>(sealed, 'hub-clock');
  return v && Number.isFinite(v.hubTime) ? v.hubTime : 0;
}

/** Called with every hub answer that carries the hub's time (login, refresh). */
export async function noteHubTime(hubTimeIso: string): Promise<void> {
  const t = Date.parse(hubTimeIso);
  if (!Number.isFinite(t)) return;
  if (t <= (await lastHubTimeSeen())) return;
  localStorage.setItem(HUB_CLOCK_KEY, await seal({ hubTime: t }, 'hub-clock'));
}

export async function rememberForOffline(
  username: string,
  password: string,
  user: SessionUser,
  offlineLoginDays: number,
  hubTimeIso: string,
  iterations = PBKDF2_ITERATIONS,
): Promise<void> {
  const name = username.toLowerCase();
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hubNow = Date.parse(hubTimeIso);
  const from = Number.isFinite(hubNow) ? hubNow : Date.now();
  const record: OfflineVerifier = {
    v: 2,
    username,
    salt: toBase64(salt),
    iterations,
    hash: await derive(password, salt, iterations),
    user,
    validUntil: new Date(from + offlineLoginDays * 86_400_000).toISOString(),
  };
  await noteHubTime(new Date(from).toISOString());
  const all = loadSealed();
  all[name] = await seal(record, `verifier:${name}`);
  localStorage.setItem(RECORDS_KEY, JSON.stringify(all));
}

export type OfflineLoginResult =
  | { ok: true; user: SessionUser }
  | {
      ok: false;
      reason: 'unknown_user' | 'expired' | 'wrong_password' | 'tampered';
      message: string;
    };

/** Constant-time string compare: verifier checks must not leak by timing. */
function sameString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const TAMPERED: OfflineLoginResult = {
  ok: false,
  reason: 'tampered',
  message: '本机保存的离线登录记录无法验证（可能被改动），请联网后重新登录',
};

export async function verifyOffline(
  username: string,
  password: string,
  deviceNow = new Date(),
  /** Test hook: the minimum work factor accepted. */
  minIterations = PBKDF2_MIN_ITERATIONS,
): Promise<OfflineLoginResult> {
  const name = username.toLowerCase();
  const sealed = loadSealed()[name];
  if (!sealed)
    return {
      ok: false,
      reason: 'unknown_user',
      message: '该账号尚未在本设备联网登录过，离线时无法登录',
    };
  const v = await open<OfflineVerifier>(sealed, `verifier:${name}`);
  if (!v || v.v !== 2 || v.username.toLowerCase() !== name || v.iterations < minIterations)
    return TAMPERED;
  // The device clock may be turned back; the hub's time seen last never is.
  const now = Math.max(deviceNow.getTime(), await lastHubTimeSeen());
  if (Date.parse(v.validUntil) < now)
    return { ok: false, reason: 'expired', message: '离线登录有效期已过，请联网后重新登录' };
  const hash = await derive(password, fromBase64(v.salt), v.iterations);
  if (!sameString(hash, v.hash))
    return { ok: false, reason: 'wrong_password', message: '用户名或密码错误' };
  return { ok: true, user: v.user };
}

export function forgetOfflineVerifiers(): void {
  localStorage.removeItem(RECORDS_KEY);
  localStorage.removeItem(LEGACY_KEY);
}

/** Test hook: forget the cached record key (as a restart of the app would). */
export function resetOfflineKeyCache(): void {
  recordKey = null;
}
