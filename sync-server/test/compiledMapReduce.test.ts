/**
 * The embedded store's map/reduce (src/store/compiledMapReduce.mjs: each view's functions
 * compiled once per index update) against upstream pouchdb-mapreduce (a new VM context per
 * document), on two LevelDB databases holding the same documents: the cockpit's own views
 * over a planned demo history must give the same rows and the same reductions at every group
 * level, after the first build and after edits and a deletion (the incremental path), and a
 * map function that throws or changes its document must behave the same.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HISTORY, planHistory } from '../src/seed/historyPlan.js';
import { FIGURE_VIEWS } from '../src/figures/figureViews.js';
import { demoRef } from './helpers/demoRef.js';

interface QueryResult {
  total_rows?: number;
  rows: Array<{ id?: string; key: unknown; value: unknown }>;
}
interface Db {
  bulkDocs(docs: object[]): Promise<Array<{ id: string; rev: string }>>;
  put(doc: object): Promise<{ rev: string }>;
  get(id: string): Promise<Record<string, unknown> & { _rev: string }>;
  remove(id: string, rev: string): Promise<unknown>;
  on(event: 'error', listener: (err: unknown) => void): void;
  close(): Promise<void>;
}
type PouchCtor = { new (name: string): Db };
type Query = (view: string, opts?: object) => Promise<QueryResult>;
interface Engine {
  query(this: Db, view: string, opts?: object): Promise<QueryResult>;
}
interface PouchPlugin {
  plugin(p: unknown): PouchPlugin & PouchCtor;
}

const NOW = Date.parse('2026-11-20T06:00:00.000Z');
const DDOC = '_design/figures';
const VIEWS = FIGURE_VIEWS.cases!;
const TEST_VIEWS = {
  // Throws for some documents: those add no rows, the others still do (both engines).
  partial: {
    map: `function (doc) { if (doc.originUnitId && doc.originUnitId.slice(-1) === '1') throw new Error('x'); emit(doc.originUnitId, 1); }`,
    reduce: '_count',
  },
  // Changes the document it is given (upstream hands it a copy): rows keep the real id.
  mutating: { map: `function (doc) { doc._id = 'changed'; emit(doc.townId, null); }` },
  custom: {
    map: `function (doc) { emit(doc.townId, doc.events.length); }`,
    reduce: `function (keys, values, rereduce) { return sum(values) * 2; }`,
  },
};

describe('the embedded store’s map/reduce matches pouchdb-mapreduce', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sbt-mapreduce-'));
  let upstream: Db;
  let compiled: Db;
  const mapErrors = { upstream: 0, compiled: 0 };
  let queryUpstream: Query;
  let queryCompiled: Query;

  beforeAll(async () => {
    const load = async (m: string) => ((await import(m)) as { default: unknown }).default;
    // One constructor without map/reduce, and each engine's `query` called on its own
    // database: `PouchDB.plugin` changes the constructor it is given (and returns it), so two
    // plugged constructors would both be whichever engine was plugged last.
    const core = (await load('pouchdb-core')) as PouchPlugin;
    const Pouch = core.plugin(await load('pouchdb-adapter-leveldb'));
    const engine = async (m: string) => (await load(m)) as Engine;
    const upstreamEngine = await engine('pouchdb-mapreduce');
    const compiledEngine = await engine('../src/store/compiledMapReduce.mjs' as string);
    upstream = new Pouch(path.join(dir, 'upstream'));
    compiled = new Pouch(path.join(dir, 'compiled'));
    queryUpstream = (view, opts) => upstreamEngine.query.call(upstream, view, opts);
    queryCompiled = (view, opts) => compiledEngine.query.call(compiled, view, opts);
    // A map function's error is the database's 'error' event (unheard, PouchDB logs it).
    upstream.on('error', () => (mapErrors.upstream += 1));
    compiled.on('error', () => (mapErrors.compiled += 1));

    const plan = await planHistory(demoRef(), { ...DEFAULT_HISTORY, days: 30, nowMs: NOW }, null);
    const docs = plan.cases.map((c) => ({ _id: c.doc.id, ...c.doc }));
    expect(docs.length).toBeGreaterThan(150);
    for (const db of [upstream, compiled]) {
      await db.put({ _id: DDOC, views: { ...VIEWS, ...TEST_VIEWS } });
      await db.bulkDocs(docs);
    }
  }, 120_000);
  afterAll(async () => {
    await upstream?.close();
    await compiled?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Every view unreduced and grouped, and with `levels` also reduced whole and at one group
   * level. A query reads the whole index (PouchDB stores no reductions), about a second on the
   * largest views; the grouping itself is pouchdb-abstract-mapreduce's, one code for both
   * engines, so more levels (the test took 64 s with three) test the engines no further.
   */
  const everyQuery = (levels: boolean): Array<[string, object]> => {
    const out: Array<[string, object]> = [];
    for (const [name, view] of Object.entries({ ...VIEWS, ...TEST_VIEWS })) {
      if (!('reduce' in view) || !view.reduce) {
        out.push([name, {}]);
        continue;
      }
      out.push([name, { reduce: false }], [name, { group: true }]);
      if (levels) out.push([name, {}], [name, { group_level: 2 }]);
    }
    return out;
  };

  const compare = async (levels: boolean) => {
    let rows = 0;
    for (const [name, opts] of everyQuery(levels)) {
      const a = await queryUpstream(`figures/${name}`, opts);
      const b = await queryCompiled(`figures/${name}`, opts);
      expect(b, `${name} ${JSON.stringify(opts)}`).toEqual(a);
      rows += a.rows.length;
    }
    return rows;
  };

  it('gives the same rows and reductions after the first build', async () => {
    expect(await compare(true)).toBeGreaterThan(5_000);
    expect(mapErrors.compiled).toBeGreaterThan(0);
    expect(mapErrors.compiled).toBe(mapErrors.upstream);
    // The test views did what they are for.
    const partial = await queryCompiled('figures/partial', { reduce: false });
    const all = await queryCompiled('figures/custom', { reduce: false });
    expect(partial.rows.length).toBeGreaterThan(0);
    expect(partial.rows.length).toBeLessThan(all.rows.length);
    const custom = await queryCompiled('figures/custom', {});
    const events = all.rows.reduce((n, r) => n + (r.value as number), 0);
    expect(custom.rows[0]?.value).toBe(events * 2);
  }, 120_000);

  it('gives the same after edits and a deletion (the index updated, not rebuilt)', async () => {
    const ids = (await queryCompiled('figures/custom', { reduce: false })).rows
      .slice(0, 40)
      .map((r) => r.id!);
    for (const db of [upstream, compiled]) {
      for (const id of ids.slice(0, 39)) {
        const doc = await db.get(id);
        await db.put({ ...doc, townId: 'town-edited', events: [...(doc.events as unknown[]), {}] });
      }
      const gone = await db.get(ids[39]!);
      await db.remove(gone._id as string, gone._rev);
    }
    // The rows and the grouped reductions: what an index update changes.
    await compare(false);
    const edited = await queryCompiled('figures/custom', { key: 'town-edited', reduce: false });
    expect(edited.rows.map((r) => r.id).sort()).toEqual(ids.slice(0, 39).sort());
  }, 120_000);
});
