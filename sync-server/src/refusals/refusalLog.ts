/**
 * The hub's record of pushed rows it refused, so the county supervisor sees what village and
 * town devices could not hand in (the devices keep their own copy with the case snapshot).
 *
 * A record holds who, where, which case number, which events and why — never the applicant's
 * identity (name, ID number, phone): the pushed row may carry them, the record must not.
 * Ids derive from the row, so a client retrying the same refused push (after a lost answer
 * or a crash) adds no second record.
 *
 * Bounded, because any signed-in helper can push refused rows as fast as the hub answers:
 * - each device adds records from a budget (refusalBudget.ts); past it, its refusals are
 *   counted into one summary record per device and window instead of one record each;
 * - records older than the retention (HUB_REFUSAL_RETENTION_DAYS, default 180) are deleted,
 *   checked at most once an hour of hub time (the device keeps its own copy of what it was
 *   refused, with the case, until its user has dealt with it);
 * - every text taken from the pushed row is clipped and stripped of control and direction
 *   characters, and the supervisor's table renders it as text.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { PushRow, RefusalRecord, RefusalsResponse } from '@sibantong/shared';
import type { AuthContext } from '../auth/session.js';
import { hubNow, hubNowIso } from '../clock.js';
import { isStoreDown, statusOf, withStoreRetry, type Store } from '../store/store.js';
import { RefusalBudget } from './refusalBudget.js';

interface StoredRefusal extends RefusalRecord {
  _id: string;
  _rev?: string;
  /** `<hubTime>|<id>`: a total order for paging even when one push refuses several rows. */
  sortKey: string;
}

const MAX_IDS = 100;
/** C0/C1 controls, bidirectional overrides and isolates, zero-width and line separators. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;
/** A string from the pushed row, as stored: safe to show, bounded. */
const clip = (v: unknown, max: number): string =>
  typeof v === 'string' ? v.replace(UNSAFE, '').slice(0, max) : '';

/** Event ids and types of the pushed row, read defensively: the row may be malformed. */
function pushedEvents(raw: Record<string, unknown> | null): Array<{ id: string; type: string }> {
  const events = Array.isArray(raw?.events) ? (raw.events as unknown[]) : [];
  return events.flatMap((e) => {
    if (!e || typeof e !== 'object') return [];
    const { id, type } = e as { id?: unknown; type?: unknown };
    return typeof id === 'string' ? [{ id: clip(id, 140), type: clip(type, 40) }] : [];
  });
}

export function refusalRecordOf(
  ctx: AuthContext,
  row: PushRow,
  result: { id: string; code: string; message: string; refusedEventIds: string[] },
  hubTime: string,
): StoredRefusal {
  const raw = row.newDocumentState as unknown as Record<string, unknown> | null;
  const events = pushedEvents(raw);
  const typeOf = new Map(events.map((e) => [e.id, e.type]));
  const refusedEventIds = result.refusedEventIds.slice(0, MAX_IDS).map((id) => clip(id, 140));
  const caseId = clip(result.id || raw?.id, 100);
  const id = `refusal:${createHash('sha256')
    .update(
      JSON.stringify([
        caseId,
        ctx.user.userId,
        ctx.deviceId,
        result.code,
        refusedEventIds,
        events.map((e) => e.id),
      ]),
    )
    .digest('hex')
    .slice(0, 40)}`;
  return {
    _id: id,
    id,
    sortKey: `${hubTime}|${id}`,
    caseId,
    provisionalNo: clip(raw?.provisionalNo, 60),
    userId: ctx.user.userId,
    userName: ctx.user.name,
    role: ctx.user.role,
    deviceId: ctx.deviceId,
    unitId: ctx.user.orgUnitId,
    code: clip(result.code, 60),
    message: clip(result.message, 500),
    refusedEventIds,
    refusedEventTypes: refusedEventIds.map((e) => typeOf.get(e) ?? ''),
    hubTime,
  };
}

const budget = new RefusalBudget();

/**
 * Stores the refusals of one push with one `_bulk_docs`, within the device's budget; records
 * already there (the same rows refused again) are kept as they were and cost nothing.
 */
export async function recordRefusals(
  store: Store,
  ctx: AuthContext,
  items: Array<{
    row: PushRow;
    result: { id: string; code: string; message: string; refusedEventIds: string[] };
  }>,
): Promise<void> {
  if (items.length === 0) return;
  const now = hubNowIso();
  const docs = new Map<string, StoredRefusal>();
  for (const { row, result } of items) {
    const doc = refusalRecordOf(ctx, row, result, now);
    docs.set(doc._id, doc);
  }
  // Taken before any await: concurrent pushes of one device share the bucket exactly.
  const granted = budget.take(ctx.deviceId, docs.size);
  const kept = [...docs.values()].slice(0, granted);
  if (granted < docs.size) noteSuppressed(store, ctx, docs.size - granted);
  maybePrune(store);
  if (kept.length === 0) return;
  try {
    await withStoreRetry(() => store.db<StoredRefusal>('refusals').bulk({ docs: kept }));
  } catch (err) {
    // As for one record: an outage fails the push, anything else is only logged.
    if (isStoreDown(err)) throw err;
    console.error('refusal records failed', err);
  }
}

/** Summary windows: one record per device and window counts what was not recorded. */
const WINDOW_MS = 10 * 60_000;
/** This process's share of a summary (several hubs may serve one store). */
const INSTANCE = randomBytes(4).toString('hex');
const suppressed = new Map<string, { ctx: AuthContext; window: number; count: number }>();
let flushTimer: NodeJS.Timeout | null = null;

