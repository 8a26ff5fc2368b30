/**
 * The IT administrator's operations, once: the `sibantong-hub` CLI and the hub's /api/it
 * routes (the desktop's IT console) both call these, so a rule (unit must exist, password
 * policy, a duplicate account refused) holds whichever way IT works.
 */
import { randomBytes } from 'node:crypto';
import type {
  ItAddUserRequest,
  ItDeadLetter,
  ItDeviceRow,
  ItEnrolResponse,
  ItHealth,
  ItPasswordResponse,
  ItReleaseChannel,
  ItUserRow,
} from '@sibantong/shared';
import { AdminInputError } from '../auth/adminInputError.js';
import type { Channel } from '../releases/feed.js';
import type { Build, ReleaseStore } from '../releases/store.js';
import type { SessionDoc, UserDoc } from '../auth/authDocs.js';
import { createEnrolmentCode, listDevices } from '../auth/devices.js';
import { requireUnits } from '../auth/units.js';
import { addUser, isRole, resetPassword } from '../auth/users.js';
import { withStoreRetry, type Store } from '../store/store.js';
import { queuedRetries } from '../workflow/deadLetterRetry.js';
import { openDeadLetters } from '../workflow/deadLetters.js';
import { HUB_VERSION } from '../version.js';
import {
  AGGREGATES_STATE_ID,
  AGGREGATES_VERSION,
  aggregatesOff,
  readDoc,
  type StateDoc,
} from '../figures/figureAggregates.js';
import { rebuildPercent } from '../figures/figureSource.js';

export function generatedPassword(): string {
  return `Sbt-${randomBytes(9).toString('base64url')}`;
}

/**
 * Every PC with its unit, when it was last seen (its latest session start) and its latest
 * report (app version, pending uploads; null until it reports).
 */
export async function deviceRows(store: Store): Promise<ItDeviceRow[]> {
  const devices = await listDevices(store);
  const sessions = await withStoreRetry(() =>
    store.db<SessionDoc>('auth').find({
      selector: { type: 'session' },
      fields: ['deviceId', 'createdAt'],
      limit: 1_000_000,
    }),
  );
  const lastSeen = new Map<string, string>();
  for (const s of sessions.docs) {
    const prev = lastSeen.get(s.deviceId);
    if (!prev || s.createdAt > prev) lastSeen.set(s.deviceId, s.createdAt);
  }
  return devices
    .map((d) => ({
      deviceId: d.deviceId,
      name: d.name,
      orgUnitId: d.orgUnitId,
      enrolledAt: d.enrolledAt,
      revokedAt: d.revokedAt,
      lastSeenAt: lastSeen.get(d.deviceId) ?? null,
      report: d.report ?? null,
    }))
    .sort((a, b) => a.orgUnitId.localeCompare(b.orgUnitId) || a.name.localeCompare(b.name));
}

export async function userRows(store: Store): Promise<ItUserRow[]> {
  const found = await withStoreRetry(() =>
    store.db<UserDoc>('auth').find({ selector: { type: 'user' }, limit: 1_000_000 }),
  );
  return found.docs
    .map((u) => ({
      username: u.username,
      name: u.name,
      role: u.role,
      orgUnitId: u.orgUnitId,
      disabled: u.disabled,
      lockedUntil: u.lockedUntil,
      failedLogins: u.failedLogins,
    }))
    .sort((a, b) => a.orgUnitId.localeCompare(b.orgUnitId) || a.username.localeCompare(b.username));
}

/** One-time enrolment codes for a unit that exists (checked before any code is made). */
export async function enrolCodes(
  store: Store,
  orgUnitId: string,
  count: number,
): Promise<ItEnrolResponse[]> {
  await requireUnits(store, [orgUnitId]);
  const out: ItEnrolResponse[] = [];
  for (let i = 0; i < count; i += 1) {
    out.push({ orgUnitId, ...(await createEnrolmentCode(store, orgUnitId)) });
  }
  return out;
}

/** Adds an account at a unit that exists; the password is generated when none is given. */
export async function addAccount(store: Store, req: ItAddUserRequest): Promise<ItPasswordResponse> {
  if (!isRole(req.role)) throw new AdminInputError('ROLE_INVALID', `未知角色：${String(req.role)}`);
  await requireUnits(store, [req.orgUnitId]);
  const password = req.password ?? generatedPassword();
  const r = await addUser(store, { ...req, password });
  if (r === 'exists') throw new AdminInputError('USER_EXISTS', `用户已存在：${req.username}`);
  return { username: req.username, password };
}

/** New password (given or generated), lock lifted, every session of the user ended. */
export async function resetAccountPassword(
  store: Store,
  username: string,
  password?: string,
): Promise<ItPasswordResponse> {
  const chosen = password ?? generatedPassword();
  await resetPassword(store, username, chosen);
  return { username, password: chosen };
}

/** A channel as IT sees it: the current build, what a rollback returns to, the latest actions. */
export async function releaseChannel(
  releases: ReleaseStore,
  channel: Channel,
): Promise<ItReleaseChannel> {
  const state = await releases.load(channel);
  const view = (b: Build | undefined) =>
    b ? { version: b.version, rollout: b.rollout, publishedAt: b.publishedAt } : null;
  return {
    channel,
    current: view(state.stack.at(-1)),
    previous: view(state.stack.at(-2)),
    log: state.log.slice(-20).reverse(),
  };
}

/** What a hub process knows of itself, beside the store's state (hub.ts). */
export interface HubSelf {
  backlog: number | null;
  warmUp: ItHealth['warmUp'];
  runtime: ItHealth['runtime'];
}

/** Open dead letters, with the retry asked for each (if any). */
export async function deadLetterRows(store: Store): Promise<ItDeadLetter[]> {
  const [letters, queued] = await Promise.all([openDeadLetters(store), queuedRetries(store)]);
  return letters.map((l) => ({
    id: l._id,
    caseId: l.caseId,
    job: l.job,
    code: l.code,
    message: l.message,
    attempts: l.attempts,
    lastAt: l.lastAt,
    retryQueuedAt: queued.get(l._id) ?? null,
  }));
}

export async function hubHealth(store: Store, self: HubSelf): Promise<ItHealth> {
  const [deadLetters, figures, version] = await Promise.all([
    deadLetterRows(store),
    figureState(store),
    withStoreRetry(() => store.version()),
  ]);
  return {
    store: { kind: store.kind, version },
    hubVersion: HUB_VERSION,
    backlog: self.backlog,
    deadLetters,
    warmUp: self.warmUp,
    figures,
    runtime: self.runtime,
  };
}

/** The cockpit's aggregates as their state document tells (figures/figureAggregates.ts). */
async function figureState(store: Store): Promise<ItHealth['figures']> {
  if (aggregatesOff()) return { state: 'off', percent: null };
  const state = await withStoreRetry(() => readDoc<StateDoc>(store, AGGREGATES_STATE_ID));
  if (state?.version === AGGREGATES_VERSION && state.ready)
    return { state: 'current', percent: null };
  const percent = rebuildPercent(state);
  if (percent !== null) return { state: 'rebuilding', percent };
  return { state: 'pending', percent: null };
}
