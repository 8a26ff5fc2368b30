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
  private loading: { generation: number; promise: Promise<RefSnapshot> } | null = null;
  /** Bumped by every invalidation: a load started before one must not be cached after it. */
  private generation = 0;
  private readonly listeners = new Set<() => void>();
  constructor(private readonly store: Store) {}

  /** Reference data changed in the store (the change follower calls this). */
  invalidate(): void {
    this.generation += 1;
    this.cached = null;
    for (const listener of this.listeners) listener();
  }

  /** Called after every invalidation (e.g. the workflow rechecks provisional deadlines). */
  onInvalidate(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async get(): Promise<RefSnapshot> {
    if (this.cached && Date.now() - this.cached.at < TTL_MS) return this.cached.value;
    if (!this.loading || this.loading.generation !== this.generation) {
      const generation = this.generation;
      const promise = this.load(generation).finally(() => {
        if (this.loading?.promise === promise) this.loading = null;
      });
      this.loading = { generation, promise };
    }
    return this.loading.promise;
  }

  private async load(generation: number): Promise<RefSnapshot> {
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
        // A damaged year table is refused by `calendar import`; skipping it here makes that
        // year's deadlines provisional (weekends only, marked 暂估) rather than wrong.
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
    if (generation === this.generation) this.cached = { at: Date.now(), value };
    return value;
  }
}
