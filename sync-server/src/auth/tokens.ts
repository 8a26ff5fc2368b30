/**
 * Access tokens: HMAC-signed, short-lived, bound to one session and one device. The hub
 * still loads the session, device and user on every request, so a revoked device or a
 * disabled user is refused at the very next request even though the token is stateless.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const ACCESS_TTL_MS = 15 * 60 * 1000;
export const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;
export const OFFLINE_LOGIN_DAYS = 7;

export interface AccessClaims {
  /** session id */
  sid: string;
  /** username (user doc key) */
  usr: string;
  /** device id */
  did: string;
  /** expiry, ms since epoch (hub clock) */
  exp: number;
}

function sign(key: string, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

export function issueAccessToken(key: string, claims: AccessClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `v1.${payload}.${sign(key, payload)}`;
}

export type TokenCheck =
  { ok: true; claims: AccessClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

export function checkAccessToken(key: string, token: string, nowMs: number): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1') return { ok: false, reason: 'malformed' };
  const [, payload, sig] = parts as [string, string, string];
  const expected = Buffer.from(sign(key, payload));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'signature' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (
    !raw ||
    typeof raw !== 'object' ||
    typeof (raw as AccessClaims).sid !== 'string' ||
    typeof (raw as AccessClaims).usr !== 'string' ||
    typeof (raw as AccessClaims).did !== 'string' ||
    typeof (raw as AccessClaims).exp !== 'number'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  const claims = raw as AccessClaims;
  if (claims.exp <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

export function newId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}
