/**
 * Daily aggregates of the figure views, kept by the hub on every store (docs/cockpit.md,
 * "Measured"). PouchDB's map/reduce stores no reductions, so a grouped range reads every index
 * row in it and a cockpit request grows with the cases; CouchDB keeps reductions, but a grouped
 * range still returns a row per day × fact × value (a county's year: 1.5 s at 10,000 cases,
 * growing until every village has every fact every day). Here the hub keeps, in
 * its `hub` database, one small document per scope and day (`figday:<scope>:<day>`: the facts
 * rows of that day by dimension, fact and value, and the working-day spans concluded that day),
 * one per day for the records (`figrec:<day>`: tickets, 督办, refused writes by unit), one per
 * scope for the running cases by promised date (`figdue:<scope>`) and the latest upload of
 * every PC (`figures:devices`). A request then reads one document per day of its range.
 *
 * Exact, not counted: nothing is incremented. A change of a case is run through the view's own
 * map functions (the same source the store indexes) to find the days it counts on, and each of
 * those days is recomputed from the view rows of that day — so a day document always equals
 * the view's grouped rows for that day, whatever the order or concurrency of pushes. A case's
 * fact days only ever grow (events are appended, each fact is dated by the first event of its
 * type), except its promised date while it runs: the running cases' document is recomputed
 * whole for the scopes a changed case belongs to. A deleted case (its days unknown) rebuilds
 * everything.
 *
 * Followed from durable positions in the four databases' feeds (`figures:aggregates`), written
 * after the aggregates they cover: a crash replays a stretch, which recomputes the same days.
 * Until the first build is done (and after a version change) requests read the views.
 *
 * One hub process keeps them at a time (a lease, as the workflow's: workflow/lease.ts), so
 * two hubs on one CouchDB never write a day from views read at different moments in the
 * wrong order. On CouchDB each recomputed day is recomputed once more a few seconds later: a
 * cluster's view read takes each shard from one copy, which may not hold a write the feed
 * already showed.
 */
import { RECORD_FACTS } from '@sibantong/shared';
import { chinaDateOfInstant } from '@sibantong/shared/case/isoDay';
import type { RefData } from '../domain/refData.js';
import type { DeviceTraffic } from '../sync/deviceTraffic.js';
import { statusOf, withStoreRetry, type DbKey, type Store } from '../store/store.js';
import { limited } from '../store/limited.js';
import { Lease } from '../workflow/lease.js';
import {
  caseFactDays,
  FIGURE_VIEWS,
  FIGURES_VIEW_VERSION,
  queryView,
  RECORD_FACT_DB,
  recordFactDays,
} from './figureViews.js';

/** Bump when a document below changes shape (the views' version is part of it too). */
const SHAPE_VERSION = 1;
export const AGGREGATES_VERSION = FIGURES_VIEW_VERSION * 100 + SHAPE_VERSION;
export const AGGREGATES_STATE_ID = 'figures:aggregates';
export const DEVICES_ID = 'figures:devices';
export const dayId = (scope: string, day: string) => `figday:${scope}:${day}`;
export const recordDayId = (day: string) => `figrec:${day}`;
export const dueId = (scope: string) => `figdue:${scope}`;
export const monthId = (scope: string, month: string) => `figmonth:${scope}:${month}`;

const CASE_DIMS = ['all', 'town', 'village', 'matter'] as const;
type CaseDim = (typeof CASE_DIMS)[number];
const RECORD_DBS = ['tickets', 'supervision', 'refusals'] as const;
const FOLLOWED: readonly DbKey[] = ['cases', ...RECORD_DBS];
/** dimension → fact → value → count. */
export type FactTable = Partial<Record<CaseDim, Record<string, Record<string, number>>>>;

export interface DayAggregate {
  _id: string;
  _rev?: string;
  type: 'figure_day';
  version: number;
  scope: string;
  day: string;
  facts: FactTable;
  /** Accepted day → cases concluded this day that were accepted then. */
  spans: Record<string, number>;
}

