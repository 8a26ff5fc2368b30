/** Documents of the hub's private `auth` database (never replicated to clients). */
import type { Role } from '@sibantong/shared';
import type { StoredDeviceReport } from '@sibantong/shared/it/deviceReport';

export interface UserDoc {
  _id: string; // user:<username>
  _rev?: string;
  type: 'user';
  userId: string;
  username: string;
  name: string;
  role: Role;
  orgUnitId: string;
  passwordHash: string;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  passwordChangedAt: string;
  /**
   * Units other than `orgUnitId` whose PCs accept this user (roaming staff, set by IT with
   * `user roam`). Absent or empty: only PCs enrolled for the user's own unit.
   */
  roamingUnitIds?: string[];
}

export interface DeviceDoc {
  _id: string; // device:<deviceId>
  _rev?: string;
  type: 'device';
  deviceId: string;
  name: string;
  orgUnitId: string;
  secretDigest: string;
  enrolledAt: string;
  revokedAt: string | null;
  /** The PC's latest report (deviceReport.ts); absent until it first reports. */
  report?: StoredDeviceReport;
}

export interface EnrolmentDoc {
  _id: string; // enrol:<digest of code>
  _rev?: string;
  type: 'enrolment';
  orgUnitId: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  deviceId: string | null;
}

export interface SessionDoc {
  _id: string; // session:<sid>
  _rev?: string;
  type: 'session';
  sid: string;
  username: string;
  deviceId: string;
  refreshDigest: string;
  /** The previous refresh secret: presenting it again means theft, and ends the session. */
  previousRefreshDigest: string | null;
  refreshExpiresAt: string;
  createdAt: string;
  revokedAt: string | null;
}

export const userKey = (username: string) => `user:${username}`;
export const deviceKey = (deviceId: string) => `device:${deviceId}`;
export const sessionKey = (sid: string) => `session:${sid}`;
export const enrolKey = (digest: string) => `enrol:${digest}`;
