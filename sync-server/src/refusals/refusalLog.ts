/**
 * The hub's record of pushed rows it refused, so the county supervisor sees what village and
 * town devices could not hand in (the devices keep their own copy with the case snapshot).
 *
 * A record holds who, where, which case number, which events and why — never the applicant's
 * identity (name, ID number, phone): the pushed row may carry them, the record must not.
 * Ids derive from the row, so a client retrying the same refused push (after a lost answer
 * or a crash) adds no second record.
 */
import { createHash } from 'node:crypto';
import type { PushRow, RefusalRecord, RefusalsResponse } from '@sibantong/shared';
import type { AuthContext } from '../auth/session.js';
import { hubNowIso } from '../clock.js';
import { isStoreDown, withStoreRetry, type Store } from '../store/store.js';

interface StoredRefusal extends RefusalRecord {
  _id: string;
  _rev?: string;
  /** `<hubTime>|<id>`: a total order for paging even when one push refuses several rows. */
  sortKey: string;
}

const MAX_IDS = 100;
const clip = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : '');

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

/**
 * Stores the refusals of one push with one `_bulk_docs`; records already there (the same rows
 * refused again) are kept as they were.
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
  try {
    await withStoreRetry(() =>
      store.db<StoredRefusal>('refusals').bulk({ docs: [...docs.values()] }),
    );
  } catch (err) {
    // As for one record: an outage fails the push, anything else is only logged.
    if (isStoreDown(err)) throw err;
    console.error('refusal records failed', err);
  }
}

export const MAX_REFUSALS_PAGE = 200;

/** Newest first; `before` is the previous page's `next` cursor. */
export async function listRefusals(
  store: Store,
  limit: number,
  before: string | null,
): Promise<RefusalsResponse> {
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