/**
 * A month of one scope: the sum of its day documents (recomputed from them whenever one of its
 * days is), so a long range reads a document per month and only its partial months by day.
 */
export interface MonthAggregate {
  _id: string;
  _rev?: string;
  type: 'figure_month';
  version: number;
  scope: string;
  month: string;
  /** Every dimension but 'all', summed over the month. */
  facts: FactTable;
  /** Day → fact → count of dimension 'all' (the trend needs days). */
  daily: Record<string, Record<string, number>>;
  /** `<concluded day> <accepted day>` → cases. */
  spans: Record<string, number>;
}

export function monthOf(
  scope: string,
  month: string,
  days: readonly DayAggregate[],
): MonthAggregate {
  const facts: FactTable = {};
  const daily: MonthAggregate['daily'] = {};
  const spans: MonthAggregate['spans'] = {};
  for (const d of days) {
    for (const [dim, byFact] of Object.entries(d.facts) as Array<
      [CaseDim, Record<string, Record<string, number>>]
    >) {
      for (const [fact, values] of Object.entries(byFact)) {
        if (dim === 'all') {
          (daily[d.day] ??= {})[fact] = (daily[d.day]?.[fact] ?? 0) + (values[''] ?? 0);
          continue;
        }
        const sum = ((facts[dim] ??= {})[fact] ??= {});
        for (const [value, n] of Object.entries(values)) sum[value] = (sum[value] ?? 0) + n;
      }
    }
    for (const [accepted, n] of Object.entries(d.spans)) spans[`${d.day} ${accepted}`] = n;
  }
  return {
    _id: monthId(scope, month),
    type: 'figure_month',
    version: AGGREGATES_VERSION,
    scope,
    month,
    facts,
    daily,
    spans,
  };
}

/** Last day of a month (`YYYY-MM`). */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Aggregate documents with ids from `start` to `end` (inclusive), in id order. */
export async function readAggregates<D>(store: Store, start: string, end: string): Promise<D[]> {
  const res = await withStoreRetry(() =>
    store.db('hub').list({ startkey: start, endkey: end, include_docs: true }),
  );
  return res.rows.flatMap((r) => (r.doc ? [r.doc as D] : []));
}

export interface RecordDayAggregate {
  _id: string;
  _rev?: string;
  type: 'figure_records';
  version: number;
  day: string;
  /** Record fact → unit → count. */
  facts: Record<string, Record<string, number>>;
}

export interface DueAggregate {
  _id: string;
  _rev?: string;
  type: 'figure_due';
  version: number;
  scope: string;
  /** Dimension → [promised day, value, running cases]. */
  due: Partial<Record<CaseDim, Array<[string, string, number]>>>;
}

export interface DevicesAggregate {
  _id: string;
  _rev?: string;
  type: 'figure_devices';
  version: number;
  /** Device → hub time (ms) of its latest event. */
  last: Record<string, number>;
}

interface StateDoc {
  _id: string;
  _rev?: string;
  type: 'figure_aggregates';
  version: number;
  ready: boolean;
  seqs: Partial<Record<DbKey, string>>;
  updatedAt: string;
}

type Emitted = Array<[unknown, unknown]>;

/**
 * A view's map function as the store runs it, in the hub: the keys a document emits there are
 * the keys it emits here, so the days recomputed are exactly the days the index holds for it.
 */
function mapperOf(source: string): (doc: unknown) => Emitted {
  let out: Emitted = [];
  // The views' own ES5 source (ours, not input): compiled once per process.
  const fn = new Function('emit', `return (${source});`)((k: unknown, v: unknown) =>
    out.push([k, v]),
  ) as (doc: unknown) => void;
  return (doc) => {
    out = [];
    try {
      fn(doc);
    } catch {
      // the store skips a document its map function throws on: so does this
    }
    return out;
  };
}

const MAPS = {
  facts: mapperOf(FIGURE_VIEWS.cases!.facts!.map),
  spans: mapperOf(FIGURE_VIEWS.cases!.spans!.map),
  uploads: mapperOf(FIGURE_VIEWS.cases!.uploads!.map),
  tickets: mapperOf(FIGURE_VIEWS.tickets!.facts!.map),
  supervision: mapperOf(FIGURE_VIEWS.supervision!.facts!.map),
  refusals: mapperOf(FIGURE_VIEWS.refusals!.facts!.map),
};

