/** Wire types of the hub's device-enrolment and login API. */
import type { Actor } from '../org/orgTypes.js';

/** POST /api/devices/enroll — IT hands the one-time code to the village PC. */
export interface EnrollRequest {
  code: string;
  deviceName: string;
}
export interface EnrollResponse {
  deviceId: string;
  /** Long random secret; the device stores it (encrypted) and presents it at every login. */
  deviceSecret: string;
  /** Org unit the device is enrolled for (a village PC serves one service point). */
  orgUnitId: string;
  hubName: string;
}

/** POST /api/auth/login */
export interface LoginRequest {
  username: string;
  password: string;
  deviceId: string;
  deviceSecret: string;
}
export interface SessionUser extends Actor {
  username: string;
}
export interface LoginResponse {
  accessToken: string;
  /** ISO instant */
  accessExpiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  user: SessionUser;
  /** How long the device may let this user log in offline after this online login (days). */
  offlineLoginDays: number;
  /** Hub clock at answer time, so the client can warn about clock skew. */
  hubTime: string;
}

/** POST /api/auth/refresh */
export interface RefreshRequest {
  refreshToken: string;
  deviceId: string;
  /** Proof that the request comes from the enrolled device: a copied refresh token alone is useless. */
  deviceSecret: string;
}

/**
 * Every authenticated request proves the device holding the access token: header
 * `x-sbt-device-proof` = base64url(HMAC-SHA256(key = SHA-256(deviceSecret), accessToken)).
 * The event stream (EventSource cannot set headers) sends `?access_token=…&device_proof=…` with
 * the HMAC over `stream:` + accessToken, so a URL copied from a proxy log opens nothing else.
 */
export const DEVICE_PROOF_HEADER = 'x-sbt-device-proof';
export const DEVICE_PROOF_QUERY = 'device_proof';
export const STREAM_PROOF_PREFIX = 'stream:';

/** POST /api/auth/password — the logged-in user changes their own password. */
export interface ChangePasswordRequest {
  oldPassword: string;
  newPassword: string;
}
export interface ChangePasswordResponse {
  /** Sessions of this user on other devices that were ended. */
  revokedSessions: number;
  /** As at login: the device renews its offline-login record with the new password. */
  offlineLoginDays: number;
  hubTime: string;
}
export type RefreshResponse = LoginResponse;

/** GET /api/health without a token: cheap liveness, nothing that costs the store a scan. */
export interface HealthPublic {
  status: 'ok' | 'degraded';
  hubVersion: string;
  hubTime: string;
}
/** GET /api/health with the token of IT or the supervisor: details. */
export interface HealthResponse {
  status: 'ok' | 'degraded';
  store: { kind: 'embedded' | 'couchdb'; version: string; reachable: boolean };
  hubVersion: string;
  hubTime: string;
  workflow: { backlog: number; deadLetters: number; lastProcessedSeq: string | null };
}

/**
 * Password policy, the one rule the hub enforces (CLI, change-password route) and the
 * change-password form shows before sending: 8+ characters with at least two character classes.
 */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return '密码至少 8 位';
  if (password.length > 200) return '密码不能超过 200 位';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) =>
    re.test(password),
  ).length;
  if (classes < 2) return '密码须包含至少两类字符（大写、小写、数字、符号）';
  return null;
}
