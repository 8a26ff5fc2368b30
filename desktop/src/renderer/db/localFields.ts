import type { CaseDoc, CaseStatus } from '@sibantong/shared';

/**
 * Fields the device derives and stores with each case for its own indexes only. They are
 * never sent to the hub (the hub's schema refuses unknown fields: the push modifier strips
 * them) and are recomputed on every write path: local inserts and saves (collection hooks),
 * pulled documents (pull modifier), resolved conflicts (conflict handler) and the schema
 * migration. See docs/client.md, "Local queries".
 *
 * - `open`: the case is still in progress (not concluded, delivered or final).
 * - `recency`: `updatedAt` as a key that sorts **ascending** newest first. RxDB's Dexie
 *   storage walks an index forwards only, so "newest first" on `updatedAt` reads the whole
 *   range and sorts in memory; on `recency` the index order is the list's order and `limit`
 *   stops the read.
 * - `due`: where the case stands against its promised deadline, so that "overdue" and "due
 *   soon" are index ranges instead of a pass over every open case: the hub's promised date
 *   (`YYYY-MM-DD`, deadlines run on hub time); `DUE_AWAITING_HUB` for a case accepted here
 *   that the hub has not dated yet (its deadline is estimated on screen); `''` when no
 *   deadline runs (not accepted yet).
 * - `officialKey`: the official number, or `''` before the hub binds one: `officialNo` itself
 *   is nullable, and a nullable field cannot be indexed, so the search by official number
 *   would scan every case.
 */
export interface LocalCaseFields {
  open: boolean;
  recency: string;
  due: string;
  officialKey: string;
}
export type StoredCase = CaseDoc & LocalCaseFields;

export const LOCAL_CASE_FIELDS = ['open', 'recency', 'due', 'officialKey'] as const;

/** `due` of an accepted case the hub has not dated yet; sorts after every date. */
export const DUE_AWAITING_HUB = 'awaiting-hub';
export const DUE_LENGTH = 12;
export const OFFICIAL_KEY_LENGTH = 60;

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

const RECENCY_BASE = 9_000_000_000_000_000; // far above any epoch milliseconds
export const RECENCY_LENGTH = 16;

/** `updatedAt` (ISO) → fixed-width key; a later time gives a smaller key. */
export function recencyKey(updatedAt: string): string {
  const ms = Date.parse(updatedAt);
  const v = Number.isFinite(ms) ? RECENCY_BASE - Math.max(0, ms) : RECENCY_BASE;
  return String(v).padStart(RECENCY_LENGTH, '0');
}

export function isOpenStatus(status: string | undefined): boolean {
  return !!status && !DONE_STATUSES.includes(status as CaseStatus);
}

type LocalSource = Partial<
  Pick<CaseDoc, 'status' | 'updatedAt' | 'deadlines' | 'events' | 'officialNo'>
>;

function dueKey(doc: LocalSource): string {
  const promised = doc.deadlines?.promisedDue;
  if (typeof promised === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(promised)) return promised;
  return doc.events?.some((e) => e.type === 'accept') ? DUE_AWAITING_HUB : '';
}

/** The local fields of a case, from its `status`, `updatedAt`, `deadlines` and events. */
export function localFieldsOf(doc: LocalSource): LocalCaseFields {
  return {
    open: isOpenStatus(doc.status),
    recency: recencyKey(doc.updatedAt ?? ''),
    due: dueKey(doc),
    officialKey: typeof doc.officialNo === 'string' ? doc.officialNo : '',
  };
}

/** A copy with the local fields (removals are kept as they are). */
export function withLocalFields<T extends object>(doc: T): T & LocalCaseFields {
  const d = doc as T & LocalSource & { _deleted?: boolean };
  if (d._deleted && d.status === undefined) return doc as T & LocalCaseFields;
  return { ...doc, ...localFieldsOf(d) };
}

/** Sets the local fields on a document being written (collection hooks mutate in place). */
export function setLocalFields(doc: object): void {
  Object.assign(doc, localFieldsOf(doc as LocalSource));
}

/** A copy without the local fields: what the hub's schema knows. */
export function withoutLocalFields<T extends object>(doc: T): T {
  if (LOCAL_CASE_FIELDS.every((f) => !(f in doc))) return doc;
  const {
    open: _o,
    recency: _r,
    due: _d,
    officialKey: _k,
    ...rest
  } = doc as T & Partial<LocalCaseFields>;
  return rest as T;
}
