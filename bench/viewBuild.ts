/**
 * The embedded store's view build, side by side (`npm run bench:views -- [--days 200]
 * [--rounds 2]`): the cockpit's `cases` views (figureViews.ts) built over the same planned
 * demo history by upstream pouchdb-mapreduce (a new VM context per document) and by the
 * store's own engine (sync-server/src/store/compiledMapReduce.mjs: functions compiled once per
 * index update), on LevelDB, alternating the order each round. Writes
 * bench/results/view-build.json (every time, and the machine with its load, recorded here).
 * A benchmark, not a test.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine, sampleLoad } from './support/machine.ts';
import { ratioOf, round, spread } from './support/stats.ts';
import { writeJson } from './scenarios/figuresScale.ts';
import { DEFAULT_HISTORY, planHistory } from '../sync-server/src/seed/historyPlan.ts';
import { FIGURE_VIEWS } from '../sync-server/src/figures/figureViews.ts';
import { demoRef } from '../sync-server/test/helpers/demoRef.ts';

interface Db {
  put(doc: object): Promise<unknown>;
  bulkDocs(docs: object[]): Promise<unknown>;
  close(): Promise<void>;
}
interface Engine {
  query(this: Db, view: string, opts: object): Promise<unknown>;
}

const { values } = parseArgs({
  options: { days: { type: 'string', default: '200' }, rounds: { type: 'string', default: '2' } },
});
const days = Number(values.days);
const rounds = Number(values.rounds);
const load = async (m: string) => ((await import(m)) as { default: unknown }).default;
const core = (await load('pouchdb-core')) as { plugin(p: unknown): new (name: string) => Db };
const Pouch = core.plugin(await load('pouchdb-adapter-leveldb'));
const engines: Record<string, Engine> = {
  upstream: (await load('pouchdb-mapreduce')) as Engine,
  compiled: (await load('../sync-server/src/store/compiledMapReduce.mjs')) as Engine,
};

const machine = describeMachine('', process.env.BENCH_NOTE ?? '');
const stopLoad = sampleLoad(machine, performance.now());
const plan = await planHistory(
  demoRef(),
  { ...DEFAULT_HISTORY, days, nowMs: Date.parse('2026-11-20T06:00:00.000Z') },
  null,
);
const docs = plan.cases.map((c) => ({ _id: c.doc.id, ...c.doc }));
const views = Object.keys(FIGURE_VIEWS.cases!);
console.log(
  `${docs.length} cases, views ${views.join(', ')}; ${machine.cores} cores, load ${machine.loadAtStart.join(' / ')}`,
);

const dir = mkdtempSync(path.join(tmpdir(), 'sbt-view-build-'));
const samples: Array<{
  round: number;
  engine: string;
  seconds: Record<string, number>;
  total: number;
}> = [];
for (let n = 1; n <= rounds; n += 1) {
  const order = n % 2 ? ['upstream', 'compiled'] : ['compiled', 'upstream'];
  for (const engine of order) {
    const db = new Pouch(path.join(dir, `${engine}-${n}`));
    await db.put({ _id: '_design/figures', views: FIGURE_VIEWS.cases });
    await db.bulkDocs(docs);
    const seconds: Record<string, number> = {};
    for (const v of views) {
      const t0 = performance.now();
      await engines[engine]!.query.call(db, `figures/${v}`, { limit: 1, reduce: false });
      seconds[v] = round((performance.now() - t0) / 1000, 3);
    }
    const total = round(
      Object.values(seconds).reduce((a, b) => a + b, 0),
      3,
    );
    samples.push({ round: n, engine, seconds, total });
    console.log(
      `round ${n} ${engine}: ${views.map((v) => `${v} ${seconds[v]} s`).join(', ')}; total ${total} s`,
    );
    await db.close();
  }
}
stopLoad();
rmSync(dir, { recursive: true, force: true });
const totals = Object.fromEntries(
  Object.keys(engines).map((e) => [
    e,
    spread(
      samples.filter((s) => s.engine === e).map((s) => s.total),
      3,
    ),
  ]),
);
const ratio = ratioOf(totals.upstream, totals.compiled);
console.log(
  `median total: upstream ${totals.upstream!.median} s, compiled ${totals.compiled!.median} s: ${ratio}× faster`,
);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(out, { recursive: true });
writeJson(path.join(out, 'view-build.json'), {
  startedAt: new Date().toISOString(),
  cases: docs.length,
  days,
  views,
  samples,
  totalSec: totals,
  upstreamOverCompiled: ratio,
  machine,
});
