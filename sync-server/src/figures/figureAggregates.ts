/**
 * Daily aggregates of the cockpit's figures, kept by the hub on every store (docs/cockpit.md,
 * "Measured"). PouchDB's map/reduce stores no reductions, so a grouped range reads every index
 * row in it and a cockpit request grows with the cases; CouchDB keeps reductions, but a grouped
 * range still returns a row per day × fact × value, and at a county's million cases either
 * store takes hours to build the views at all. Here the hub keeps, in its `hub` database, one
 * small document per scope and day (`figday:<scope>:<day>`: the facts by dimension, fact and
 * value, and the working-day spans concluded that day), one per scope and month
 * (`figmonth:`, their sums), one per day for the records (`figrec:<day>`: tickets, 督办, refused
 * writes by unit), one per scope for the running cases by promised date (`figdue:<scope>`) and
 * the latest upload of every PC (`figures:devices`). A request reads a document per month of
 * its range and per day at its ends.
 *
 * Exact, not counted: nothing is incremented. Each changed case is run through the views' own
 * map functions and its rows of each scope and day replace its entry in the hub's own index
 * (figureIndex.ts: `figidx:<scope>:<day>`, and the days and towns an earlier version counted on,
 * found by touchCase, lose theirs); a day's figures are then recomputed whole from that one
 * index document. So a day document always equals what the views' grouped rows would say for
 * that day, whatever the order, repetition or concurrency of pushes, and a crash between writes
 * replays to the same result. A deleted case (its rows unknown) rebuilds everything: one pass
 * over the feeds, no view read.
 *
 * Followed from durable positions in the four databases' feeds (`figures:aggregates`), written
 * after the aggregates they cover. Until the first build is done (and after a version change)
 * requests read the views. One hub process keeps them at a time (a lease, as the workflow's:
 * workflow/lease.ts), so two hubs on one CouchDB never write the same entries in turn.
 */
import { createHash } from 'node:crypto';
import { chinaDateOfInstant } from '@sibantong/shared/case/isoDay';
import type { RefData } from '../domain/refData.js';
import type { DeviceTraffic } from '../sync/deviceTraffic.js';
import { statusOf, withStoreRetry, type DbKey, type Store } from '../store/store.js';
import { limited } from '../store/limited.js';
import { Lease } from '../workflow/lease.js';
import { FIGURES_VIEW_VERSION } from './figureViews.js';
import {
  caseEntries,
  caseUploads,
  decodeRows,
  DUE_SHARD_IDS,
  dueIndexId,
  dueShardOf,
  dayIndexId,
  INDEX_PREFIXES,
  MAPS,
  recordEntries,
  recordIndexId,
  SPAN_DIM,
  type IndexDoc,
  type RecordDb,
} from './figureIndex.js';

/** Bump when a document below changes shape (the views' version is part of it too). */
const SHAPE_VERSION = 3;
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
  /** A digest of `facts` and `spans`: its month holds the one it was summed from. */
  stamp: string;
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
  /**
   * Day → the stamp of the day document summed. A range that takes most of a month reads the
   * month and the few days outside it, and subtracts them only when their stamps are these
   * (the month is not behind them), figureQuery.ts.
   */
  stamps: Record<string, string>;
}

