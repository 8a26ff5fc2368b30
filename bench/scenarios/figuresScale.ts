/**
 * The cockpit's figures at a county's scale (issue 15: ≥ 1,000,000 cases, p95 ≤ 1 s, current
 * within seconds of a push), on the embedded store or a CouchDB.
 *
 * One hub, a ladder of sizes filled one after the other (each step adds cases to the last):
 * 1. the demo history of `days` days (`seed-demo --history`: planned and judged by the hub's
 *    own rules, numbered by its running workflow) is the template set;
 * 2. the county grows by generated towns of 25 villages (`villages` in all besides the demo's);
 * 3. each step clones the templates (support/caseCloner.ts) into the store the hub uses with
 *    `_bulk_docs` through the hub's guarded store (sealed at rest like every case it holds),
 *    with the hub stopped, then moves the workflow checkpoint and the official-number counters
 *    past them — they stand for cases the hub received and numbered long ago;
 * 4. the hub restarts; the figure views (the hub's own `ensureFigureViews`) and the Mango
 *    indexes are brought up to date by querying each once, timed: the index build;
 * 5. GET /api/figures over HTTP as the supervisor (30 days by day, a year by month, the whole
 *    history by week) and a town lead (30 days by day, a year by month), rounds interleaved;
 * 6. freshness: a village PC pushes one new case through the push route and the supervisor's
 *    30-day figures are polled until it is counted.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  DEMO_COUNTY,
  DEMO_PASSWORD,
  chinaDate,
  type CaseDoc,
  type EnrollResponse,
  type FiguresResponse,
  type ItHealth,
  type LoginResponse,
  type OrgUnit,
} from '@sibantong/shared';
import { loadConfig } from '../../sync-server/src/config.ts';
import { ensureFigureViews, FIGURES_DDOC } from '../../sync-server/src/figures/figureViews.ts';
import {
  AGGREGATES_STATE_ID,
  AGGREGATES_VERSION,
} from '../../sync-server/src/figures/figureAggregates.ts';
import { openStore } from '../../sync-server/src/store/openStore.ts';
import { dbName, type DbKey, type Store } from '../../sync-server/src/store/store.ts';
import { CHECKPOINT_ID } from '../../sync-server/src/workflow/workflowDocs.ts';
import { CaseCloner, type TemplateCase } from '../support/caseCloner.ts';
import { parseServerTiming } from '../../sync-server/src/http/serverTiming.ts';
import { activeTasks, couchFetch, type CouchTask } from '../support/couch.ts';
import { countyUnits } from '../support/dataGen.ts';
import {
  addUnits,
  enrolDevices,
  extraUnits,
  http,
  login,
  seedDemo,
  startHub,
  type BenchHub,
} from '../support/hub.ts';
import { SimClient } from '../support/simClient.ts';
import {
  StallWitness,
  slowSampleLine,
  type SlowSample,
  type TimedSample,
} from '../support/stallWitness.ts';
import { round, sleep, spread, summarize, type Spread, type Summary } from '../support/stats.ts';

export interface FiguresScaleOptions {
  /** Cases in the hub at each step of the ladder (ascending). */
  sizes: number[];
  /** Villages besides the demo county's (generated towns of 25). */
  villages: number;
  samples: number;
  freshnessSamples: number;
  /** Days of demo history the templates cover (the whole range measured). */
  days: number;
  seed: number;
  couchUrl: string | null;
  /** Measure the views too (the hub restarted with HUB_FIGURE_AGGREGATES=off). */
  compareViews: boolean;
  /** Build the figure views and Mango indexes after each fill (timed), not only the aggregates. */
  buildViews: boolean;
  /** Written after every step (an interrupted ladder keeps what it measured). */
  persist: (r: FiguresScaleResult) => void;
}

export interface QueryFigure {
  name: string;
  role: 'supervisor' | 'town lead';
  from: string;
  to: string;
  grain: 'day' | 'week' | 'month';
  ms: Spread;
  summary: Summary;
  /** Cases received in the range, as answered (what the figure counted). */
  received: number;
}

export interface Measured {
  queries: QueryFigure[];
  /** Drill-downs: GET /api/figures/cases (the first 2,000 cases of a number), timed alike. */
  drills?: Array<{ name: string; ms: Spread; summary: Summary; total: number }>;
  /** Samples much slower than their fellows, with what the hub, bench and store were doing. */
  slowSamples?: SlowSample[];
  freshness: {
    pushMs: Spread;
    /** From the push being sent to the supervisor's 30-day figures counting the case. */
    countedMs: Spread;
    polls: number[];
  };
}

