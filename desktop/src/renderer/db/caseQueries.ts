import type { MangoQuery } from 'rxdb';
import { CASE_STATUSES, type CaseDoc, type CaseStatus } from '@sibantong/shared';

/**
 * The Mango queries behind every case list. Each one selects on indexed fields of the case
 * schema (see `schemas.ts`), sorts by `updatedAt` and carries a `limit`, so a list reads the
 * rows it shows instead of the whole collection. Where a list needs "status A or B", it runs
 * one query per status (an exact index range each) and merges them (`useRxQueries`).
 * See docs/client.md, "Local queries".
 */
export type CaseQuery = MangoQuery<CaseDoc>;
type Selector = NonNullable<CaseQuery['selector']>;

/** Statuses after which nothing remains to do at a desk (concluded, delivered or final). */
export const DONE_STATUSES: readonly CaseStatus[] = [
  'result_delivered',
  'evaluated',
  'not_accepted',
  'withdrawn',
  'terminated',
  'concluded_approved',
  'concluded_denied',
];
/** Cases still in progress: received through suspended. */
export const OPEN_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter(
  (s) => !DONE_STATUSES.includes(s),
);

export const PAGE_SIZE = 50;
const NEWEST: CaseQuery['sort'] = [{ updatedAt: 'desc' }];
/** Upper bound of a string prefix range. */
const PREFIX_END = '\uffff';

/** One query per status for cases held by a unit (index holderUnitId+status+updatedAt). */
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

/** One query per status for every case on the device in those statuses (status+updatedAt). */
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

/** 镇街: open cases of the town's villages now held elsewhere (index townId+updatedAt). */
export function townElsewhere(townId: string, limit = PAGE_SIZE): CaseQuery {
  return {
    selector: {
      townId,
      holderUnitId: { $ne: townId },
      status: { $nin: [...DONE_STATUSES] },
    },
    sort: NEWEST,
    limit,
  };
}

/** Cases touched since the start of `day` (YYYY-MM-DD, UTC; index updatedAt). */
export function touchedSince(day: string): CaseQuery {
  return { selector: { updatedAt: { $gte: day } }, sort: NEWEST };
}

/** 部门: cases this department has answered, newest first (index updatedAt, stops at limit). */
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

const ID_LIKE = /^[0-9A-Za-z]{18}$/;

/** True when a search looks like an ID number or USCC (searched by digest, exact). */
export function looksLikeIdNumber(q: string): boolean {
  return ID_LIKE.test(q.trim()) && /\d{6}/.test(q);
}

/**
 * The search box: number prefix (临时号, indexed), name prefix (surname first, indexed) and,
 * for inputs with digits, the official number exactly (not indexable: it is null until the
 * hub binds one, so that part scans, stopping at the first hit). `digest` is the SHA-256 of
 * an ID number when the input looks like one: then only the digest is searched.
 */
export function searchQueries(
  q: string,
  status: CaseStatus | undefined,
  limit: number,
  digest: string | null,
): CaseQuery[] {
  const s = q.trim();
  const withStatus = (sel: Record<string, unknown>): Selector =>
    (status ? { ...sel, status } : sel) as Selector;
  if (!s) return [{ selector: withStatus({}), sort: NEWEST, limit }];
  if (digest) return [{ selector: withStatus({ applicantIdDigest: digest }), limit }];
  const prefixes = [...new Set([s, s.toUpperCase()])];
  const out: CaseQuery[] = prefixes.map((p) => ({
    selector: withStatus({ provisionalNo: { $gte: p, $lt: p + PREFIX_END } }),
    limit,
  }));
  out.push({ selector: withStatus({ applicantName: { $gte: s, $lt: s + PREFIX_END } }), limit });
  if (/\d/.test(s)) out.push({ selector: withStatus({ officialNo: { $in: prefixes } }), limit: 1 });
  return out;
}