export function monthOf(
  scope: string,
  month: string,
  days: readonly DayAggregate[],
): MonthAggregate {
  const facts: FactTable = {};
  const daily: MonthAggregate['daily'] = {};
  const spans: MonthAggregate['spans'] = {};
  const stamps: MonthAggregate['stamps'] = {};
  for (const d of days) {
    stamps[d.day] = d.stamp;
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
    stamps,
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

export interface StateDoc {
  _id: string;
  _rev?: string;
  type: 'figure_aggregates';
  version: number;
  ready: boolean;
  seqs: Partial<Record<DbKey, string>>;
  /** While a rebuild runs: the feeds' changes read of about `total` (figureSource.ts). */
  rebuilding?: { read: number; total: number; startedAt: string };
  updatedAt: string;
}

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

/** A day's figures of one scope, from its index document (absent: an empty day). */
export function dayFromIndex(scope: string, day: string, idx?: IndexDoc): DayAggregate {
  const facts: FactTable = {};
  const spans: Record<string, number> = {};
  for (const entry of Object.values(idx?.entries ?? {})) {
    decodeRows(entry, (dim, fact, value) => {
      if (dim === SPAN_DIM) {
        spans[fact] = (spans[fact] ?? 0) + 1;
        return;
      }
      const values = ((facts[dim as CaseDim] ??= {})[fact] ??= {});
      values[value] = (values[value] ?? 0) + 1;
    });
  }
  return {
    _id: dayId(scope, day),
    type: 'figure_day',
    version: AGGREGATES_VERSION,
    scope,
    day,
    facts,
    spans,
    stamp: createHash('sha1')
      .update(JSON.stringify([facts, spans]))
      .digest('base64url'),
  };
}

function recordDayFromIndex(day: string, idx?: IndexDoc): RecordDayAggregate {
  const facts: Record<string, Record<string, number>> = {};
  for (const entry of Object.values(idx?.entries ?? {})) {
    decodeRows(entry, (_r, fact, unit) => {
      const units = (facts[fact] ??= {});
      units[unit] = (units[unit] ?? 0) + 1;
    });
  }
  return { _id: recordDayId(day), type: 'figure_records', version: AGGREGATES_VERSION, day, facts };
}

/** The running cases of one scope by promised date, from all of its shards. */
function dueFromShards(scope: string, shards: Iterable<IndexDoc>): DueAggregate {
  const counts = new Map<string, Map<string, number>>(); // dim → `${day}\u0000${value}` → n
  for (const dim of CASE_DIMS) {
    if (dim === 'town' && scope !== 'county') continue;
    counts.set(dim, new Map());
  }
  for (const shard of shards) {
    for (const entry of Object.values(shard.entries)) {
      decodeRows(entry, (dim, day, value) => {
        const byKey = counts.get(dim);
        if (!byKey) return;
        const k = `${day}\u0000${value}`;
        byKey.set(k, (byKey.get(k) ?? 0) + 1);
      });
    }
  }
  const due: DueAggregate['due'] = {};
  for (const [dim, byKey] of counts) {
    due[dim as CaseDim] = [...byKey]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, n]) => {
        const [day, value] = k.split('\u0000') as [string, string];
        return [day, value, n];
      });
  }
  return { _id: dueId(scope), type: 'figure_due', version: AGGREGATES_VERSION, scope, due };
}

/** Index documents by id, as stored (absent and deleted ones left out). */
export async function readIndex(
  store: Store,
  ids: readonly string[],
): Promise<Map<string, IndexDoc>> {
  const out = new Map<string, IndexDoc>();
  const db = store.db<Record<string, unknown>>('hub');
  for (let i = 0; i < ids.length; i += 200) {
    const keys = ids.slice(i, i + 200);
    const res = await withStoreRetry(() => db.fetch({ keys }));
    for (const row of res.rows as Array<{ key?: string; doc?: IndexDoc | null }>) {
      if (row.key && row.doc && row.doc.type === 'figure_index') out.set(row.key, row.doc);
    }
  }
  return out;
}

/** Index doc id → document key → its entry there, or null where it has none any more. */
export type Updates = Map<string, Map<string, string | null>>;

/** What a stretch of the feeds changes in the index (and in the devices' latest uploads). */
export class IndexChanges {
  readonly updates: Updates = new Map();
  readonly devices = new Map<string, number>();
  /** A document was deleted: its rows are unknown, everything is rebuilt. */
  rebuild = false;
  /** Entries held (a rebuild writes them out before they outgrow the heap). */
  size = 0;

  private set(id: string, key: string, entry: string | null): void {
    let m = this.updates.get(id);
    if (!m) this.updates.set(id, (m = new Map()));
    if (!m.has(key)) this.size += 1;
    m.set(key, entry);
  }

  /**
   * A case as it is now. `stale`: the index may hold an earlier version's rows, on days and in
   * towns this version no longer counts on (touchCase finds them); those entries are removed.
   */
  addCase(doc: { _id: string }, towns: ReadonlySet<string>, stale: boolean): void {
    const { days, due } = caseEntries(doc);
    const dayKeys = new Set(days.keys());
    const dueScopes = new Set(due.keys());
    if (stale) {
      const t = emptyTouched();
      touchCase(t, doc, towns);
      for (const k of t.caseDays) dayKeys.add(k);
      for (const scope of t.dueScopes) dueScopes.add(scope);
    }
    for (const k of dayKeys) {
      const [scope, day] = k.split('\u0000') as [string, string];
      this.set(dayIndexId(scope, day), doc._id, days.get(k) ?? null);
    }
    const shard = dueShardOf(doc._id);
    for (const scope of dueScopes) {
      this.set(dueIndexId(scope, shard), doc._id, due.get(scope) ?? null);
    }
    for (const [device, t] of caseUploads(doc)) {
      if (!(t <= (this.devices.get(device) ?? -Infinity))) this.devices.set(device, t);
    }
  }

