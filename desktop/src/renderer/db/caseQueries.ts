import type { MangoQuery } from 'rxdb';
import { CASE_STATUSES, type CaseStatus } from '@sibantong/shared';
import { DONE_STATUSES, DUE_AWAITING_HUB, recencyKey, type StoredCase } from './localFields';

/**
 * The Mango queries behind every case list. Each one selects on indexed fields of the case
 * schema (see `schemas.ts`) and sorts in the order of its index, newest first by the local
 * `recency` key (ascending = newest first, see `localFields.ts`), with a `limit`: the storage
 * walks the index in the list's order and stops after the rows the list shows. "Open cases"
 * are one range on the stored `open` flag, not one query per status.
 * See docs/client.md, "Local queries".
 */
export type CaseQuery = MangoQuery<StoredCase>;
type Selector = NonNullable<CaseQuery['selector']>;

export { DONE_STATUSES };
/** Cases still in progress: received through suspended. */
export const OPEN_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter(
  (s) => !DONE_STATUSES.includes(s),
);

export const PAGE_SIZE = 50;
/** Newest first, in index order (`recency` ascending). */
const NEWEST: CaseQuery['sort'] = [{ recency: 'asc' }];

/** Open cases held by a unit, newest first (index holderUnitId+open+recency). */
export function heldOpen(holderUnitId: string, limit = PAGE_SIZE): CaseQuery {
  return { selector: { holderUnitId, open: true }, sort: NEWEST, limit };
}

/** Every open case on the device, newest first (index open+recency). */
export function allOpen(limit?: number, extra: Record<string, unknown> = {}): CaseQuery {
  return {
    selector: { open: true, ...extra },
    sort: NEWEST,
    ...(limit === undefined ? {} : { limit }),
  };
}
/**
 * Open cases by their hub deadline (the promised date in `due`), earliest first (index
 * open+due+recency): `before` a day (overdue when it is today), and/or `through` a day
 * (inclusive). Cases without a hub date are not in these ranges: see `awaitingHubDeadline`.
 */
export function hubDue(range: { from?: string; before?: string; through?: string }): Selector {
  const due: Record<string, string> = { $gte: range.from ?? '0000-00-00' };
  if (range.before) due.$lt = range.before;
  if (range.through) due.$lte = range.through;
  if (!range.before && !range.through) due.$lt = '9999-99-99';
  return { open: true, due } as Selector;
}

export function dueCases(
  range: { from?: string; before?: string; through?: string },
  limit = PAGE_SIZE,
): CaseQuery {
  return { selector: hubDue(range), sort: [{ due: 'asc' }, { recency: 'asc' }], limit };
}

/**
 * Open cases accepted on this device that the hub has not dated yet (accepted offline, not yet
 * synced): their deadline is estimated on screen. Few by nature, newest first.
 */
export function awaitingHubDeadline(limit = 500): CaseQuery {
  return {
    selector: { open: true, due: DUE_AWAITING_HUB },
    sort: [{ due: 'asc' }, { recency: 'asc' }],
    limit,
  };
}

/** Every query behind the overdue and due-soon lists (hooks/useDueLists.ts), for a window. */
export function dueListQueries(w: { today: string; soonThrough: string }, limit: number) {
  const overdue = { before: w.today };
  const soon = { from: w.today, through: w.soonThrough };
  return {
    overdue: dueCases(overdue, limit),
    soon: dueCases(soon, limit),
    overdueCount: { selector: hubDue(overdue) } as CaseQuery,
    soonCount: { selector: hubDue(soon) } as CaseQuery,
    awaiting: awaitingHubDeadline(),
  };
}

/** 督办 在办: one count per open status (each fully answered by the status index). */
export function openCountQueries(): CaseQuery[] {
  return OPEN_STATUSES.map((status) => ({ selector: { status } }));
}

/** 村居 待送达结果: concluded cases held here, and delivered ones until they are rated. */
export const TO_DELIVER_STATUSES: readonly CaseStatus[] = [
  'concluded_approved',
  'concluded_denied',
  'result_delivered',
];

/** Upper bound of a string prefix range. */
const PREFIX_END = '\uffff';

/** One query per status for cases held by a unit (index holderUnitId+status+recency). */
export function heldByStatuses(
  holderUnitId: string,
  statuses: readonly CaseStatus[],
  limit = PAGE_SIZE,
  extra: Record<string, unknown> = {},
): CaseQuery[] {
  return statuses.map((status) => ({
    selector: { holderUnitId, status, ...extra },
    sort: NEWEST,
    limit,
  }));
}

