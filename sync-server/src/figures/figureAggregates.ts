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
 * Exact differences, each applied once. Each changed document is run through the views' own
 * map functions; its rows now are compared with its rows as last counted (figureIndex.ts: its
 * `figdoc:` state), and only the difference is added to the aggregates it moved in
 * (figureTally.ts) — also where a late event, a move to another town or a conclusion took rows
 * away. A step's cost is its changes, not the size of the days it touches (a storm lands every
 * case on one day: bench/findings.md, "The figure aggregates' cost per case"). A step is written
 * down whole before any of it is applied (`figures:journal`: the documents' new entries and
 * the differences), and each aggregate records the last step it holds, so a crash between
 * writes applies the same journal again and nothing twice (test/figureJournal.test.ts crashes
 * after every write). A count that would fall below zero means the index and the aggregates
 * disagree: everything is rebuilt, as for a deleted case (its rows unknown): one pass over the
 * feeds, no view read.
 *
 * Followed from durable positions in the four databases' feeds (`figures:aggregates`), written
 * after the aggregates they cover. Until the first build is done (and after a version change)
 * requests read the views. One hub process keeps them at a time (a lease, as the workflow's:
 * workflow/lease.ts), so two hubs on one CouchDB never write the same entries in turn.
 */
import { createHash } from 'node:crypto';
import type { RefData } from '../domain/refData.js';
import type { DeviceTraffic } from '../sync/deviceTraffic.js';
import { statusOf, withStoreRetry, type DbKey, type Store } from '../store/store.js';
import { limited } from '../store/limited.js';
import { Lease } from '../workflow/lease.js';
import { AGGREGATES_VERSION } from './figureVersion.js';
import {
  caseUploads,
  docEntries,
  docStateId,
  dueTarget,
  INDEX_PREFIXES,
  parseTarget,
  SPAN_DIM,
  type DocState,
  type FollowedDb,
  type Target,
} from './figureIndex.js';
import { foldIfMany, segmentDocs } from './figureSegments.js';
import { fetchDocs, putAll, readAggregates, readDoc, writeKnown } from './figureStore.js';
import { diffDoc, rowKey, rowOf, segmentChanges, Tally, type DocChange } from './figureTally.js';

export { AGGREGATES_VERSION } from './figureVersion.js';
export { readAggregates, readDoc } from './figureStore.js';

export const AGGREGATES_STATE_ID = 'figures:aggregates';
export const DEVICES_ID = 'figures:devices';
export const dayId = (scope: string, day: string) => `figday:${scope}:${day}`;
export const recordDayId = (day: string) => `figrec:${day}`;
export const dueId = (scope: string) => `figdue:${scope}`;
export const monthId = (scope: string, month: string) => `figmonth:${scope}:${month}`;

const CASE_DIMS = ['all', 'town', 'village', 'matter'] as const;
type CaseDim = (typeof CASE_DIMS)[number];
const FOLLOWED: readonly FollowedDb[] = ['cases', 'tickets', 'supervision', 'refusals'];
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
  /** The step (figures:journal) whose rows it holds last. */
  step?: number;
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

export interface RecordDayAggregate {
  _id: string;
  _rev?: string;
  type: 'figure_records';
  version: number;
  day: string;
  /** Record fact → unit → count. */
  facts: Record<string, Record<string, number>>;
  step?: number;
}

export interface DueAggregate {
  _id: string;
  _rev?: string;
  type: 'figure_due';
  version: number;
  scope: string;
  /** Dimension → [promised day, value, running cases]. */
  due: Partial<Record<CaseDim, Array<[string, string, number]>>>;
  step?: number;
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
  /** The last step applied (figures:journal). */
  step?: number;
  /** While a rebuild runs: the feeds' changes read of about `total` (figureSource.ts). */
  rebuilding?: { read: number; total: number; startedAt: string };
  updatedAt: string;
}

/** A document's entries disagreed with the aggregates they were counted in: rebuild. */
export class Diverged extends Error {}