/** What a batch of changes touches. */
export interface Touched {
  caseDays: Set<string>; // `${scope}\u0000${day}`
  dueScopes: Set<string>;
  recordDays: Set<string>;
  devices: Set<string>;
  rebuild: boolean;
}

export const emptyTouched = (): Touched => ({
  caseDays: new Set(),
  dueScopes: new Set(),
  recordDays: new Set(),
  devices: new Set(),
  rebuild: false,
});

/** Event types whose first occurrence dates a fact (figureViews.ts, CASE_FACTS_FN). */
const FIRST_OF_TYPE_DATES = new Set(['receive', 'inform_missing', 'refuse', 'accept', 'conclude']);

/**
 * Days a fact of this case may have counted on in an earlier version: a fact is dated by the
 * first event of its type, and an event that arrives late but sorts before it (stamped by the
 * hub today) moves the fact off the former first's day. Every event of such a type is still in
 * the case (history only grows), so its days cover every version's.
 */
export function earlierFactDays(doc: unknown): Set<string> {
  const days = new Set<string>();
  const events = (doc as { events?: unknown }).events;
  if (!Array.isArray(events)) return days;
  for (const e of events as Array<{ type?: unknown; hubTime?: unknown; deviceTime?: unknown }>) {
    if (typeof e?.type !== 'string' || !FIRST_OF_TYPE_DATES.has(e.type)) continue;
    // The view's day: `hubTime || deviceTime`, in China time (figureViews.ts, DAY_FN).
    const day = chinaDateOfInstant(e.hubTime || e.deviceTime);
    if (day) days.add(day);
  }
  return days;
}

export function touchCase(t: Touched, doc: unknown, towns: ReadonlySet<string>): void {
  // A case moved to another village (admin route) keeps the towns it left in formerUnitIds:
  // its days are recomputed there too, where it no longer counts.
  const former = (doc as { formerUnitIds?: unknown }).formerUnitIds;
  if (Array.isArray(former)) {
    for (const unit of former) {
      if (typeof unit !== 'string' || !towns.has(unit)) continue;
      for (const [key] of MAPS.facts({ ...(doc as object), townId: unit })) {
        const [scope, dim, day] = key as [string, string, string];
        if (scope !== unit) continue;
        if (dim.startsWith('due:')) t.dueScopes.add(scope);
        else t.caseDays.add(`${scope}\u0000${day}`);
      }
      for (const [key] of MAPS.spans({ ...(doc as object), townId: unit })) {
        const [scope, day] = key as [string, string];
        if (scope === unit) t.caseDays.add(`${scope}\u0000${day}`);
      }
      for (const day of earlierFactDays(doc)) t.caseDays.add(`${unit}\u0000${day}`);
    }
  }
  for (const [key] of MAPS.facts(doc)) {
    const [scope, dim, day] = key as [string, string, string];
    if (dim.startsWith('due:')) t.dueScopes.add(scope);
    else t.caseDays.add(`${scope}\u0000${day}`);
  }
  // A case that stopped running emits no due row any more: its scopes' due rows are redone.
  const d = doc as { townId?: unknown };
  if (typeof d.townId === 'string') {
    t.dueScopes.add('county');
    t.dueScopes.add(d.townId);
    for (const day of earlierFactDays(doc)) {
      t.caseDays.add(`county\u0000${day}`);
      t.caseDays.add(`${d.townId}\u0000${day}`);
    }
  }
  for (const [key] of MAPS.spans(doc)) {
    const [scope, day] = key as [string, string];
    t.caseDays.add(`${scope}\u0000${day}`);
  }
  for (const [device] of MAPS.uploads(doc)) t.devices.add(String(device));
}

function touchRecord(t: Touched, db: (typeof RECORD_DBS)[number], doc: unknown): void {
  for (const [key] of MAPS[db](doc)) t.recordDays.add((key as [string, string])[1]);
}

