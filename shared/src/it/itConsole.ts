/**
 * What the IT console (desktop, it_admin) and the hub's /api/it routes exchange. The hub
 * computes these rows with the same functions the `sibantong-hub` CLI uses.
 */
import type { Role } from '../org/orgTypes';

export interface ItDeviceRow {
  deviceId: string;
  name: string;
  orgUnitId: string;
  enrolledAt: string;
  revokedAt: string | null;
  /** Latest login or session start from this PC (null: never logged in). */
  lastSeenAt: string | null;
}

export interface ItUserRow {
  username: string;
  name: string;
  role: Role;
  orgUnitId: string;
  disabled: boolean;
  /** Locked after too many wrong passwords, until this time (null: not locked). */
  lockedUntil: string | null;
  failedLogins: number;
}

export interface ItEnrolResponse {
  orgUnitId: string;
  code: string;
  expiresAt: string;
}

export interface ItAddUserRequest {
  username: string;
  name: string;
  role: Role;
  orgUnitId: string;
  /** Absent: the hub generates one and returns it once. */
  password?: string;
}

export interface ItPasswordResponse {
  username: string;
  /** The new password, shown once to IT (generated when none was given). */
  password: string;
}

export interface ItHealth {
  store: { kind: 'embedded' | 'couchdb'; version: string };
  hubVersion: string;
  deadLetters: Array<{
    caseId: string;
    job: string;
    code: string;
    message: string;
    attempts: number;
    lastAt: string;
  }>;
}

/** A lock is in force while its end lies ahead. */
export function isAccountLocked(user: Pick<ItUserRow, 'lockedUntil'>, now: Date): boolean {
  return user.lockedUntil !== null && Date.parse(user.lockedUntil) > now.getTime();
}
