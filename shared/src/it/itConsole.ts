/**
 * What the IT console (desktop, it_admin) and the hub's /api/it routes exchange. The hub
 * computes these rows with the same functions the `sibantong-hub` CLI uses.
 */
import type { CalendarCoverage } from '../calendar/calendarCoverage.js';
import type { CalendarYearTable } from '../calendar/calendarTypes.js';
import type { Role } from '../org/orgTypes.js';
import type { StoredDeviceReport } from './deviceReport.js';

// The PC's report travels with the console's types (one import path for the renderer).
export * from './deviceReport.js';

export interface ItDeviceRow {
  deviceId: string;
  name: string;
  orgUnitId: string;
  enrolledAt: string;
  revokedAt: string | null;
  /** Latest login or session start from this PC (null: never logged in). */
  lastSeenAt: string | null;
  /** The PC's latest report: app version, pending uploads (null: never reported). */
  report: StoredDeviceReport | null;
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
  /** Case changes the workflow has not processed yet (the hub's own feed position). */
  backlog: number | null;
  deadLetters: ItDeadLetter[];
  /**
   * This hub process since it started: it reads every case once to know which PC may see which
   * (its scope index). Until then pulls and pushes are slower; at a million cases it takes
   * minutes.
   */
  warmUp: { ready: boolean; casesRead: number; startedAt: string; readyAt: string | null };
  /**
   * The cockpit's figures: `current`; `rebuilding` after an upgrade or a restore (`percent`
   * done); `pending` before their first build; `off` when the hub answers from the store's
   * views instead (HUB_FIGURE_AGGREGATES=off).
   */
  figures: { state: 'current' | 'rebuilding' | 'pending' | 'off'; percent: number | null };
  runtime: ItRuntime;
}

/**
 * This hub process's memory and its stalls: times it answered nobody for a while (0.2 s or
 * more), newest first, from the last hour, with how much of each was garbage collection. A
 * request that is slow now and then either met a stall here or waited elsewhere.
 */
export interface ItRuntime {
  heapUsedMb: number;
  heapLimitMb: number;
  stalls: Array<{ at: string; ms: number; gcMs: number }>;
}

/** Workflow work that failed on a case (one job), kept until it succeeds. */
export interface ItDeadLetter {
  /** What IT names to retry it. */
  id: string;
  caseId: string;
  job: string;
  code: string;
  message: string;
  attempts: number;
  lastAt: string;
  /** A retry asked for and not yet run by the hub process that runs the workflow. */
  retryQueuedAt: string | null;
}

/**
 * What a retry did: `processed` (the job now succeeded, the letter is closed), `failed`
 * (it failed again: the new reason is given), `queued` (another hub process runs the
 * workflow; it retries within seconds), `case_gone` (the case no longer exists; closed).
 */
export interface ItDeadLetterRetry {
  id: string;
  caseId: string;
  job: string;
  outcome: 'processed' | 'failed' | 'queued' | 'case_gone';
  code?: string;
  message?: string;
}

export interface ItCalendarStatus extends CalendarCoverage {
  /** Cases whose deadlines are provisional (暂估) for want of a year's table. */
  provisionalCases: number;
}

/** What importing a year's file would do, shown to IT before the import. */
export interface ItCalendarPreview {
  table: CalendarYearTable;
  /** The hub already has this year: the import replaces it. */
  replaces: boolean;
  recomputeCases: number;
}

export interface ItReleaseBuild {
  version: string;
  /** Share of the channel's PCs offered this build (0–100). */
  rollout: number;
  publishedAt: string;
}

export interface ItReleaseChannel {
  channel: 'stable' | 'pilot';
  current: ItReleaseBuild | null;
  /** What a rollback returns to (and what PCs outside the rollout keep). */
  previous: ItReleaseBuild | null;
  /** Latest actions first. */
  log: Array<{ at: string; action: string; version: string; rollout?: number }>;
}

/** A lock is in force while its end lies ahead. */
export function isAccountLocked(user: Pick<ItUserRow, 'lockedUntil'>, now: Date): boolean {
  return user.lockedUntil !== null && Date.parse(user.lockedUntil) > now.getTime();
}