async function caseDay(store: Store, scope: string, day: string): Promise<DayAggregate> {
  const facts: FactTable = {};
  for (const dim of CASE_DIMS) {
    if (dim === 'town' && scope !== 'county') continue;
    for (const r of await caseFactDays(store, scope, dim, day, day)) {
      const byFact = (facts[dim] ??= {});
      (byFact[r.fact] ??= {})[r.value] = r.n;
    }
  }
  const spans: Record<string, number> = {};
  const spanRows = await queryView<[string, string, string]>(store, 'cases', 'spans', {
    startkey: [scope, day],
    endkey: [scope, day, {}],
    group_level: 3,
  });
  for (const r of spanRows) spans[r.key[2]] = Number(r.value) || 0;
  return {
    _id: dayId(scope, day),
    type: 'figure_day',
    version: AGGREGATES_VERSION,
    scope,
    day,
    facts,
    spans,
  };
}

async function recordDay(store: Store, day: string): Promise<RecordDayAggregate> {
  const facts: Record<string, Record<string, number>> = {};
  for (const fact of RECORD_FACTS) {
    for (const r of await recordFactDays(store, fact, day, day)) {
      (facts[fact] ??= {})[r.value] = r.n;
    }
  }
  return { _id: recordDayId(day), type: 'figure_records', version: AGGREGATES_VERSION, day, facts };
}

async function dueOf(store: Store, scope: string): Promise<DueAggregate> {
  const due: DueAggregate['due'] = {};
  for (const dim of CASE_DIMS) {
    if (dim === 'town' && scope !== 'county') continue;
    const rows = await queryView<[string, string, string, string, string]>(
      store,
      'cases',
      'facts',
      { startkey: [scope, `due:${dim}`], endkey: [scope, `due:${dim}`, {}], group_level: 5 },
    );
    due[dim] = rows.map((r) => [r.key[2], r.key[4], Number(r.value) || 0]);
  }
  return { _id: dueId(scope), type: 'figure_due', version: AGGREGATES_VERSION, scope, due };
}

/** Writes documents over whatever revision is stored (the lease holder is their only writer). */
async function putAll(store: Store, docs: Array<{ _id: string; _rev?: string }>): Promise<void> {
  const db = store.db<Record<string, unknown>>('hub');
  for (let i = 0; i < docs.length; i += 500) {
    const chunk = docs.slice(i, i + 500);
    for (let attempt = 0; ; attempt += 1) {
      const revs = await withStoreRetry(() => db.fetch({ keys: chunk.map((d) => d._id) }));
      const revOf = new Map<string, string>();
      for (const row of revs.rows as Array<{
        key?: string;
        value?: { rev?: string; deleted?: boolean };
      }>) {
        // A deleted document (a rebuild drops them all first) is written anew without a
        // revision: CouchDB refuses its tombstone's revision as a conflict (PouchDB takes it).
        if (row.key && row.value?.rev && !row.value.deleted) revOf.set(row.key, row.value.rev);
      }
      const body = chunk.map((d) => {
        const { _rev: _old, ...rest } = d;
        const rev = revOf.get(d._id);
        return rev ? { ...rest, _rev: rev } : rest;
      });
      const answers = await withStoreRetry(() => db.bulk({ docs: body }));
      const failed = answers.filter((a) => a.error);
      if (failed.length === 0) break;
      if (attempt >= 3 || failed.some((a) => a.error !== 'conflict'))
        throw new Error(`figure aggregates: ${failed[0]!.id} ${failed[0]!.error}`);
    }
  }
}

