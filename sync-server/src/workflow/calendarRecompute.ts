/**
 * When IT imports a calendar year (`calendar import`, or any writer of the `calendars`
 * database), every case whose deadlines are provisional (暂估, marked in provisionalMarks.ts)
 * is recomputed, and so is every
 * case with an open dead letter (a calendar problem may have caused it). The calendar the
 * last recomputation ran on is remembered in the `hub` database, so an import made while the
 * hub was stopped is caught at the next start.
 */
import { createHash } from 'node:crypto';
import type { CaseDoc } from '@sibantong/shared';
import { hubNowIso } from '../clock.js';
import type { RefSnapshot } from '../domain/refData.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import { openDeadLetters } from './deadLetters.js';
import { provisionalCaseIds, unmarkProvisional } from './provisionalMarks.js';

export const CALENDAR_MARK_ID = 'workflow:calendar';
/** Cases read per `_all_docs` when gathering them. */
const FETCH_PAGE = 500;

interface CalendarMarkDoc {
  _id: string;
  _rev?: string;
  type: 'calendar_mark';
  /** Fingerprint of the year tables the last recomputation used. */
  key: string;
  years: number[];
  updatedAt: string;
}

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

/** The cases to recompute after a calendar change: provisional ones and dead-lettered ones. */
export async function casesToRecompute(store: Store): Promise<StoredCase[]> {
  const [marked, letters] = await Promise.all([provisionalCaseIds(store), openDeadLetters(store)]);
  const ids = [...new Set([...marked, ...letters.map((l) => l.caseId)])];
  const byId = new Map<string, StoredCase>();
  for (let i = 0; i < ids.length; i += FETCH_PAGE) {
    const keys = ids.slice(i, i + FETCH_PAGE);
    const body = await withStoreRetry(() =>
      store.db<StoredCase>('cases').fetch({ keys }, { include_docs: true }),
    );
    for (const row of body.rows) {
      const doc = 'doc' in row ? (row.doc as StoredCase | null) : null;
      if (doc && !('_deleted' in doc && doc._deleted)) byId.set(doc.id, doc);
    }
  }
  // Marks of cases that are exact already (a case write lost after its mark) or gone: drop
  // them, so the count IT sees is true; a case that turns provisional again is marked again.
  const stale = marked.filter((id) => byId.get(id)?.deadlines?.provisional !== true);
  await unmarkProvisional(store, stale);
  return [...byId.values()];
}
