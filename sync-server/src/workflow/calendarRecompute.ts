/**
 * When IT imports a calendar year (`calendar import`, or any writer of the `calendars`
 * database), every case whose deadlines are provisional (暂估) is recomputed, and so is every
 * case with an open dead letter (a calendar problem may have caused it). The calendar the
 * last recomputation ran on is remembered in the `hub` database, so an import made while the
 * hub was stopped is caught at the next start.
 */
import { createHash } from 'node:crypto';
import type { CaseDoc, CaseStatus } from '@sibantong/shared';
import { hubNowIso } from '../clock.js';
import type { RefSnapshot } from '../domain/refData.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import { openDeadLetters } from './deadLetters.js';

export const CALENDAR_MARK_ID = 'workflow:calendar';

interface CalendarMarkDoc {
  _id: string;
  _rev?: string;
  type: 'calendar_mark';
  /** Fingerprint of the year tables the last recomputation used. */
  key: string;
  years: number[];
  updatedAt: string;
}

/** Statuses a case can have once accepted (only those carry deadlines). */
const WITH_DEADLINES: readonly CaseStatus[] = [
  'accepted',
  'accepted_deferred',
  'processing',
  'suspended',
  'concluded_approved',
  'concluded_denied',
  'result_delivered',
  'evaluated',
  'withdrawn',
  'terminated',
];

export type StoredCase = CaseDoc & { _id: string; _rev: string };

/** Fingerprint of the calendar's year tables (changes when a year is added or corrected). */
export function calendarKey(ref: RefSnapshot): string {
  return createHash('sha256').update(JSON.stringify(ref.calendarTables)).digest('hex');
}

export async function readCalendarMark(store: Store): Promise<CalendarMarkDoc | null> {
  try {
    return await withStoreRetry(() => store.db<CalendarMarkDoc>('hub').get(CALENDAR_MARK_ID));
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

export async function writeCalendarMark(store: Store, ref: RefSnapshot): Promise<void> {
  const current = await readCalendarMark(store);
  try {
    await withStoreRetry(() =>
      store.db<CalendarMarkDoc>('hub').insert({
        _id: CALENDAR_MARK_ID,
        ...(current?._rev ? { _rev: current._rev } : {}),
        type: 'calendar_mark',
        key: calendarKey(ref),
        years: ref.calendarTables.map((t) => t.year),
        updatedAt: hubNowIso(),
      }),
    );
  } catch (err) {
    // Another holder wrote it meanwhile (one lease holder at a time, so: a stale retry).
    if (statusOf(err) !== 409) throw err;
  }
}

/** Cases whose deadlines are provisional (any status that carries deadlines). */
export async function provisionalCases(store: Store): Promise<StoredCase[]> {
  const found = await withStoreRetry(() =>
    store.db<StoredCase>('cases').find({
      // The status index narrows the scan; the flag is checked on the documents it yields.
      selector: { status: { $in: [...WITH_DEADLINES] }, 'deadlines.provisional': true },
      limit: 1_000_000,
    }),
  );
  return found.docs;
}

/** The cases to recompute after a calendar change: provisional ones and dead-lettered ones. */
export async function casesToRecompute(store: Store): Promise<StoredCase[]> {
  const [provisional, letters] = await Promise.all([
    provisionalCases(store),
    openDeadLetters(store),
  ]);
  const byId = new Map(provisional.map((d) => [d.id, d]));
  const lettered = [...new Set(letters.map((l) => l.caseId))].filter((id) => !byId.has(id));
  if (lettered.length > 0) {
    const body = await withStoreRetry(() =>
      store.db<StoredCase>('cases').fetch({ keys: lettered }, { include_docs: true }),
    );
    for (const row of body.rows) {
      const doc = 'doc' in row ? (row.doc as StoredCase | null) : null;
      if (doc && !('_deleted' in doc && doc._deleted)) byId.set(doc.id, doc);
    }
  }
  return [...byId.values()];
}
