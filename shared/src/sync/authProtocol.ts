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
}
export type RefreshResponse = LoginResponse;

/** GET /api/health */
export interface HealthResponse {
  status: 'ok' | 'degraded';
  store: { kind: 'embedded' | 'couchdb'; version: string; reachable: boolean };
  hubVersion: string;
  hubTime: string;
  workflow: { backlog: number; deadLetters: number; lastProcessedSeq: string | null };
}