/** One query per status for every case on the device in those statuses (status+recency). */
export function byStatuses(
  statuses: readonly CaseStatus[],
  limit?: number,
  extra: Record<string, unknown> = {},
): CaseQuery[] {
  return statuses.map((status) => ({
    selector: { status, ...extra },
    sort: NEWEST,
    ...(limit === undefined ? {} : { limit }),
  }));
}

/** 镇街: open cases of the town's villages now held elsewhere (index townId+open+recency). */
export function townElsewhere(townId: string, limit = PAGE_SIZE): CaseQuery {
  return {
    selector: { townId, open: true, holderUnitId: { $ne: townId } },
    sort: NEWEST,
    limit,
  };
}

/**
 * Cases touched since the start of `day` (YYYY-MM-DD, a China date: midnight in UTC+8), newest
 * first; with `originUnitId`, only the cases received at that unit (index originUnitId+recency,
 * else recency).
 */
export function touchedSince(day: string, originUnitId?: string): CaseQuery {
  const recency = { $lte: recencyKey(`${day}T00:00:00.000+08:00`) };
  return {
    selector: originUnitId ? { originUnitId, recency } : { recency },
    sort: NEWEST,
  };
}

/** 部门: cases this department has answered, newest first (index recency, stops at limit). */
export function answeredBy(departmentId: string, limit = PAGE_SIZE): CaseQuery {
  return {
    selector: {
      events: { $elemMatch: { type: 'assistance_reply', 'payload.departmentId': departmentId } },
    },
    sort: NEWEST,
    limit,
  };
}

/** 督办: cases rated 差评 (levels 4–5); rating moves a case to `evaluated`. */
export function badlyRated(limit = PAGE_SIZE): CaseQuery {
  return {
    selector: {
      status: 'evaluated',
      events: { $elemMatch: { type: 'rate', 'payload.level': { $gte: 4 } } },
    },
    sort: NEWEST,
    limit,
  };
}

/**
 * Cases with at least one event the hub has not stamped yet: what still waits to upload.
 * No index can answer it (it looks inside `events`), but the storage matches it before
 * decrypting, only the few pending cases are returned, and RxDB's event-reduce keeps the
 * result up to date on later writes without running it again.
 */
export const PENDING_UPLOAD: CaseQuery = {
  selector: { events: { $elemMatch: { hubTime: { $exists: false } } } },
};

/** The exact test behind PENDING_UPLOAD's rows: an event without the hub's stamp. */
export function waitsForUpload(doc: Pick<StoredCase, 'events'>): boolean {
  return doc.events.some((e) => !e.hubTime);
}

const ID_LIKE = /^[0-9A-Za-z]{18}$/;

/** True when a search looks like an ID number or USCC (searched by digest, exact). */
export function looksLikeIdNumber(q: string): boolean {
  return ID_LIKE.test(q.trim()) && /\d{6}/.test(q);
}

/**
 * The search box: number prefix (临时号, indexed), name prefix (surname first, indexed) and,
 * for inputs with digits, the official number by prefix (the stored `officialKey`, indexed).
 * `digests` are the digests of an ID number when the input looks like one (keyed and old
 * unkeyed, `idDigestCandidates`): then only they are searched, so a case recorded before this
 * PC had the county key is still found. Every part is an index range that stops after
 * `limit` rows.
 */
export function searchQueries(
  q: string,
  status: CaseStatus | undefined,
  limit: number,
  digests: readonly string[] | string | null,
): CaseQuery[] {
  const s = q.trim();
  const withStatus = (sel: Record<string, unknown>): Selector =>
    (status ? { ...sel, status } : sel) as Selector;
  if (!s) return [{ selector: withStatus({}), sort: NEWEST, limit }];
  const wanted = typeof digests === 'string' ? [digests] : (digests ?? []);
  if (wanted.length > 0) {
    const applicantIdDigest = wanted.length === 1 ? wanted[0] : { $in: [...wanted] };
    return [{ selector: withStatus({ applicantIdDigest }), limit }];
  }
  // Sorted by the indexed field itself, so the prefix range stops after `limit` rows.
  const prefixes = [...new Set([s, s.toUpperCase()])];
  const out: CaseQuery[] = prefixes.map((p) => ({
    selector: withStatus({ provisionalNo: { $gte: p, $lt: p + PREFIX_END } }),
    sort: [{ provisionalNo: 'asc' }],
    limit,
  }));
  out.push({
    selector: withStatus({ applicantName: { $gte: s, $lt: s + PREFIX_END } }),
    sort: [{ applicantName: 'asc' }],
    limit,
  });
  if (/\d/.test(s))
    for (const p of prefixes)
      out.push({
        selector: withStatus({ officialKey: { $gte: p, $lt: p + PREFIX_END } }),
        sort: [{ officialKey: 'asc' }],
        limit,
      });
  return out;
}