export interface FiguresStep {
  cases: number;
  added: number;
  fill: { ms: number; casesPerSec: number; records: number };
  /** Time for each index to catch up with the cases just added (ms). */
  index: Record<string, number>;
  indexTotalMs: number;
  /** The first GET /api/figures after the index build (whole range, by week). */
  firstRequestMs: number;
  /** What the hub answered from: its aggregates (the views before 2026-12-03 on CouchDB). */
  path: 'views' | 'aggregates';
  queries: QueryFigure[];
  drills?: Measured['drills'];
  freshness: Measured['freshness'];
  /** Embedded with --compare-views: the same requests answered from the views. */
  viewsCompared?: Measured;
  storeBytes: Record<string, number>;
  finishedAt: string;
}

export interface FiguresScaleResult {
  store: 'embedded' | 'couchdb';
  storeLabel: string;
  templates: { cases: number; tickets: number; supervision: number; refusals: number; ms: number };
  villages: number;
  towns: number;
  days: number;
  steps: FiguresStep[];
  errors: string[];
}

const BATCH = 1000;
const IN_FLIGHT = 2;

function envOf(hub: BenchHub): NodeJS.ProcessEnv {
  return {
    HUB_DATA_DIR: hub.dataDir,
    HUB_DB_PREFIX: hub.prefix,
    ...(hub.couchUrl ? { COUCHDB_URL: hub.couchUrl } : {}),
  };
}

/** The store as the hub sees it (sealing on write, opening on read). */
function guardedStore(hub: BenchHub, attach: boolean) {
  return openStore(loadConfig(envOf(hub)), { attachIfRunning: attach });
}

async function allDocs(store: Store, key: DbKey): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  let startkey: string | undefined;
  for (;;) {
    const r = await store.db(key).list({
      include_docs: true,
      limit: 5000,
      ...(startkey ? { startkey, skip: 1 } : {}),
    });
    for (const row of r.rows) if (!row.id.startsWith('_design/')) out.push(row.doc as never);
    if (r.rows.length < 5000) return out;
    startkey = r.rows[r.rows.length - 1]!.id;
  }
}

async function readTemplates(store: Store): Promise<TemplateCase[]> {
  const cases = await allDocs(store, 'cases');
  const byCase = new Map<string, TemplateCase>(
    cases.map((d) => [
      String(d._id),
      { doc: d as TemplateCase['doc'], tickets: [], supervision: [], refusals: [] },
    ]),
  );
  for (const key of ['tickets', 'supervision', 'refusals'] as const) {
    for (const d of await allDocs(store, key)) {
      const t = byCase.get(String(d.caseId));
      if (t) t[key].push(d);
    }
  }
  return [...byCase.values()].sort((a, b) => a.doc._id.localeCompare(b.doc._id));
}

/** Writes documents in batches, a few requests in flight; the first refusal stops the fill. */
class BulkWriter {
  private pending: Partial<Record<DbKey, Array<Record<string, unknown>>>> = {};
  private readonly inFlight = new Set<Promise<void>>();
  private error: unknown = null;
  written = 0;
  constructor(private readonly store: Store) {}

  async add(key: DbKey, docs: Array<Record<string, unknown>>): Promise<void> {
    const list = (this.pending[key] ??= []);
    list.push(...docs);
    if (list.length >= BATCH) await this.flush(key);
  }

