/**
 * The cockpit's figures at scale (issue 15): `npm run bench:figures -- --cases 10000,100000
 * [--store embedded|couchdb] [--samples 7] [--freshness 5] [--villages 200] [--days 700]`.
 * `--store couchdb` runs the hub on the CouchDB at COUCHDB_URL (a database prefix of its own).
 * Writes bench/results/figures-scale-<store>.json after every step of the ladder, with the
 * machine (cores, load at start, during and at the end) recorded by the harness; prints the
 * Markdown table docs/benchmarks.md quotes. A benchmark, not a test: exit 0 whatever the figures.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine, sampleLoad, type Machine } from './support/machine.ts';
import {
  figuresScale,
  renderFiguresScale,
  writeJson,
  type FiguresScaleResult,
} from './scenarios/figuresScale.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE = `npm run bench:figures -- [options]

  --cases <a,b,…>        ladder of hub sizes, ascending (default 10000,100000)
  --store embedded|couchdb   couchdb: the CouchDB at COUCHDB_URL (default embedded)
  --samples N            GET /api/figures samples per query (default 7, at least 5)
  --freshness N          pushes timed until counted (default 5)
  --villages N           villages besides the demo county's, in towns of 25 (default 200)
  --days D               days of demo history cloned (default 700; the calendar has 2025–2026)
  --seed N               history seed (default 15)
  --compare-views        also measure the views (hub restarted with
                         HUB_FIGURE_AGGREGATES=off); 5 samples
  --skip-views           do not build the figure views and Mango indexes after a fill (the
                         figures answer from the hub's aggregates without them; drill-down
                         lists still need them). On CouchDB the workflow's Mango indexes are
                         still brought up to date, and the figures are measured once CouchDB's
                         indexer is at rest (a bulk load is not a county's everyday)

  BENCH_KEEP_DATA=1      keep the hub's data folder (its path is logged) to start a hub on it
                         again, e.g. to profile requests (bench/findings.md, thirteenth stop)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '10000,100000' },
      store: { type: 'string', default: 'embedded' },
      samples: { type: 'string', default: '7' },
      freshness: { type: 'string', default: '5' },
      villages: { type: 'string', default: '200' },
      days: { type: 'string', default: '700' },
      seed: { type: 'string', default: '15' },
      'compare-views': { type: 'boolean', default: false },
      'skip-views': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const sizes = values.cases.split(',').map((s) => Number(s.replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--cases: ${values.cases}`);
  const store = values.store;
  if (store !== 'embedded' && store !== 'couchdb') throw new Error(`--store: ${store}\n\n${USAGE}`);
  const couchUrl = store === 'couchdb' ? (process.env.COUCHDB_URL ?? '') : null;
  if (couchUrl === '') throw new Error('--store couchdb needs COUCHDB_URL');
  const samples = Math.max(5, Number(values.samples));
  const t0 = performance.now();
  const log = (m: string) =>
    console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s] ${m}`);
  const machine: Machine = describeMachine('', process.env.BENCH_NOTE ?? '');
  const stopLoad = sampleLoad(machine, t0);
  log(
    `cockpit figures at scale: ${sizes.join(', ')} cases on ${store}; ${machine.cores} cores, load ${machine.loadAtStart.join(' / ')} at start`,
  );
  const dir = path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `figures-scale-${store}.json`);
  const startedAt = new Date().toISOString();
  const persist = (result: FiguresScaleResult) =>
    writeJson(file, {
      startedAt,
      durationSec: Math.round((performance.now() - t0) / 1000),
      sizes,
      samples,
      machine,
      ...result,
    });
  const result = await figuresScale(
    {
      sizes,
      villages: Number(values.villages),
      samples,
      freshnessSamples: Number(values.freshness),
      days: Number(values.days),
      seed: Number(values.seed),
      couchUrl,
      compareViews: values['compare-views'],
      buildViews: !values['skip-views'],
      persist,
    },
    log,
  );
  stopLoad();
  persist(result);
  console.log(`\n${renderFiguresScale(result)}\n`);
  log(`results: ${path.relative(ROOT, file)}`);
  return 0;
}

process.once('SIGTERM', () => process.exit(143));
process.once('SIGINT', () => process.exit(130));
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