/** Adds row counts, refusing a count below zero (the aggregates and the index disagree). */
function addRows(into: Map<string, number>, delta: Iterable<[string, number]>, what: string) {
  for (const [k, n] of delta) {
    const v = (into.get(k) ?? 0) + n;
    if (v < 0) throw new Diverged(`${what}: ${k.split('\u0000').join('|')} would be ${v}`);
    if (v === 0) into.delete(k);
    else into.set(k, v);
  }
}

/** A day's counts as rows (the facts by dimension, fact and value; spans as SPAN_DIM). */
export function dayRows(doc?: DayAggregate | null): Map<string, number> {
  const rows = new Map<string, number>();
  for (const [dim, byFact] of Object.entries(doc?.facts ?? {})) {
    for (const [fact, values] of Object.entries(byFact ?? {})) {
      for (const [value, n] of Object.entries(values)) rows.set(rowKey(dim, fact, value), n);
    }
  }
  for (const [accepted, n] of Object.entries(doc?.spans ?? {})) {
    rows.set(rowKey(SPAN_DIM, accepted, ''), n);
  }
  return rows;
}

/** A day's document from its rows. */
export function dayFromRows(
  scope: string,
  day: string,
  rows: ReadonlyMap<string, number>,
): DayAggregate {
  const facts: FactTable = {};
  const spans: Record<string, number> = {};
  // Sorted, so that equal figures have equal stamps whatever order they were counted in.
  for (const k of [...rows.keys()].sort()) {
    const n = rows.get(k)!;
    const [dim, fact, value] = rowOf(k);
    if (dim === SPAN_DIM) spans[fact] = n;
    else ((facts[dim as CaseDim] ??= {})[fact] ??= {})[value] = n;
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

function recordRows(doc?: RecordDayAggregate | null): Map<string, number> {
  const rows = new Map<string, number>();
  for (const [fact, units] of Object.entries(doc?.facts ?? {})) {
    for (const [unit, n] of Object.entries(units)) rows.set(rowKey('r', fact, unit), n);
  }
  return rows;
}

function recordDayFromRows(day: string, rows: ReadonlyMap<string, number>): RecordDayAggregate {
  const facts: Record<string, Record<string, number>> = {};
  for (const [k, n] of rows) {
    const [, fact, unit] = rowOf(k);
    (facts[fact] ??= {})[unit] = n;
  }
  return { _id: recordDayId(day), type: 'figure_records', version: AGGREGATES_VERSION, day, facts };
}

/** A scope's running cases as rows [dimension, promised day, value]. */
function dueRows(doc?: DueAggregate | null): Map<string, number> {
  const rows = new Map<string, number>();
  for (const [dim, list] of Object.entries(doc?.due ?? {})) {
    for (const [day, value, n] of list ?? []) rows.set(rowKey(dim, day, value), n);
  }
  return rows;
}

function dueFromRows(scope: string, rows: ReadonlyMap<string, number>): DueAggregate {
  const due: DueAggregate['due'] = {};
  for (const dim of CASE_DIMS) {
    if (dim === 'town' && scope !== 'county') continue;
    due[dim] = [];
  }
  for (const k of [...rows.keys()].sort()) {
    const [dim, day, value] = rowOf(k);
    due[dim as CaseDim]?.push([day, value, rows.get(k)!]);
  }
  return { _id: dueId(scope), type: 'figure_due', version: AGGREGATES_VERSION, scope, due };
}

/** The aggregate document a target counts in. */
export function aggregateIdOf(target: Target): string {
  const t = parseTarget(target);
  if (t.kind === 'day') return dayId(t.scope, t.day);
  if (t.kind === 'due') return dueId(t.scope);
  return recordDayId(t.day);
}

export type Aggregate = DayAggregate | DueAggregate | RecordDayAggregate;

/** An aggregate's counts as rows (what its target's entries add up to). */
export function aggregateRows(doc: Aggregate): Map<string, number> {
  if (doc.type === 'figure_day') return dayRows(doc);
  if (doc.type === 'figure_due') return dueRows(doc);
  return recordRows(doc);
}

/** A target's aggregate with rows added (from none: a rebuild, or a target new to the store). */
function withRows(
  target: Target,
  current: Aggregate | undefined,
  delta: Iterable<[string, number]>,
  step: number,
): Aggregate {
  const t = parseTarget(target);
  let doc: Aggregate;
  if (t.kind === 'day') {
    const rows = dayRows(current as DayAggregate | undefined);
    addRows(rows, delta, target);
    doc = dayFromRows(t.scope, t.day, rows);
  } else if (t.kind === 'due') {
    const rows = dueRows(current as DueAggregate | undefined);
    addRows(rows, delta, target);
    doc = dueFromRows(t.scope, rows);
  } else {
    const rows = recordRows(current as RecordDayAggregate | undefined);
    addRows(rows, delta, target);
    doc = recordDayFromRows(t.day, rows);
  }
  return { ...doc, ...(current?._rev ? { _rev: current._rev } : {}), step };
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
  latest: Iterable<[string, number]>,
): Promise<DevicesAggregate | null> {
  const current = await readDoc<DevicesAggregate>(store, DEVICES_ID);
  const last = { ...(current?.last ?? {}) };
  let changed = false;
  for (const [device, t] of latest) {
    if (!(t <= (last[device] ?? -Infinity))) {
      last[device] = t;
      changed = true;
    }
  }
  if (!changed) return null;
  return { _id: DEVICES_ID, type: 'figure_devices', version: AGGREGATES_VERSION, last };
}

/**
 * One step, written down before any of it is applied (`figures:journal`): the documents' new
 * entries, the rows it adds to and takes from each aggregate, and the feeds' positions after
 * it. A crash part-way applies the same journal again: segments and states are written over,
 * and an aggregate that already carries the step is left as it is.
 */
export interface Journal {
  _id: string;
  _rev?: string;
  type: 'figure_journal';
  version: number;
  step: number;
  seqs: Partial<Record<DbKey, string>>;
  /** [state id, key, entries now, targets its rows moved in]. */
  docs: Array<[string, string, Record<Target, string>, Target[]]>;
  tally: Array<[Target, Array<[string, number]>]>;
  devices: Array<[string, number]>;
}

export const JOURNAL_ID = 'figures:journal';

const changesOf = (j: Journal): DocChange[] =>
  j.docs.map(([stateId, key, entries, moved]) => ({ stateId, key, entries, moved }));

/**
 * Applies a journal: the drill-down segments, the aggregates (each once: those carrying the
 * step already have it), their months and the devices, then the documents' states, then folds
 * the lists that have grown long. Returns the documents written.
 */
async function applyJournal(
  store: Store,
  j: Journal,
  revs: ReadonlyMap<string, string> = new Map(),
): Promise<number> {
  const changes = changesOf(j);
  const segTargets = segmentChanges(changes);
  const segs = segmentDocs(segTargets, j.step);
  await writeKnown(store, segs);
  const stored = await fetchDocs<Aggregate & { step?: number }>(
    store,
    j.tally.map(([t]) => aggregateIdOf(t)),
  );
  const out: Aggregate[] = [];
  const days = new Map<string, DayAggregate>();
  for (const [target, delta] of j.tally) {
    const current = stored.get(aggregateIdOf(target));
    const doc = current?.step === j.step ? current : withRows(target, current, delta, j.step);
    if (doc !== current) out.push(doc);
    if (doc.type === 'figure_day') days.set(doc._id, doc);
  }
  await writeKnown(store, out);
  const months = await monthsOf(store, days);
  const devices = await devicesAfter(store, j.devices);
  await putAll(store, devices ? [...months, devices] : months);
  const states: DocState[] = changes.map((c) => ({
    _id: c.stateId,
    ...(revs.has(c.stateId) ? { _rev: revs.get(c.stateId) } : {}),
    type: 'figure_doc',
    version: AGGREGATES_VERSION,
    entries: c.entries,
  }));
  await writeKnown(store, states);
  await limited(
    4,
    [...segTargets.keys()].map((t) => () => foldIfMany(store, t)),
  );
  return segs.length + out.length + months.length + states.length;
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
const PAGE = 500;
/**
 * The page once a step has read a full one: fewer, larger steps catch up sooner after a
 * reconnection storm (each step has a fixed cost of a few writes besides its changes).
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
/** Documents a rebuild holds before writing out their states (memory: roughly 300 bytes each). */
const REBUILD_HOLD = 100_000;
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
        if (!state) {
          state = await readDoc<StateDoc>(this.store, AGGREGATES_STATE_ID);
          if (state?.ready && state.version === AGGREGATES_VERSION)
            state = await this.finish(state);
        }
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

  /** A step the last holder wrote down but may not have finished: applied (again). */
  private async finish(state: StateDoc): Promise<StateDoc> {
    const j = await readDoc<Journal>(this.store, JOURNAL_ID);
    if (!j || j.version !== AGGREGATES_VERSION || j.step !== (state.step ?? 0) + 1) return state;
    return this.apply(state, j);
  }

  /** Applies a journal and moves the state past it (a disagreement: rebuild). */
  private async apply(state: StateDoc, j: Journal, revs?: Map<string, string>): Promise<StateDoc> {
    if (!this.held) throw new LeaseLost(); // another hub took over: it replays from its state
    try {
      this.recomputed += await applyJournal(this.store, j, revs);
    } catch (err) {
      if (!(err instanceof Diverged)) throw err;
      this.opts.log?.(
        JSON.stringify({ event: 'figure_aggregates_diverged', message: err.message.slice(0, 300) }),
      );
      return this.writeState({ ...state, ready: false });
    }
    return this.writeState({ ...state, seqs: j.seqs, step: j.step });
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
   * Everything again, in one pass over the four feeds from their start: each document's entries
   * (its state, and its rows into the drill-down segments, written out in large batches) and
   * its rows into the aggregates' counts, held in memory; then the day, month, due, record and
   * device documents from those counts. The feeds' positions reached are the state's: what
   * changes meanwhile is followed after. No view is read: at a county's million cases their
   * indexes take hours to build (docs/cockpit.md).
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
    const tally = new Tally();
    const devices = new Map<string, number>();
    let held = new Map<string, DocChange>();
    let step = 0;
    let written = 0;
    let read = 0;
    const writeOut = async () => {
      if (!this.held) throw new LeaseLost();
      step += 1;
      const changes = [...held.values()];
      const segs = segmentDocs(segmentChanges(changes), step);
      await writeKnown(this.store, segs);
      const states: DocState[] = changes.map((c) => ({
        _id: c.stateId,
        type: 'figure_doc',
        version: AGGREGATES_VERSION,
        entries: c.entries,
      }));
      // A document seen again after its first version was written out conflicts: written over.
      await writeKnown(this.store, states);
      written += segs.length + states.length;
      held = new Map();
    };
    // A document changed while the pass runs comes again later in its feed: its earlier rows
    // may sit on days it has left, so its second version takes them away (diffDoc).
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
          const stateId = docStateId(db, row.id);
          let before: DocChange | undefined;
          if (seen.has(stateId)) {
            before = held.get(stateId);
            if (!before) {
              const s = await readDoc<DocState>(this.store, stateId);
              if (s) before = { stateId, key: '', entries: s.entries, moved: [] };
            }
          }
          seen.add(stateId);
          const key = db === 'cases' ? row.id : `${db}/${row.id}`;
          const c = diffDoc(tally, stateId, key, before?.entries, docEntries(db, row.doc));
          // Its first version's targets stay in the list: the segments then say it left them.
          if (c)
            held.set(stateId, {
              ...c,
              moved: [...new Set([...(before?.moved ?? []), ...c.moved])],
            });
          if (db === 'cases') {
            for (const [device, t] of caseUploads(row.doc)) {
              if (!(t <= (devices.get(device) ?? -Infinity))) devices.set(device, t);
            }
          }
        }
        read += body.results.length;
        if (held.size >= REBUILD_HOLD) await writeOut();
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
    const counted = new Map(tally.changed());
    for (const scope of scopes)
      if (!counted.has(dueTarget(scope))) counted.set(dueTarget(scope), []);
    const aggregates = [...counted].map(([t, rows]) => withRows(t, undefined, rows, step));
    const days = aggregates.filter((d): d is DayAggregate => d.type === 'figure_day');
    const months = new Map<string, DayAggregate[]>();
    for (const d of days) {
      const k = `${d.scope}\u0000${d.day.slice(0, 7)}`;
      const list = months.get(k);
      if (list) list.push(d);
      else months.set(k, [d]);
    }
    const monthDocs = [...months].map(([k, list]) => {
      const [scope, month] = k.split('\u0000') as [string, string];
      return monthOf(scope, month, list);
    });
    const out: Array<{ _id: string }> = [...aggregates, ...monthDocs];
    out.push({
      _id: DEVICES_ID,
      type: 'figure_devices',
      version: AGGREGATES_VERSION,
      last: Object.fromEntries(devices),
    } as DevicesAggregate);
    if (!this.held) throw new LeaseLost();
    await putAll(this.store, out);
    this.recomputed += written + out.length;
    const { rebuilding: _done, ...built } = progress;
    const state = await this.writeState({ ...built, ready: true, seqs, step });
    this.opts.log?.(
      JSON.stringify({
        event: 'figure_aggregates_built',
        changes: read,
        indexDocuments: written,
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
      [JOURNAL_ID, JOURNAL_ID],
    ] as const) {
      // A county's index holds a document per case: listed a page at a time.
      for (;;) {
        const rows = (
          await withStoreRetry(() => db.list({ startkey: start, endkey: end, limit: 5_000 }))
        ).rows as Array<{ id: string; value: { rev: string } }>;
        if (rows.length === 0) break;
        for (let i = 0; i < rows.length; i += 500) {
          const docs = rows
            .slice(i, i + 500)
            .map((r) => ({ _id: r.id, _rev: r.value.rev, _deleted: true }));
          await withStoreRetry(() => db.bulk({ docs }));
        }
      }
    }
  }

  /** One page of every feed: the state after it, or null when nothing changed. */
  private async step(state: StateDoc): Promise<StateDoc | null> {
    await this.opts.deviceTraffic?.calm(DEFER_MAX_MS);
    const seqs = { ...state.seqs };
    const limit = this.behind ? PAGE_BEHIND : PAGE;
    const docs: Array<{ db: FollowedDb; doc: Record<string, unknown> & { _id: string } }> = [];
    let moved = false;
    let full = false;
    let rebuild = false;
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
        rebuild = true;
      }
      moved = true;
      seqs[db] = String(body.last_seq);
      for (const row of body.results) {
        if (row.id.startsWith('_design/')) continue;
        if (row.deleted || !row.doc) {
          rebuild = true; // its rows are unknown now
          continue;
        }
        docs.push({ db, doc: row.doc as Record<string, unknown> & { _id: string } });
      }
    }
    this.behind = full;
    if (!moved) return null;
    if (rebuild) return this.writeState({ ...state, ready: false });
    const before = await fetchDocs<DocState>(
      this.store,
      docs.map(({ db, doc }) => docStateId(db, doc._id)),
    );
    const tally = new Tally();
    const changes: DocChange[] = [];
    const devices = new Map<string, number>();
    for (const { db, doc } of docs) {
      const stateId = docStateId(db, doc._id);
      const key = db === 'cases' ? doc._id : `${db}/${doc._id}`;
      const c = diffDoc(tally, stateId, key, before.get(stateId)?.entries, docEntries(db, doc));
      if (c) changes.push(c);
      if (db !== 'cases') continue;
      for (const [device, t] of caseUploads(doc)) {
        if (!(t <= (devices.get(device) ?? -Infinity))) devices.set(device, t);
      }
    }
    const step = (state.step ?? 0) + 1;
    const journal: Journal = {
      _id: JOURNAL_ID,
      type: 'figure_journal',
      version: AGGREGATES_VERSION,
      step,
      seqs,
      docs: changes.map((c) => [c.stateId, c.key, c.entries, c.moved]),
      tally: tally.changed(),
      devices: [...devices],
    };
    if (!this.held) throw new LeaseLost();
    await putAll(this.store, [journal]);
    const revs = new Map<string, string>();
    for (const [id, s] of before) if (s._rev) revs.set(id, s._rev);
    return this.apply(state, journal, revs);
  }
}