export const SUPPRESSED_CODE = 'REFUSALS_SUPPRESSED';

function summaryId(deviceId: string, window: number): string {
  const h = createHash('sha256').update(deviceId).digest('hex').slice(0, 24);
  return `refusal:suppressed:${h}:${window}:${INSTANCE}`;
}

function noteSuppressed(store: Store, ctx: AuthContext, n: number): void {
  const window = Math.floor(hubNow().getTime() / WINDOW_MS);
  const id = summaryId(ctx.deviceId, window);
  const entry = suppressed.get(id) ?? { ctx, window, count: 0 };
  entry.count += n;
  suppressed.set(id, entry);
  // One write every few seconds per window however fast the flood, not one per push.
  flushTimer ??= setTimeout(() => {
    flushTimer = null;
    void flushSuppressed(store).catch((err: unknown) =>
      console.error('refusal summary failed', err),
    );
  }, 2000);
}

function summaryOf(id: string, e: { ctx: AuthContext; window: number; count: number }) {
  const now = hubNowIso();
  const from = new Date(e.window * WINDOW_MS).toISOString();
  const to = new Date((e.window + 1) * WINDOW_MS).toISOString();
  const record: StoredRefusal = {
    _id: id,
    id,
    sortKey: `${now}|${id}`,
    caseId: '',
    provisionalNo: '',
    userId: e.ctx.user.userId,
    userName: e.ctx.user.name,
    role: e.ctx.user.role,
    deviceId: e.ctx.deviceId,
    unitId: e.ctx.user.orgUnitId,
    code: SUPPRESSED_CODE,
    message: `该设备在 ${from.slice(11, 16)}–${to.slice(11, 16)}（UTC）内另有 ${e.count} 条被拒写入，超出逐条记录上限，未逐条记录（设备本地仍保留被拒内容）；短时间内大量被拒写入可能是设备故障或滥用，请核查`,
    refusedEventIds: [],
    refusedEventTypes: [],
    hubTime: now,
  };
  return record;
}

/** Writes every pending summary (its count so far); a window's summary is kept once passed. */
export async function flushSuppressed(store: Store): Promise<void> {
  const db = store.db<StoredRefusal>('refusals');
  const current = Math.floor(hubNow().getTime() / WINDOW_MS);
  for (const [id, e] of [...suppressed]) {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      let rev: string | undefined;
      try {
        rev = (await withStoreRetry(() => db.get(id)))._rev;
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
      try {
        await withStoreRetry(() =>
          db.insert({ ...summaryOf(id, e), ...(rev ? { _rev: rev } : {}) }),
        );
        break;
      } catch (err) {
        if (statusOf(err) !== 409) throw err;
      }
    }
    if (e.window < current) suppressed.delete(id);
  }
}

export const RETENTION_DAYS = Math.max(1, Number(process.env.HUB_REFUSAL_RETENTION_DAYS ?? 180));
const PRUNE_EVERY_MS = 60 * 60_000;
let lastPruneAt = -Infinity;
let pruning: Promise<void> | null = null;

/** Starts a prune when the last one is an hour (of hub time) old; never twice at once. */
function maybePrune(store: Store): Promise<void> {
  const now = hubNow().getTime();
  if (pruning || now - lastPruneAt < PRUNE_EVERY_MS) return pruning ?? Promise.resolve();
  lastPruneAt = now;
  const run = pruneRefusals(store, new Date(now - RETENTION_DAYS * 86_400_000).toISOString())
    .then(() => undefined)
    .catch((err: unknown) => console.error('refusal prune failed', err))
    .finally(() => {
      pruning = null;
    });
  pruning = run;
  return run;
}

/** Deletes records stamped before `cutoffIso`, oldest first, a thousand at a time. */
export async function pruneRefusals(store: Store, cutoffIso: string): Promise<number> {
  const db = store.db<StoredRefusal>('refusals');
  let deleted = 0;
  for (;;) {
    const res = await withStoreRetry(() =>
      db.find({
        selector: { sortKey: { $lt: cutoffIso } },
        sort: [{ sortKey: 'asc' }],
        use_index: ['idx-by-sort-key', 'by-sort-key'],
        fields: ['_id', '_rev'],
        limit: 1000,
      }),
    );
    if (res.docs.length === 0) return deleted;
    await withStoreRetry(() =>
      db.bulk({
        docs: res.docs.map(
          (d) => ({ _id: d._id, _rev: d._rev, _deleted: true }) as unknown as StoredRefusal,
        ),
      }),
    );
    deleted += res.docs.length;
    if (res.docs.length < 1000) return deleted;
  }
}

export const MAX_REFUSALS_PAGE = 200;

/** Newest first; `before` is the previous page's `next` cursor. */
export async function listRefusals(
  store: Store,
  limit: number,
  before: string | null,
): Promise<RefusalsResponse> {
  // The supervisor never pages through what the retention rule has already let go.
  await maybePrune(store);
  const res = await withStoreRetry(() =>
    store.db<StoredRefusal>('refusals').find({
      selector: before === null ? { sortKey: { $gt: null } } : { sortKey: { $lt: before } },
      sort: [{ sortKey: 'desc' }],
      use_index: ['idx-by-sort-key', 'by-sort-key'],
      limit: limit + 1,
    }),
  );
  const docs = res.docs.slice(0, limit);
  const refusals = docs.map((d): RefusalRecord => {
    const { _id: _omitId, _rev: _omitRev, sortKey: _omitKey, ...record } = d;
    return record;
  });
  return {
    refusals,
    next: res.docs.length > limit ? (docs[docs.length - 1]?.sortKey ?? null) : null,
  };
}