async function readDoc<D>(store: Store, id: string): Promise<D | null> {
  try {
    return (await withStoreRetry(() => store.db('hub').get(id))) as D;
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

/** `HUB_FIGURE_AGGREGATES=off`: answer from the views only (comparisons, diagnosis). */
const aggregatesOff = () => process.env.HUB_FIGURE_AGGREGATES === 'off';

/** The aggregates are complete for this hub's views: requests may read them. */
export async function aggregatesReady(store: Store): Promise<boolean> {
  if (aggregatesOff()) return false;
  const state = await readDoc<StateDoc>(store, AGGREGATES_STATE_ID);
  if (!state || !state.ready || state.version !== AGGREGATES_VERSION) return false;
  // Far behind the cases (a bulk load such as `seed-demo --history` while the hub runs, or the
  // follower waiting for devices' traffic): the views answer, slower but with every case. A
  // journey opened the cockpit right after the history was written and read 0 cases.
  try {
    return (await changesAfter(store, state.seqs.cases ?? '0')) <= READ_BEHIND;
  } catch (err) {
    if (statusOf(err) === 400) return false; // a position this store does not know (above)
    throw err;
  }
}

/**
 * Changes of the cases after a feed position. The embedded store's positions are integers up
 * to its `update_seq`; CouchDB's are opaque (and a cluster's are per shard copy), but its feed
 * says how many changes remain after a page (`pending`, an estimate on a cluster).
 */
async function changesAfter(store: Store, since: string): Promise<number> {
  if (store.kind === 'embedded') {
    const info = await withStoreRetry(() => store.db('cases').info());
    return Number(info.update_seq) - Number(since);
  }
  const body = (await withStoreRetry(() =>
    store.db('cases').changes({ since, limit: 1 }),
  )) as unknown as { results: unknown[]; pending?: number };
  return (body.pending ?? 0) + body.results.length;
}

/** Changes of the cases the aggregates may lag behind and still answer (about a push's worth). */
const READ_BEHIND = 50;

async function recompute(store: Store, t: Touched): Promise<number> {
  const tasks: Array<() => Promise<{ _id: string }>> = [];
  for (const k of t.caseDays) {
    const [scope, day] = k.split('\u0000') as [string, string];
    tasks.push(() => caseDay(store, scope, day));
  }
  for (const day of t.recordDays) tasks.push(() => recordDay(store, day));
  for (const scope of t.dueScopes) tasks.push(() => dueOf(store, scope));
  const docs: Array<{ _id: string }> = await limited(4, tasks);
  if (t.devices.size > 0) {
    const current = (await readDoc<DevicesAggregate>(store, DEVICES_ID))?.last ?? {};
    const last = { ...current };
    await limited(
      4,
      [...t.devices].map((device) => async () => {
        const rows = await queryView<string>(store, 'cases', 'uploads', { key: device });
        const max = Number((rows[0]?.value as { max?: number } | undefined)?.max);
        if (Number.isFinite(max)) last[device] = max;
        else delete last[device];
      }),
    );
    docs.push({
      _id: DEVICES_ID,
      type: 'figure_devices',
      version: AGGREGATES_VERSION,
      last,
    } as DevicesAggregate);
  }
  await putAll(store, docs);
  // The months of the days just written, summed again from their day documents.
  const months = new Set<string>();
  for (const k of t.caseDays) {
    const [scope, day] = k.split('\u0000') as [string, string];
    months.add(`${scope}\u0000${day.slice(0, 7)}`);
  }
  const monthDocs = await limited(
    4,
    [...months].map((k) => async () => {
      const [scope, month] = k.split('\u0000') as [string, string];
      const days = await readAggregates<DayAggregate>(
        store,
        dayId(scope, `${month}-01`),
        dayId(scope, `${month}-31`),
      );
      return monthOf(scope, month, days);
    }),
  );
  await putAll(store, monthDocs);
  return docs.length + monthDocs.length;
}

const PAGE = 500;
/**
 * Further behind than this (a restore, a bulk load, a long stop) the aggregates are rebuilt
 * rather than followed: a page of old changes touches hundreds of days, a rebuild reads each
 * index row once.
 */
const REBUILD_BEHIND = 5_000;
/** A page of changes touching more days than this (a history loaded at once): rebuild too. */
const REBUILD_DAYS = 400;

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
const IDLE_MS = 300;
/** The aggregates' own lease (the workflow's is `lease:workflow`). */
export const FIGURES_LEASE_ID = 'lease:figures';
/** A holder renews this often; another process waits this long between tries. */
const LEASE_RENEW_MS = 5_000;
/** On CouchDB, a day recomputed is recomputed again after this (see the file comment). */
const SETTLE_MS = 5_000;

class LeaseLost extends Error {}

export interface FigureAggregatesOptions {
  log?: (m: string) => void;
  /**
   * Devices' pushes and pulls in flight: each page waits (boundedly) until they are done, as
   * the workflow does, so that recomputing (and the store's view indexing it triggers) comes
   * after a burst rather than in the middle of it.
   */
  deviceTraffic?: DeviceTraffic;
}

/** Longest a page waits for devices' traffic to calm down. */
const DEFER_MAX_MS = 3_000;

/** The follower that keeps the aggregates (while this process holds their lease). */
export class FigureAggregates {
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly lease: Lease;
  /** This process holds the lease (renewed in the background, whatever the loop is doing). */
  private held = false;
  private leaseTimer: ReturnType<typeof setInterval> | null = null;
  /** Days recomputed on CouchDB, to be recomputed once more when `at` has passed. */
  private settling: Array<{ at: number; touched: Touched }> = [];
  /** Days and documents recomputed since start (tests, logs). */
  recomputed = 0;

  constructor(
    private readonly store: Store,
    private readonly ref: RefData,
    private readonly opts: FigureAggregatesOptions = {},
  ) {
    this.lease = new Lease(store, FIGURES_LEASE_ID);
  }

  start(): void {
    if (aggregatesOff() || this.loop) return;
    // A rebuild or a recompute behind a view's indexing can outlast the lease: renewed apart.
    this.leaseTimer = setInterval(() => void this.renew(), LEASE_RENEW_MS);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.wake?.();
    await this.loop;
    if (this.held) await this.lease.release();
    this.held = false;
  }

  private async renew(): Promise<void> {
    if (!this.held || this.stopped) return;
    try {
      this.held = await this.lease.acquireOrRenew();
    } catch {
      // the store is out of reach: the next renewal (or the loop's error path) finds out
    }
  }

  /** Takes the lease unless held; throws LeaseLost when another process holds it. */
  private async keepLease(): Promise<void> {
    if (this.held) return;
    this.held = await this.lease.acquireOrRenew();
    if (!this.held) throw new LeaseLost();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    // The lease holder is the state's only writer: read once it holds the lease, then kept here.
    let state: StateDoc | null = null;
    while (!this.stopped) {
      try {
        await this.keepLease();
        state ??= await readDoc<StateDoc>(this.store, AGGREGATES_STATE_ID);
        if (!state || !state.ready || state.version !== AGGREGATES_VERSION) {
          state = await this.rebuild(state);
        }
        const next = await this.step(state);
        if (next) state = next;
        else if (!(await this.settle())) await this.sleep(IDLE_MS);
      } catch (err) {
        state = null;
        this.settling = [];
        if (err instanceof LeaseLost) {
          await this.sleep(LEASE_RENEW_MS);
          continue;
        }
        this.opts.log?.(
          JSON.stringify({ event: 'figure_aggregates_error', message: String(err).slice(0, 300) }),
        );
        await this.sleep(2000);
      }
    }
  }

  private async writeState(state: StateDoc): Promise<StateDoc> {
    const db = this.store.db<Record<string, unknown>>('hub');
    const body = { ...state, updatedAt: new Date().toISOString() };
    try {
      const r = await withStoreRetry(() => db.insert(body as never));
      return { ...body, _rev: r.rev };
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
      const current = await readDoc<StateDoc>(this.store, AGGREGATES_STATE_ID);
      const r = await withStoreRetry(() => db.insert({ ...body, _rev: current?._rev } as never));
      return { ...body, _rev: r.rev };
    }
  }

  /**
   * Every day and scope from the views, from feed positions taken before reading them (what
   * changes meanwhile is replayed). Read a month at a time, one grouped range per scope and
   * dimension: each index row is read once, not once per day.
   */
  private async rebuild(previous: StateDoc | null): Promise<StateDoc> {
    const t0 = Date.now();
    const seqs: StateDoc['seqs'] = {};
    for (const db of FOLLOWED) {
      const info = await withStoreRetry(() => this.store.db(db).info());
      seqs[db] = String(info.update_seq);
    }
    const units = (await this.ref.get()).units;
    const scopes = ['county', ...units.filter((u) => u.level === 'town').map((u) => u.id)];
    // Documents of an older version or of days no longer counted go first.
    await this.dropAll();
    const edge = async (descending: boolean) => {
      const ends: string[] = [];
      const first = async (
        key: DbKey,
        view: string,
        start: unknown[],
        end: unknown[],
        at: number,
      ) => {
        const rows = await queryView<unknown[]>(this.store, key, view, {
          startkey: descending ? end : start,
          endkey: descending ? start : end,
          descending,
          reduce: false,
          limit: 1,
        });
        const day = rows[0]?.key[at];
        if (typeof day === 'string') ends.push(day);
      };
      await first('cases', 'facts', ['county', 'all'], ['county', 'all', {}], 2);
      await first('cases', 'spans', ['county'], ['county', {}], 1);
      for (const fact of RECORD_FACTS)
        await first(RECORD_FACT_DB[fact], 'facts', [fact], [fact, {}], 1);
      ends.sort();
      return descending ? ends[ends.length - 1] : ends[0];
    };
    const firstDay = await edge(false);
    const lastDay = await edge(true);
    let days = 0;
    for (
      let month = firstDay?.slice(0, 7);
      firstDay && lastDay && month && month <= lastDay.slice(0, 7);
      month = nextMonth(month)
    ) {
      if (!this.held) throw new LeaseLost();
      const from = `${month}-01`;
      const to = `${month}-31`;
      const docs = new Map<string, DayAggregate>();
      const dayDoc = (scope: string, day: string) => {
        const id = dayId(scope, day);
        let d = docs.get(id);
        if (!d) {
          d = {
            _id: id,
            type: 'figure_day',
            version: AGGREGATES_VERSION,
            scope,
            day,
            facts: {},
            spans: {},
          };
          docs.set(id, d);
        }
        return d;
      };
      for (const scope of scopes) {
        for (const dim of CASE_DIMS) {
          if (dim === 'town' && scope !== 'county') continue;
          for (const r of await caseFactDays(this.store, scope, dim, from, to)) {
            const byFact = (dayDoc(scope, r.day).facts[dim] ??= {});
            (byFact[r.fact] ??= {})[r.value] = r.n;
          }
        }
        const spans = await queryView<[string, string, string]>(this.store, 'cases', 'spans', {
          startkey: [scope, from],
          endkey: [scope, to, {}],
          group_level: 3,
        });
        for (const r of spans) dayDoc(scope, r.key[1]).spans[r.key[2]] = Number(r.value) || 0;
      }
      const records = new Map<string, RecordDayAggregate>();
      for (const fact of RECORD_FACTS) {
        for (const r of await recordFactDays(this.store, fact, from, to)) {
          const id = recordDayId(r.day);
          let d = records.get(id);
          if (!d) {
            d = {
              _id: id,
              type: 'figure_records',
              version: AGGREGATES_VERSION,
              day: r.day,
              facts: {},
            };
            records.set(id, d);
          }
          (d.facts[fact] ??= {})[r.value] = r.n;
        }
      }
      const monthDocs = scopes.map((scope) =>
        monthOf(
          scope,
          month!,
          [...docs.values()].filter((d) => d.scope === scope),
        ),
      );
      await putAll(this.store, [...docs.values(), ...records.values(), ...monthDocs]);
      days += docs.size + records.size + monthDocs.length;
    }
    const t = emptyTouched();
    for (const scope of scopes) t.dueScopes.add(scope);
    const devices = await queryView<string>(this.store, 'cases', 'uploads', { group: true });
    for (const r of devices) t.devices.add(r.key);
    days += await recompute(this.store, t);
    this.recomputed += days;
    const state = await this.writeState({
      _id: AGGREGATES_STATE_ID,
      ...(previous?._rev ? { _rev: previous._rev } : {}),
      type: 'figure_aggregates',
      version: AGGREGATES_VERSION,
      ready: true,
      seqs,
      updatedAt: '',
    });
    this.opts.log?.(
      JSON.stringify({ event: 'figure_aggregates_built', documents: days, ms: Date.now() - t0 }),
    );
    return state;
  }

  private async dropAll(): Promise<void> {
    const db = this.store.db<Record<string, unknown>>('hub');
    for (const [start, end] of [
      ['figday:', 'figday:\uffff'],
      ['figrec:', 'figrec:\uffff'],
      ['figdue:', 'figdue:\uffff'],
      ['figmonth:', 'figmonth:\uffff'],
      [DEVICES_ID, DEVICES_ID],
    ] as const) {
      const rows = (await withStoreRetry(() => db.list({ startkey: start, endkey: end })))
        .rows as Array<{ id: string; value: { rev: string } }>;
      for (let i = 0; i < rows.length; i += 500) {
        const docs = rows
          .slice(i, i + 500)
          .map((r) => ({ _id: r.id, _rev: r.value.rev, _deleted: true }));
        await withStoreRetry(() => db.bulk({ docs }));
      }
    }
  }

  /** One page of every feed: the state after it, or null when nothing changed. */
  private async step(state: StateDoc): Promise<StateDoc | null> {
    await this.opts.deviceTraffic?.calm(DEFER_MAX_MS);
    const t = emptyTouched();
    const towns = new Set(
      (await this.ref.get()).units.filter((u) => u.level === 'town').map((u) => u.id),
    );
    const seqs = { ...state.seqs };
    let moved = false;
    for (const db of FOLLOWED) {
      let body: {
        results: Array<{ id: string; deleted?: boolean; doc?: Record<string, unknown> }>;
        last_seq: unknown;
      };
      try {
        body = (await withStoreRetry(() =>
          this.store.db(db).changes({ since: seqs[db] ?? '0', limit: PAGE, include_docs: true }),
        )) as unknown as typeof body;
      } catch (err) {
        // A position this store does not know (another store's, copied by an older backup):
        // rebuild from the views.
        if (statusOf(err) === 400) return this.writeState({ ...state, ready: false });
        throw err;
      }
      if (body.results.length === 0) continue;
      if (
        db === 'cases' &&
        body.results.length >= PAGE &&
        (await changesAfter(this.store, seqs.cases ?? '0')) > REBUILD_BEHIND
      ) {
        t.rebuild = true;
      }
      moved = true;
      seqs[db] = String(body.last_seq);
      for (const row of body.results) {
        if (row.id.startsWith('_design/')) continue;
        if (row.deleted || !row.doc) {
          t.rebuild = true; // its days are unknown now
          continue;
        }
        if (db === 'cases') touchCase(t, row.doc, towns);
        else touchRecord(t, db as (typeof RECORD_DBS)[number], row.doc);
      }
    }
    if (!moved) return null;
    if (t.rebuild || t.caseDays.size > REBUILD_DAYS) {
      return this.writeState({ ...state, ready: false });
    }
    if (!this.held) throw new LeaseLost(); // another hub took over: it replays from its state
    this.recomputed += await recompute(this.store, t);
    if (this.store.kind !== 'embedded') {
      this.settling.push({ at: Date.now() + SETTLE_MS, touched: t });
    }
    return this.writeState({ ...state, seqs });
  }

  /** Recomputes once more the days whose settling time has come; false when none had. */
  private async settle(): Promise<boolean> {
    const now = Date.now();
    const due = this.settling.filter((s) => s.at <= now);
    if (due.length === 0) return false;
    this.settling = this.settling.filter((s) => s.at > now);
    const t = emptyTouched();
    for (const { touched } of due) {
      for (const k of touched.caseDays) t.caseDays.add(k);
      for (const k of touched.dueScopes) t.dueScopes.add(k);
      for (const k of touched.recordDays) t.recordDays.add(k);
      for (const k of touched.devices) t.devices.add(k);
    }
    this.recomputed += await recompute(this.store, t);
    return true;
  }
}