  addRecord(db: RecordDb, doc: { _id: string }): void {
    for (const [day, entry] of recordEntries(db, doc)) {
      this.set(recordIndexId(day), `${db}/${doc._id}`, entry);
    }
  }
}

/** Writes documents carrying their stored revision; the few that conflict go through putAll. */
async function writeKnown(store: Store, docs: Array<{ _id: string; _rev?: string }>) {
  const db = store.db<Record<string, unknown>>('hub');
  const retry: Array<{ _id: string; _rev?: string }> = [];
  for (let i = 0; i < docs.length; i += 200) {
    const chunk = docs.slice(i, i + 200);
    const answers = await withStoreRetry(() => db.bulk({ docs: chunk }));
    answers.forEach((a, j) => {
      if (!a.error) return;
      if (a.error !== 'conflict') throw new Error(`figure index: ${a.id} ${a.error}`);
      retry.push(chunk[j]!);
    });
  }
  if (retry.length > 0) await putAll(store, retry);
}

/** Applies updates to the stored index documents: the documents as now written. */
async function applyUpdates(store: Store, updates: Updates): Promise<IndexDoc[]> {
  const stored = await readIndex(store, [...updates.keys()]);
  const docs: IndexDoc[] = [];
  for (const [id, changes] of updates) {
    const doc: IndexDoc = stored.get(id) ?? {
      _id: id,
      type: 'figure_index',
      version: AGGREGATES_VERSION,
      entries: {},
    };
    for (const [key, entry] of changes) {
      if (entry === null) delete doc.entries[key];
      else doc.entries[key] = entry;
    }
    docs.push(doc);
  }
  await writeKnown(store, docs);
  return docs;
}

/** The figures of the index documents just written, by the aggregate documents they make. */
interface Summaries {
  days: Map<string, DayAggregate>;
  records: Map<string, RecordDayAggregate>;
  /** Due shards written, by scope. */
  dueShards: Map<string, Map<string, IndexDoc>>;
}

function summarise(docs: readonly IndexDoc[], into: Summaries): void {
  for (const doc of docs) {
    const [kind, ...rest] = doc._id.split(':');
    if (kind === 'figidx') {
      const day = rest.pop()!;
      const scope = rest.join(':');
      into.days.set(dayId(scope, day), dayFromIndex(scope, day, doc));
    } else if (kind === 'figrecidx') {
      into.records.set(recordDayId(rest[0]!), recordDayFromIndex(rest[0]!, doc));
    } else if (kind === 'figdueidx') {
      const shard = rest.pop()!;
      const scope = rest.join(':');
      let shards = into.dueShards.get(scope);
      if (!shards) into.dueShards.set(scope, (shards = new Map()));
      shards.set(shard, doc);
    }
  }
}

/** Each scope's due document, from the shards just written and the others as stored. */
async function duesOf(store: Store, dueShards: Summaries['dueShards']): Promise<DueAggregate[]> {
  return limited(
    4,
    [...dueShards].map(([scope, written]) => async () => {
      const others = DUE_SHARD_IDS.filter((s) => !written.has(s)).map((s) => dueIndexId(scope, s));
      const stored = await readIndex(store, others);
      return dueFromShards(scope, [...written.values(), ...stored.values()]);
    }),
  );
}

/** Months of the given days, each summed from its day documents (those given win). */
async function monthsOf(store: Store, days: ReadonlyMap<string, DayAggregate>) {
  const months = new Map<string, Map<string, DayAggregate>>();
  for (const d of days.values()) {
    const k = `${d.scope}\u0000${d.day.slice(0, 7)}`;
    let m = months.get(k);
    if (!m) months.set(k, (m = new Map()));
    m.set(d._id, d);
  }
  return limited(
    4,
    [...months].map(([k, fresh]) => async () => {
      const [scope, month] = k.split('\u0000') as [string, string];
      const stored = await readAggregates<DayAggregate>(
        store,
        dayId(scope, `${month}-01`),
        dayId(scope, `${month}-31`),
      );
      const all = new Map(stored.map((d) => [d._id, d]));
      for (const [id, d] of fresh) all.set(id, d);
      return monthOf(scope, month, [...all.values()]);
    }),
  );
}

