/**
 * Reference data the rules need (org tree, matter limits, calendar), read from the store and
 * cached briefly. The change follower invalidates the cache as soon as IT changes any of it.
 */
import {
  buildCalendar,
  createOrgDirectory,
  parseCalendarYearFile,
  type CalendarYearTable,
  type OrgDirectory,
  type OrgUnit,
  type WorkingCalendar,
} from './sharedCompat.js';
import { withStoreRetry, type Store } from '../store/store.js';

export interface MatterDoc {
  id: string;
  code?: string;
  name?: string;
  promisedDays?: number;
  legalDays?: number;
  [key: string]: unknown;
}

export interface RefSnapshot {
  org: OrgDirectory;
  units: OrgUnit[];
  matters: Map<string, MatterDoc>;
  calendar: WorkingCalendar;
  calendarTables: CalendarYearTable[];
}

const TTL_MS = 5_000;

function stripMeta<T>(doc: Record<string, unknown>): T {
  const { _id, _rev, ...rest } = doc;
  void _rev;
  return { id: typeof rest.id === 'string' ? rest.id : _id, ...rest } as T;
}

async function allDocs<T>(store: Store, key: 'orgUnits' | 'matters' | 'calendars'): Promise<T[]> {
  const res = await withStoreRetry(() =>
    store.db<Record<string, unknown>>(key).list({ include_docs: true }),
  );
  const out: T[] = [];
  for (const row of res.rows) {
    if (row.id.startsWith('_design/') || !row.doc) continue;
    out.push(stripMeta<T>(row.doc as unknown as Record<string, unknown>));
  }
  return out;
}

export class RefData {
  private cached: { at: number; value: RefSnapshot } | null = null;
  private loading: Promise<RefSnapshot> | null = null;
  constructor(private readonly store: Store) {}

  invalidate(): void {
    this.cached = null;
  }

  async get(): Promise<RefSnapshot> {
    if (this.cached && Date.now() - this.cached.at < TTL_MS) return this.cached.value;
    if (!this.loading) {
      this.loading = this.load().finally(() => {
        this.loading = null;
      });
    }
    return this.loading;
  }

  private async load(): Promise<RefSnapshot> {
    const [units, matterList, calendars] = await Promise.all([
      allDocs<OrgUnit>(this.store, 'orgUnits'),
      allDocs<MatterDoc>(this.store, 'matters'),
      allDocs<Record<string, unknown>>(this.store, 'calendars'),
    ]);
    const tables: CalendarYearTable[] = [];
    for (const c of calendars) {
      try {
        tables.push(parseCalendarYearFile(c));
      } catch {
        // A damaged year table is reported by `calendar import`; skipping it here makes
        // deadlines in that year fail loudly (CALENDAR_YEAR_MISSING) rather than guess.
      }
    }
    tables.sort((a, b) => a.year - b.year);
    const matters = new Map<string, MatterDoc>();
    for (const m of matterList) {
      matters.set(m.code ?? m.id, m);
    }
    const value: RefSnapshot = {
      org: createOrgDirectory(units),
      units,
      matters,
      calendar: buildCalendar(tables),
      calendarTables: tables,
    };
    this.cached = { at: Date.now(), value };
    return value;
  }
}
