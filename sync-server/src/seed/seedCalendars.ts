/**
 * The working-day calendar is data the hub distributes. At first start the hub seeds the
 * years shipped in shared (2025, 2026); IT imports later years with `calendar import`.
 */
import type { CalendarYearTable } from '../domain/sharedCompat.js';
import { SEED_CALENDAR_YEARS } from '../domain/sharedCompat.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';

export function calendarDocId(year: number): string {
  return String(year);
}

export async function putCalendarYear(
  store: Store,
  table: CalendarYearTable,
  replace: boolean,
): Promise<'created' | 'replaced' | 'kept'> {
  const db = store.db<CalendarYearTable & { id: string }>('calendars');
  const id = calendarDocId(table.year);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    let rev: string | undefined;
    try {
      rev = (await withStoreRetry(() => db.get(id)))._rev;
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    if (rev && !replace) return 'kept';
    try {
      await withStoreRetry(() =>
        db.insert({ _id: id, ...(rev ? { _rev: rev } : {}), id, ...table }),
      );
      return rev ? 'replaced' : 'created';
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }
  throw new Error('日历写入冲突，请重试');
}

export async function seedCalendarsIfMissing(store: Store): Promise<void> {
  for (const table of SEED_CALENDAR_YEARS) await putCalendarYear(store, table, false);
}