/** Folds the devices' latest uploads into the stored document: null when nothing is newer. */
async function devicesAfter(
  store: Store,
  latest: ReadonlyMap<string, number>,
): Promise<DevicesAggregate | null> {
  if (latest.size === 0) return null;
  const current = await readDoc<DevicesAggregate>(store, DEVICES_ID);
  const last = { ...(current?.last ?? {}) };
  let changed = !current;
  for (const [device, t] of latest) {
    if (!(t <= (last[device] ?? -Infinity))) {
      last[device] = t;
      changed = true;
    }
  }
  if (!changed) return null;
  return { _id: DEVICES_ID, type: 'figure_devices', version: AGGREGATES_VERSION, last };
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

export async function readDoc<D>(store: Store, id: string): Promise<D | null> {
  try {
    return (await withStoreRetry(() => store.db('hub').get(id))) as D;
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

/** `HUB_FIGURE_AGGREGATES=off`: answer from the views only (comparisons, diagnosis). */
export const aggregatesOff = () => process.env.HUB_FIGURE_AGGREGATES === 'off';

/**
 * Changes of the cases after a feed position. The embedded store's positions are integers up
 * to its `update_seq`; CouchDB's are opaque (and a cluster's are per shard copy), but its feed
 * says how many changes remain after a page (`pending`, an estimate on a cluster).
 */
export async function changesAfter(store: Store, since: string): Promise<number> {
  if (store.kind === 'embedded') {
    const info = await withStoreRetry(() => store.db('cases').info());
    return Number(info.update_seq) - Number(since);
  }
  const body = (await withStoreRetry(() =>
    store.db('cases').changes({ since, limit: 1 }),
  )) as unknown as { results: unknown[]; pending?: number };
  return (body.pending ?? 0) + body.results.length;
}

/**
 * One stretch of the feeds into the index and the aggregates: the index documents first, then
 * the days, months and due documents computed from them. A crash in between replays the stretch,
 * which writes the same entries and so the same figures.
 */
async function applyPending(store: Store, pending: IndexChanges): Promise<number> {
  const docs = await applyUpdates(store, pending.updates);
  const s: Summaries = { days: new Map(), records: new Map(), dueShards: new Map() };
  summarise(docs, s);
  const out: Array<{ _id: string }> = [...s.days.values(), ...s.records.values()];
  out.push(...(await duesOf(store, s.dueShards)));
  const devices = await devicesAfter(store, pending.devices);
  if (devices) out.push(devices);
  await putAll(store, out);
  const months = await monthsOf(store, s.days);
  await putAll(store, months);
  return docs.length + out.length + months.length;
}

const PAGE = 500;
/**
 * The page once a step has read a full one. A step's cost is mostly rewriting each touched
 * day's index document whole, and in a reconnection storm every case lands on the same day:
 * fewer, larger steps catch up sooner (a 40,000-case storm on the embedded store: bench/findings.md,
 * "The storm's numbering").
 */
const PAGE_BEHIND = 4_000;
/**
 * A backlog is rebuilt rather than followed only when it is more than this many changes
 * (`HUB_FIGURES_REBUILD_BEHIND` changes it) **and** more than REBUILD_SHARE of all the
 * changes the cases have had (writes, both counted as `changesAfter` counts them).
 * A rebuild reads every case once, so it pays off for a restore or a bulk load, where the
 * backlog is most of the store. A storm is a small share of a county's cases. Rebuilding after
 * one read the whole store again, and on a large store left the cockpit refused
 * (FIGURES_REBUILDING) meanwhile: a storm of 40,000 new cases rebuilt twice on the bench's
 * 63,000, for 25 s and 67 s.
 */
const REBUILD_BEHIND = 5_000;
const REBUILD_SHARE = 0.5;

function rebuildBehind(): number {
  const v = Number(process.env.HUB_FIGURES_REBUILD_BEHIND);
  return Number.isInteger(v) && v > 0 ? v : REBUILD_BEHIND;
}

/**
 * Rebuild rather than follow the cases' feed from `since`: behind by more than the threshold
 * and by more than REBUILD_SHARE of every change the feed has had, both counted as
 * `changesAfter` counts them. The whole feed is counted only past the threshold.
 */
async function rebuildRatherThanFollow(store: Store, since: string): Promise<boolean> {
  const behind = await changesAfter(store, since);
  return behind > rebuildBehind() && behind > REBUILD_SHARE * (await changesAfter(store, '0'));
}
/** A rebuild says how far it is this often. */
const PROGRESS_MS = 10_000;
/** A rebuild reads the feeds in pages of this many changes. */
const REBUILD_PAGE = 2_000;
/** Index entries a rebuild holds before writing them out (memory: roughly 150 bytes each). */
const REBUILD_HOLD = 2_000_000;
const IDLE_MS = 300;
/** The aggregates' own lease (the workflow's is `lease:workflow`). */
export const FIGURES_LEASE_ID = 'lease:figures';
/** A holder renews this often; another process waits this long between tries. */
const LEASE_RENEW_MS = 5_000;

class LeaseLost extends Error {}

export interface FigureAggregatesOptions {
  log?: (m: string) => void;
  /**
   * Devices' pushes in flight: each page waits (boundedly) until they are done, as the
   * workflow does, so that recomputing comes after a burst rather than in the middle of it.
   */
  deviceTraffic?: DeviceTraffic;
}

/** Longest a page waits for devices' traffic to calm down. */
const DEFER_MAX_MS = 3_000;

type FeedBody = {
  results: Array<{ id: string; deleted?: boolean; doc?: Record<string, unknown> }>;
  last_seq: unknown;
};

/** The follower that keeps the aggregates (while this process holds their lease). */
export class FigureAggregates {
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly lease: Lease;
  /** This process holds the lease (renewed in the background, whatever the loop is doing). */
  private held = false;
  private leaseTimer: ReturnType<typeof setInterval> | null = null;
  /** Index and aggregate documents written since start (tests, logs). */
  recomputed = 0;
  /** The last step read a full page: the next reads a larger one. */
  private behind = false;

  constructor(
    private readonly store: Store,
    private readonly ref: RefData,
    private readonly opts: FigureAggregatesOptions = {},
  ) {
    this.lease = new Lease(store, FIGURES_LEASE_ID);
  }

  start(): void {
    if (aggregatesOff() || this.loop) return;
    // A rebuild can outlast the lease: renewed apart.
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

  private renewing = false;

  private async renew(): Promise<void> {
    // One renewal at a time: a rebuild's large batches can hold the event loop past a tick.
    if (!this.held || this.stopped || this.renewing) return;
    this.renewing = true;
    try {
      this.held = await this.lease.acquireOrRenew();
    } catch {
      // the store is out of reach: the next renewal (or the loop's error path) finds out
    } finally {
      this.renewing = false;
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
        else await this.sleep(IDLE_MS);
      } catch (err) {
        state = null;
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

  private async towns(): Promise<Set<string>> {
    return new Set((await this.ref.get()).units.filter((u) => u.level === 'town').map((u) => u.id));
  }

  /**
   * Everything again, in one pass over the four feeds from their start: each document's rows
   * into the index (held in memory, written out in large batches), then the day, month, due
   * and device documents from it. The feeds' positions reached are the state's: what changes
   * meanwhile is followed after. No view is read: at a county's million cases their indexes
   * take hours to build (docs/cockpit.md).
   */
  private async rebuild(previous: StateDoc | null): Promise<StateDoc> {
    const t0 = Date.now();
    const towns = await this.towns();
    const scopes = ['county', ...towns];
    // How far it is, for the cockpit to say while it cannot answer (figureSource.ts).
    let total = 0;
    for (const db of FOLLOWED) {
      const info = (await withStoreRetry(() => this.store.db(db).info())) as {
        doc_count?: number;
        doc_del_count?: number;
      };
      total += (info.doc_count ?? 0) + (info.doc_del_count ?? 0);
    }
    const startedAt = new Date(t0).toISOString();
    let progress = await this.writeState({
      _id: AGGREGATES_STATE_ID,
      ...(previous?._rev ? { _rev: previous._rev } : {}),
      type: 'figure_aggregates',
      version: AGGREGATES_VERSION,
      ready: false,
      seqs: {},
      rebuilding: { read: 0, total, startedAt },
      updatedAt: '',
    });
    let progressAt = Date.now();
    // Documents of an older version or of days no longer counted go first.
    await this.dropAll();
    const seqs: StateDoc['seqs'] = {};
    const s: Summaries = { days: new Map(), records: new Map(), dueShards: new Map() };
    const devices = new Map<string, number>();
    let pending = new IndexChanges();
    let indexDocs = 0;
    let read = 0;
    const writeOut = async () => {
      if (!this.held) throw new LeaseLost();
      const docs = await applyUpdates(this.store, pending.updates);
      indexDocs += docs.length;
      summarise(docs, s);
      for (const [device, t] of pending.devices) {
        if (!(t <= (devices.get(device) ?? -Infinity))) devices.set(device, t);
      }
      pending = new IndexChanges();
    };
    // A document changed while the pass runs comes again later in its feed: its earlier rows
    // may sit on days it has left, so its second version clears them (touchCase).
    const seen = new Set<string>();
    for (const db of FOLLOWED) {
      let since = '0';
      for (;;) {
        const body = (await withStoreRetry(() =>
          this.store.db(db).changes({ since, limit: REBUILD_PAGE, include_docs: true }),
        )) as unknown as FeedBody;
        if (body.results.length === 0) break;
        since = String(body.last_seq);
        for (const row of body.results) {
          if (row.id.startsWith('_design/') || row.deleted || !row.doc) continue;
          const doc = row.doc as { _id: string };
          if (db === 'cases') {
            pending.addCase(doc, towns, seen.has(doc._id));
            seen.add(doc._id);
          } else pending.addRecord(db as RecordDb, doc);
        }
        read += body.results.length;
        if (pending.size >= REBUILD_HOLD) await writeOut();
        if (Date.now() - progressAt >= PROGRESS_MS) {
          if (!this.held) throw new LeaseLost();
          progress = await this.writeState({
            ...progress,
            rebuilding: { read, total: Math.max(total, read), startedAt },
          });
          progressAt = Date.now();
        }
      }
      seqs[db] = since;
    }
    await writeOut();
    const months = new Map<string, DayAggregate[]>();
    for (const d of s.days.values()) {
      const k = `${d.scope}\u0000${d.day.slice(0, 7)}`;
      const list = months.get(k);
      if (list) list.push(d);
      else months.set(k, [d]);
    }
    const monthDocs = [...months].map(([k, days]) => {
      const [scope, month] = k.split('\u0000') as [string, string];
      return monthOf(scope, month, days);
    });
    for (const scope of scopes) if (!s.dueShards.has(scope)) s.dueShards.set(scope, new Map());
    const dues = await duesOf(this.store, s.dueShards);
    const out: Array<{ _id: string }> = [...s.days.values(), ...s.records.values(), ...monthDocs];
    out.push(...dues, {
      _id: DEVICES_ID,
      type: 'figure_devices',
      version: AGGREGATES_VERSION,
      last: Object.fromEntries(devices),
    } as DevicesAggregate);
    if (!this.held) throw new LeaseLost();
    await putAll(this.store, out);
    this.recomputed += indexDocs + out.length;
    const { rebuilding: _done, ...built } = progress;
    const state = await this.writeState({ ...built, ready: true, seqs });
    this.opts.log?.(
      JSON.stringify({
        event: 'figure_aggregates_built',
        changes: read,
        indexDocuments: indexDocs,
        documents: out.length,
        ms: Date.now() - t0,
      }),
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
      ...INDEX_PREFIXES.map((p) => [p, `${p}\uffff`] as const),
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
    const pending = new IndexChanges();
    const towns = await this.towns();
    const seqs = { ...state.seqs };
    const limit = this.behind ? PAGE_BEHIND : PAGE;
    let moved = false;
    let full = false;
    for (const db of FOLLOWED) {
      let body: FeedBody;
      try {
        body = (await withStoreRetry(() =>
          this.store.db(db).changes({ since: seqs[db] ?? '0', limit, include_docs: true }),
        )) as unknown as FeedBody;
      } catch (err) {
        // A position this store does not know (another store's, copied by an older backup):
        // rebuild.
        if (statusOf(err) === 400) return this.writeState({ ...state, ready: false });
        throw err;
      }
      if (body.results.length === 0) continue;
      if (body.results.length >= limit) full = true;
      if (
        db === 'cases' &&
        body.results.length >= limit &&
        (await rebuildRatherThanFollow(this.store, seqs.cases ?? '0'))
      ) {
        pending.rebuild = true;
      }
      moved = true;
      seqs[db] = String(body.last_seq);
      for (const row of body.results) {
        if (row.id.startsWith('_design/')) continue;
        if (row.deleted || !row.doc) {
          pending.rebuild = true; // its rows are unknown now
          continue;
        }
        const doc = row.doc as { _id: string };
        if (db === 'cases') pending.addCase(doc, towns, true);
        else pending.addRecord(db as RecordDb, doc);
      }
    }
    this.behind = full;
    if (!moved) return null;
    if (pending.rebuild) return this.writeState({ ...state, ready: false });
    if (!this.held) throw new LeaseLost(); // another hub took over: it replays from its state
    this.recomputed += await applyPending(this.store, pending);
    return this.writeState({ ...state, seqs });
  }
}