  private async flush(key: DbKey): Promise<void> {
    const docs = this.pending[key] ?? [];
    this.pending[key] = [];
    if (docs.length === 0) return;
    while (this.inFlight.size >= IN_FLIGHT) await Promise.race(this.inFlight);
    if (this.error) throw this.error;
    const p: Promise<void> = this.store
      .db(key)
      .bulk({ docs })
      .then((answers) => {
        const bad = answers.find((a) => a.error);
        if (bad) throw new Error(`${key} ${bad.id}: ${bad.error} ${bad.reason ?? ''}`);
        this.written += docs.length;
      })
      .catch((err: unknown) => {
        this.error ??= err;
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  async end(): Promise<void> {
    for (const key of Object.keys(this.pending) as DbKey[]) await this.flush(key);
    await Promise.all([...this.inFlight]);
    if (this.error) throw this.error;
  }
}

/**
 * Waits until a view is up to date. CouchDB answers a view request still waiting for its index
 * with a timeout after a minute (fabric's request_timeout) while the indexer goes on: ask again.
 */
async function viewQuery(store: Store, key: DbKey, ddoc: string, view: string): Promise<void> {
  for (;;) {
    try {
      await store.server().request({
        db: dbName(store.prefix, key),
        path: `${ddoc}/_view/${view}`,
        method: 'GET',
        qs: { limit: 0 },
      });
      return;
    } catch (err) {
      if (!/reasonable amount of time|timeout/i.test(String((err as Error).message))) throw err;
    }
  }
}

async function findIndex(store: Store, key: DbKey, name: string, field: string): Promise<void> {
  for (;;) {
    try {
      await store.server().request({
        db: dbName(store.prefix, key),
        path: '_find',
        method: 'POST',
        body: { selector: { [field]: { $gt: null } }, use_index: `idx-${name}`, limit: 1 },
      });
      return;
    } catch (err) {
      if (!/reasonable amount of time|timeout/i.test(String((err as Error).message))) throw err;
    }
  }
}

/** The run's databases on a shared CouchDB (gigabytes at a million cases). */
async function dropDatabases(couchUrl: string, prefix: string): Promise<void> {
  const dbs = (await (await couchFetch(couchUrl, '/_all_dbs')).json()) as string[];
  for (const db of dbs.filter((d) => d.startsWith(prefix)))
    await couchFetch(couchUrl, `/${db}`, { method: 'DELETE' });
}

/** On CouchDB, the indexer's tasks on this run's databases (null when the store cannot say). */
async function couchIndexerTasks(hub: BenchHub): Promise<CouchTask[] | null> {
  if (!hub.couchUrl) return [];
  try {
    const tasks = await activeTasks(hub.couchUrl);
    return tasks.filter(
      (t) => t.type === 'indexer' && (!hub.prefix || (t.database ?? '').includes(hub.prefix)),
    );
  } catch {
    return null;
  }
}

/** On CouchDB, what the indexer is doing (logged while a build runs). */
async function couchProgress(hub: BenchHub): Promise<string> {
  const tasks = (await couchIndexerTasks(hub)) ?? [];
  return tasks
    .map(
      (t) =>
        `${t.database?.split('/').pop() ?? ''} ${t.design_document ?? ''} ${t.changes_done ?? 0}/${t.total_changes ?? 0}`,
    )
    .join('; ');
}

/**
 * Until CouchDB's indexer has nothing left to do on this run's databases, seen twice 10 s apart.
 * After a bulk load of a million cases CouchDB's background indexer (ken) spends tens of
 * minutes on the workflow's Mango indexes, at full load on two cores; a running county's store
 * keeps them current a few changes at a time. Figures measured during that build measure the
 * bulk load (thirteenth stop: the first round's 700 days took 2.0 s, the later ones ≤ 0.33 s).
 */
async function couchAtRest(hub: BenchHub): Promise<void> {
  let quiet = 0;
  while (quiet < 2) {
    const tasks = await couchIndexerTasks(hub);
    quiet = tasks !== null && tasks.length === 0 ? quiet + 1 : 0;
    await sleep(10_000);
  }
}

/** Until the hub's aggregates are ready and have read every change of the four databases. */
async function aggregatesCaughtUp(store: Store): Promise<void> {
  for (;;) {
    type State = { ready?: boolean; version?: number; seqs?: Record<string, string> };
    let state: State | null = null;
    try {
      state = (await store.db('hub').get(AGGREGATES_STATE_ID)) as unknown as State;
    } catch {
      state = null;
    }
    if (state?.ready && state.version === AGGREGATES_VERSION) {
      let behind = false;
      for (const key of ['cases', 'tickets', 'supervision', 'refusals'] as const) {
        // Nothing in the feed after their position (CouchDB's positions are opaque strings).
        const feed = (await store
          .db(key)
          .changes({ since: state.seqs?.[key] ?? '0', limit: 1 })) as unknown as {
          results: unknown[];
        };
        if (feed.results.length > 0) behind = true;
      }
      if (!behind) return;
    }
    await sleep(500);
  }
}

/** Index catch-up, one index at a time (the order a first cockpit request would need them). */
async function buildIndexes(
  hub: BenchHub,
  store: Store,
  views: boolean,
  log: (m: string) => void,
): Promise<Record<string, number>> {
  // The hub's own daily aggregates (figureAggregates.ts), rebuilt after a bulk load from one
  // pass over the feeds: all the figures need. First, so that its time is its own.
  const steps: Array<[string, () => Promise<void>]> = [
    ['hub/figure aggregates', () => aggregatesCaughtUp(store)],
  ];
  if (views) await ensureFigureViews(store);
  if (views)
    steps.push(
      ['cases/figures/facts', () => viewQuery(store, 'cases', FIGURES_DDOC, 'facts')],
      ['cases/figures/spans', () => viewQuery(store, 'cases', FIGURES_DDOC, 'spans')],
      ['cases/figures/uploads', () => viewQuery(store, 'cases', FIGURES_DDOC, 'uploads')],
      ['cases/figures/drill', () => viewQuery(store, 'cases', FIGURES_DDOC, 'drill')],
      ['tickets/figures/facts', () => viewQuery(store, 'tickets', FIGURES_DDOC, 'facts')],
      ['supervision/figures/facts', () => viewQuery(store, 'supervision', FIGURES_DDOC, 'facts')],
      ['refusals/figures/facts', () => viewQuery(store, 'refusals', FIGURES_DDOC, 'facts')],
    );
  // The workflow's Mango indexes: not the figures' own, but a running county has them current
  // (the embedded store's hub brings them up to date itself).
  if (views || hub.couchUrl)
    steps.push(
      ['cases/idx-by-status (Mango)', () => findIndex(store, 'cases', 'by-status', 'status')],
      ['tickets/idx-by-case (Mango)', () => findIndex(store, 'tickets', 'by-case', 'caseId')],
      [
        'supervision/idx-by-case (Mango)',
        () => findIndex(store, 'supervision', 'by-case', 'caseId'),
      ],
      [
        'refusals/idx-by-sort-key (Mango)',
        () => findIndex(store, 'refusals', 'by-sort-key', 'sortKey'),
      ],
    );
  if (hub.couchUrl) steps.push(['CouchDB indexer at rest', () => couchAtRest(hub)]);
  const out: Record<string, number> = {};
  for (const [name, run] of steps) {
    const t0 = performance.now();
    const ticker = setInterval(() => {
      void couchProgress(hub).then((p) =>
        log(`  … ${name}: ${Math.round((performance.now() - t0) / 1000)} s${p ? ` (${p})` : ''}`),
      );
    }, 60_000);
    try {
      await run();
    } finally {
      clearInterval(ticker);
    }
    out[name] = Math.round(performance.now() - t0);
    log(`  index ${name}: ${(out[name] / 1000).toFixed(1)} s`);
  }
  return out;
}

/** Until the hub process has read every case once since its start (IT's health). */
async function hubWarm(hub: BenchHub, token: string): Promise<ItHealth['warmUp']> {
  for (;;) {
    const r = await http<ItHealth>(`${hub.url}/api/it/health`, { token, timeoutMs: 120_000 });
    if (r.status !== 200) throw new Error(`it/health: ${r.status} ${JSON.stringify(r.body)}`);
    if (r.body.warmUp.ready) return r.body.warmUp;
    await sleep(2_000);
  }
}

/** Sizes of the databases (and, on CouchDB, of the figure views), bytes. */
async function storeBytes(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const key of ['cases', 'tickets', 'supervision', 'refusals'] as const) {
    const db = dbName(store.prefix, key);
    try {
      const info = (await store.server().request({ db })) as {
        sizes?: { file?: number; active?: number };
        disk_size?: number;
      };
      out[`${key} db`] = info.sizes?.file ?? info.disk_size ?? 0;
      if (store.kind === 'couchdb') {
        const v = (await store.server().request({ db, path: `${FIGURES_DDOC}/_info` })) as {
          view_index?: { sizes?: { file?: number } };
        };
        out[`${key} figure views`] = v.view_index?.sizes?.file ?? 0;
      }
    } catch {
      // sizes are context only
    }
  }
  return out;
}

/** The embedded store's folder on disk (LevelDB: documents and view indexes), bytes. */
function folderBytes(hub: BenchHub): number {
  const r = spawnSync('du', ['-sb', path.join(hub.dataDir, 'store')], { encoding: 'utf8' });
  return Number(r.stdout.split(/\s/)[0]) || 0;
}

function daysBefore(today: string, n: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

export async function figuresScale(
  opts: FiguresScaleOptions,
  log: (m: string) => void,
): Promise<FiguresScaleResult> {
  const hub = await startHub(log, { couchUrl: opts.couchUrl, startTimeoutMs: 3_600_000 });
  const result: FiguresScaleResult = {
    store: opts.couchUrl ? 'couchdb' : 'embedded',
    storeLabel: '',
    templates: { cases: 0, tickets: 0, supervision: 0, refusals: 0, ms: 0 },
    villages: 0,
    towns: 0,
    days: opts.days,
    steps: [],
    errors: [],
  };
  try {
    await seedDemo(hub);
    const t0 = performance.now();
    const seeded = await hub.cli([
      'seed-demo',
      '--history',
      '--days',
      String(opts.days),
      '--seed',
      String(opts.seed),
    ]);
    if (seeded.code !== 0) throw new Error(`seed-demo --history: ${seeded.stderr}`);
    // The running workflow numbers the history as it numbers any case: wait for it.
    {
      const store = await guardedStore(hub, true);
      try {
        result.storeLabel = `${store.kind} ${await store.version()}`;
        for (let i = 0; ; i += 1) {
          const docs = await allDocs(store, 'cases');
          const left = docs.filter((d) => !d.officialNo).length;
          if (left === 0) break;
          if (i % 10 === 0) log(`  workflow numbering the history: ${left} left`);
          if (i > 600) throw new Error(`workflow left ${left} history cases unnumbered`);
          await sleep(2000);
        }
      } finally {
        await store.close();
      }
    }
    result.templates.ms = Math.round(performance.now() - t0);
    // A county's size: generated towns of 25 villages besides the demo's.
    const extra = extraUnits(opts.villages);
    const units: OrgUnit[] = [...DEMO_COUNTY, ...extra];
    result.villages = units.filter((u) => u.level === 'village').length;
    result.towns = units.filter((u) => u.level === 'town').length;

    // Devices and sessions for the measurements (the hub's own enrolment and login).
    const attached = hub.attached();
    await addUnits(attached, extra);
    const enrol = async (unit: string) => (await enrolDevices(hub, attached, unit, 1))[0]!;
    const devices: Record<string, EnrollResponse> = {
      sup: await enrol('county-sx'),
      lead: await enrol('town-xh'),
      village: await enrol('village-dq-01'),
    };
    await attached.close();

    let templates: TemplateCase[] = [];
    let serials = new Map<string, number>();
    {
      const store = await guardedStore(hub, true);
      try {
        templates = await readTemplates(store);
        const hubDocs = await allDocs(store, 'hub');
        serials = new Map(
          hubDocs
            .filter((d) => String(d._id).startsWith('counter:officialno:'))
            .map((d) => [String(d._id).slice('counter:officialno:'.length), Number(d.last)]),
        );
      } finally {
        await store.close();
      }
    }
    result.templates = {
      ...result.templates,
      cases: templates.length,
      tickets: templates.reduce((n, t) => n + t.tickets.length, 0),
      supervision: templates.reduce((n, t) => n + t.supervision.length, 0),
      refusals: templates.reduce((n, t) => n + t.refusals.length, 0),
    };
    log(
      `templates: ${result.templates.cases} cases, ${result.templates.tickets} tickets, ${result.templates.supervision} 督办, ${result.templates.refusals} refused writes (${(result.templates.ms / 1000).toFixed(0)} s to plan, store and number); county of ${result.villages} villages in ${result.towns} towns`,
    );
    const today = chinaDate(new Date());
    const startDay = daysBefore(today, opts.days);
    const cloner = new CaseCloner(units, opts.seed, startDay, serials);
    let total = templates.length;
    let roundNo = 0;
    let next = 0;
    const units0 = countyUnits(units);
    let sessions: { sup: LoginResponse; lead: LoginResponse; village: LoginResponse } | null = null;
    let pushBase = 0;

    for (const size of opts.sizes) {
      if (size < total) {
        log(`size ${size} is below the ${total} cases already in the hub: skipped`);
        continue;
      }
      log(`— ${size.toLocaleString('en')} cases: adding ${(size - total).toLocaleString('en')}`);
      const added = size - total;
      await hub.stop({ keepData: true });
      const fillT0 = performance.now();
      let records = 0;
      {
        const store = await guardedStore(hub, false);
        try {
          const writer = new BulkWriter(store);
          let lastLog = performance.now();
          while (total < size) {
            if (next === 0) roundNo += 1;
            const c = cloner.clone(templates[next]!, next, roundNo);
            next = (next + 1) % templates.length;
            await writer.add('cases', [c.doc]);
            if (c.tickets.length) await writer.add('tickets', c.tickets);
            if (c.supervision.length) await writer.add('supervision', c.supervision);
            if (c.refusals.length) await writer.add('refusals', c.refusals);
            records += c.tickets.length + c.supervision.length + c.refusals.length;
            total += 1;
            if (performance.now() - lastLog > 30_000) {
              lastLog = performance.now();
              const done = size - added + (added - (size - total));
              log(
                `  … ${done.toLocaleString('en')} cases (${Math.round((total - (size - added)) / ((performance.now() - fillT0) / 1000))}/s)`,
              );
            }
          }
          await writer.end();
          // The hub numbered and processed these long ago: its counters and its workflow's
          // checkpoint move past them.
          const hubDb = store.db<Record<string, unknown>>('hub');
          for (const [key, last] of cloner.serials) {
            const id = `counter:officialno:${key}`;
            let rev: string | undefined;
            try {
              rev = ((await hubDb.get(id)) as { _rev: string })._rev;
            } catch {
              rev = undefined;
            }
            await hubDb.insert({ _id: id, ...(rev ? { _rev: rev } : {}), type: 'counter', last });
          }
          const info = await store.db('cases').info();
          let rev: string | undefined;
          try {
            rev = ((await hubDb.get(CHECKPOINT_ID)) as { _rev: string })._rev;
          } catch {
            rev = undefined;
          }
          await hubDb.insert({
            _id: CHECKPOINT_ID,
            ...(rev ? { _rev: rev } : {}),
            type: 'checkpoint',
            seq: String(info.update_seq),
            updatedAt: new Date().toISOString(),
          });
        } finally {
          await store.close();
        }
      }
      const fillMs = performance.now() - fillT0;
      log(
        `  filled: +${added.toLocaleString('en')} cases and ${records.toLocaleString('en')} records in ${(fillMs / 1000).toFixed(0)} s (${Math.round(added / (fillMs / 1000))} cases/s)`,
      );
      const startT0 = performance.now();
      await hub.restart();
      // Part of the catch-up: before 2026-12-04 the embedded store's hub brought its Mango
      // indexes up to date before it listened (239 s at 1,000,000 cases).
      const startMs = Math.round(performance.now() - startT0);
      log(`  hub started in ${(startMs / 1000).toFixed(1)} s`);

      const store = await guardedStore(hub, true);
      let index: Record<string, number>;
      let bytes: Record<string, number>;
      try {
        index = {
          'hub start': startMs,
          ...(await buildIndexes(hub, store, opts.buildViews, log)),
        };
        bytes = hub.couchUrl ? await storeBytes(store) : { 'store folder': folderBytes(hub) };
      } finally {
        await store.close();
      }
      // The hub reads every case once after a start (its scope index); requests measured
      // before it has are measuring that (bench/findings.md, thirteenth stop). Waited for and
      // reported, as IT sees it on 枢纽状态.
      {
        const it = await login(hub, devices.sup!, 'it', DEMO_PASSWORD);
        const t0 = performance.now();
        const warm = await hubWarm(hub, it.accessToken);
        const waited = Math.round(performance.now() - t0);
        index['hub warm-up (waited after the above)'] = waited;
        const tookSec = (Date.parse(warm.readyAt!) - Date.parse(warm.startedAt)) / 1000;
        log(
          `  hub warm: its scope index read ${warm.casesRead.toLocaleString('en')} cases in ${tookSec.toFixed(0)} s from its start (waited ${(waited / 1000).toFixed(1)} s more here)`,
        );
      }
      const indexTotalMs = Object.values(index).reduce((a, b) => a + b, 0);

      // Fresh sessions each step: an index build outlasts an access token.
      sessions = {
        sup: await login(hub, devices.sup!, 'sup', DEMO_PASSWORD),
        lead: await login(hub, devices.lead!, 't.xh', DEMO_PASSWORD),
        village: await login(hub, devices.village!, 'v.dq01', DEMO_PASSWORD),
      };
      const s = sessions;
      const figures = (token: string, from: string, to: string, grain: string) =>
        http<FiguresResponse>(`${hub.url}/api/figures?from=${from}&to=${to}&grain=${grain}`, {
          token,
          timeoutMs: 3_600_000,
        });
      const whole = daysBefore(today, opts.days - 1);
      let t = performance.now();
      const first = await figures(s.sup.accessToken, whole, today, 'week');
      if (first.status !== 200)
        throw new Error(`figures: ${first.status} ${JSON.stringify(first.body)}`);
      const firstRequestMs = Math.round(performance.now() - t);
      log(`  first GET /api/figures (whole range, by week): ${firstRequestMs} ms`);

      const specs: Array<Omit<QueryFigure, 'ms' | 'summary' | 'received'> & { token: string }> = [
        {
          name: '30 days by day',
          role: 'supervisor',
          from: daysBefore(today, 29),
          to: today,
          grain: 'day',
          token: s.sup.accessToken,
        },
        {
          name: '1 year by month',
          role: 'supervisor',
          from: daysBefore(today, 364),
          to: today,
          grain: 'month',
          token: s.sup.accessToken,
        },
        {
          name: `${opts.days} days by week`,
          role: 'supervisor',
          from: whole,
          to: today,
          grain: 'week',
          token: s.sup.accessToken,
        },
        {
          name: '30 days by day',
          role: 'town lead',
          from: daysBefore(today, 29),
          to: today,
          grain: 'day',
          token: s.lead.accessToken,
        },
        {
          name: '1 year by month',
          role: 'town lead',
          from: daysBefore(today, 364),
          to: today,
          grain: 'month',
          token: s.lead.accessToken,
        },
      ];
      let pushed = 0;
      const measure = async (label: string, samples: number): Promise<Measured> => {
        log(`  measuring (${label})`);
        const times = specs.map(() => [] as number[]);
        const received = specs.map(() => 0);
        const witness = new StallWitness(hub.couchUrl);
        const timed: TimedSample[] = [];
        witness.start();
        for (let k = 0; k < samples; k += 1) {
          for (const [i, spec] of specs.entries()) {
            const start = Date.now();
            t = performance.now();
            const r = await figures(spec.token, spec.from, spec.to, spec.grain);
            if (r.status !== 200) throw new Error(`figures ${spec.name}: ${r.status}`);
            times[i]!.push(performance.now() - t);
            timed.push({
              label: `${spec.role}, ${spec.name}`,
              start,
              end: Date.now(),
              server: parseServerTiming(r.headers.get('server-timing')),
            });
            received[i] = r.body.totals.received ?? 0;
          }
        }
        const queries: QueryFigure[] = specs.map(({ token: _t, ...spec }, i) => ({
          ...spec,
          ms: spread(times[i]!, 0),
          summary: summarize(times[i]!),
          received: received[i]!,
        }));
        for (const q of queries)
          log(
            `  ${q.role}, ${q.name}: median ${q.ms.median} ms, p95 ${q.summary.p95} ms (${q.ms.min}–${q.ms.max}; ${q.received.toLocaleString('en')} received in range)`,
          );

        // Drill-downs: the cases behind a number, as the supervisor opens them.
        const drillSpecs: Array<[string, string]> = [
          [
            'supervisor, 30 days 收件 of the county',
            `metric=received&from=${daysBefore(today, 29)}&to=${today}`,
          ],
          [
            'supervisor, 1 year 差评 of the county',
            `metric=rate1&from=${daysBefore(today, 364)}&to=${today}`,
          ],
          [
            'supervisor, 超期在办 of 西湖街道',
            `metric=overdueOpen&from=${today}&to=${today}&dim=town&key=town-xh`,
          ],
        ];
        const drills: NonNullable<Measured['drills']> = [];
        for (const [name, q] of drillSpecs) {
          const ms: number[] = [];
          let n = 0;
          for (let k = 0; k < samples; k += 1) {
            const start = Date.now();
            t = performance.now();
            const r = await http<{ total: number }>(
              `${hub.url}/api/figures/cases?${q}&limit=2000`,
              { token: s.sup.accessToken, timeoutMs: 3_600_000 },
            );
            if (r.status !== 200) throw new Error(`drill ${name}: ${r.status}`);
            ms.push(performance.now() - t);
            timed.push({
              label: `drill ${name}`,
              start,
              end: Date.now(),
              server: parseServerTiming(r.headers.get('server-timing')),
            });
            n = r.body.total;
          }
          drills.push({ name, ms: spread(ms, 0), summary: summarize(ms), total: n });
          const d = drills[drills.length - 1]!;
          log(
            `  drill ${name}: median ${d.ms.median} ms, p95 ${d.summary.p95} ms (${d.ms.min}–${d.ms.max}; ${n.toLocaleString('en')} cases)`,
          );
        }

        // What the slow samples met (the hub's stalls come from IT's health).
        const itSession = await login(hub, devices.sup!, 'it', DEMO_PASSWORD);
        const health = await http<ItHealth>(`${hub.url}/api/it/health`, {
          token: itSession.accessToken,
          timeoutMs: 120_000,
        });
        if (health.status !== 200) throw new Error(`it/health: ${health.status}`);
        const slowSamples = await witness.explain(timed, health.body.runtime);
        log(
          `  hub heap ${health.body.runtime.heapUsedMb} MB of ${health.body.runtime.heapLimitMb} MB; ${slowSamples.length} slow samples`,
        );
        for (const slow of slowSamples) log(slowSampleLine(slow));

        // Freshness: a new case pushed by a village PC, counted in the supervisor's 30 days.
        const client = new SimClient(hub.url, devices.village!, s.village);
        const pushMs: number[] = [];
        const countedMs: number[] = [];
        const polls: number[] = [];
        for (let k = 0; k < opts.freshnessSamples; k += 1) {
          // The day a pushed case counts on is the hub's today, past the fill's `today` once
          // the run crosses midnight in China (16:00 UTC: a 1,000,000-case run did, and waited
          // 600 s for a case counted on a day outside its range).
          const now = chinaDate(new Date());
          const from30 = daysBefore(now, 29);
          const before = await figures(s.sup.accessToken, from30, now, 'day');
          const base = before.body.totals.received ?? 0;
          const [doc] = (await client.makeCases(
            1,
            units0,
            9_000_000 + (pushBase += 1),
          )) as CaseDoc[];
          const sent = performance.now();
          const [res] = await client.push([doc!]);
          pushMs.push(performance.now() - sent);
          if (res?.status !== 'accepted') throw new Error(`push: ${JSON.stringify(res)}`);
          let n = 0;
          for (;;) {
            n += 1;
            const r = await figures(s.sup.accessToken, from30, now, 'day');
            if ((r.body.totals.received ?? 0) > base) break;
            if (performance.now() - sent > 600_000)
              throw new Error('pushed case not counted in 600 s');
            await sleep(200);
          }
          countedMs.push(performance.now() - sent);
          pushed += 1;
          polls.push(n);
          log(
            `  freshness ${k + 1}: pushed in ${round(pushMs[k]!, 0)} ms, counted after ${round(countedMs[k]!, 0)} ms (${n} polls)`,
          );
          await sleep(1000);
        }

        return {
          queries,
          drills,
          slowSamples,
          freshness: { pushMs: spread(pushMs, 0), countedMs: spread(countedMs, 0), polls },
        };
      };
      const primary = await measure('the hub aggregates', opts.samples);
      let viewsCompared: Measured | undefined;
      if (opts.compareViews) {
        // The same requests answered from the views (whole months from the `months` view on
        // CouchDB), as before the aggregates on that store.
        await hub.restart({ HUB_FIGURE_AGGREGATES: 'off' });
        viewsCompared = await measure('views, HUB_FIGURE_AGGREGATES=off', 5);
        await hub.restart({ HUB_FIGURE_AGGREGATES: 'on' });
      }
      result.steps.push({
        cases: size,
        added,
        fill: { ms: Math.round(fillMs), casesPerSec: Math.round(added / (fillMs / 1000)), records },
        index,
        indexTotalMs,
        firstRequestMs,
        path: 'aggregates',
        ...primary,
        ...(viewsCompared ? { viewsCompared } : {}),
        storeBytes: bytes,
        finishedAt: new Date().toISOString(),
      });
      total += pushed;
      opts.persist(result);
    }
  } catch (err) {
    result.errors.push(err instanceof Error ? (err.stack ?? err.message) : String(err));
    log(`figuresScale failed: ${result.errors[result.errors.length - 1]}`);
  } finally {
    opts.persist(result);
    await hub.stop();
    if (opts.couchUrl) await dropDatabases(opts.couchUrl, hub.prefix);
  }
  return result;
}

/** The report's table (Markdown), one row per query per step and path. */
export function renderFiguresScale(r: FiguresScaleResult): string {
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `| cases | fill | index catch-up | answered from | figure request | median | p95 | min–max | counted after a push: median (min–max) |`,
    `| ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | --- |`,
  ];
  for (const s of r.steps) {
    const paths: Array<[string, Measured]> = [[s.path ?? 'views', s]];
    if (s.viewsCompared)
      paths.push([s.path === 'views' ? 'views by day' : 'views', s.viewsCompared]);
    let first = true;
    for (const [path, m] of paths) {
      m.queries.forEach((q, i) => {
        lines.push(
          `| ${first ? s.cases.toLocaleString('en') : ''} | ${first ? `${s.fill.casesPerSec}/s` : ''} | ${first ? sec(s.indexTotalMs) : ''} | ${i === 0 ? path : ''} | ${q.role}, ${q.name} | ${q.ms.median} ms | ${q.summary.p95} ms | ${q.ms.min}–${q.ms.max} ms | ${i === 0 ? `${sec(m.freshness.countedMs.median)} (${sec(m.freshness.countedMs.min)}–${sec(m.freshness.countedMs.max)})` : ''} |`,
        );
        first = false;
      });
    }
  }
  const drilled = r.steps.filter((s) => s.drills?.length);
  if (drilled.length) {
    lines.push(
      '',
      '| cases | drill-down (first 2,000 cases) | cases behind | median | p95 | min–max |',
    );
    lines.push('| ---: | --- | ---: | ---: | ---: | ---: |');
    for (const s of drilled) {
      s.drills!.forEach((d, i) =>
        lines.push(
          `| ${i === 0 ? s.cases.toLocaleString('en') : ''} | ${d.name} | ${d.total.toLocaleString('en')} | ${d.ms.median} ms | ${d.summary.p95} ms | ${d.ms.min}–${d.ms.max} ms |`,
        ),
      );
    }
  }
  return lines.join('\n');
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
