/**
 * Entry point of the benchmarks: `node --import tsx bench/run.ts [--quick] [--only=a,b]
 * [--store=embedded,couchdb,cluster] [--samples=N]` (`npm run bench` from the repository root).
 * Runs every scenario against real hub processes — on the embedded store, a CouchDB single
 * node and a 3-node CouchDB cluster — and the renderer's code in headless Chromium.
 *
 * One uninterrupted run per report: a complete run writes bench/results/latest.json (or
 * latest-quick.json) and re-renders docs/benchmarks.md; a partial run (--only, fewer stores,
 * fewer than 3 samples) writes its own file (latest-partial.json / latest-quick-partial.json)
 * and is never rendered as the report, nor merged with an earlier run.
 * `--render-only` re-renders docs/benchmarks.md from the recorded complete runs.
 *
 * Benchmarks, not tests: the exit code is 0 whatever the figures; it is non-zero only when the
 * harness itself could not run. Everything started here is stopped before exit.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { attachmentsSync } from './scenarios/attachmentsSync.ts';
import { escalationLatency } from './scenarios/escalationLatency.ts';
import { hubLoad } from './scenarios/hubLoad.ts';
import { initialPull } from './scenarios/initialPull.ts';
import { localQueries } from './scenarios/localQueries.ts';
import { projectListBench } from './scenarios/projectList.ts';
import { reverseScheduleBench } from './scenarios/reverseSchedule.ts';
import { STORE_KINDS, startStore, type StoreKind } from './support/couch.ts';
import { benchHubSettings } from './support/hub.ts';
import { describeMachine, sampleLoad } from './support/machine.ts';
import { startHarness, type Harness } from './support/page.ts';
import { RESULTS_SCHEMA, renderDocs, type BenchResults } from './support/report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = path.join(ROOT, 'bench', 'results');
const DOCS = path.join(ROOT, 'docs', 'benchmarks.md');
const FINDINGS = path.join(ROOT, 'bench', 'findings.md');

const SCENARIOS = [
  'reverseSchedule',
  'initialPull',
  'escalation',
  'localQueries',
  'hubLoad',
  'twoHubs',
  'clusterNodeKill',
  'attachments',
  'projectList',
] as const;
type Scenario = (typeof SCENARIOS)[number];
/** Fewer samples than this and the run is partial (not a report). */
const MIN_SAMPLES = 3;

const SIZES = {
  full: {
    reverseSchedule: { matters: 200, repetitions: 50 },
    initialPull: { docs: 20_000, rounds: 10 },
    escalation: { count: 100 },
    localQueries: { sizes: [10_000, 50_000, 100_000], reps: 20, beforeReps: 3 },
    hubLoad: {
      liveClients: [100, 500],
      liveSeconds: 15,
      liveRate: 2,
      stormClients: 500,
      stormCases: 100,
      stormEditShare: 0.2,
      stormTimeoutSec: 90,
    },
    attachments: { cases: 200, pagesPerCase: 3, pageBytes: 300 * 1024 },
    projectList: { projects: 2000, reps: 30 },
  },
  quick: {
    reverseSchedule: { matters: 200, repetitions: 20 },
    initialPull: { docs: 2_000, rounds: 5 },
    escalation: { count: 10 },
    localQueries: { sizes: [1_000, 5_000], reps: 5, beforeReps: 2 },
    hubLoad: {
      liveClients: [20],
      liveSeconds: 8,
      liveRate: 2,
      stormClients: 20,
      stormCases: 20,
      stormEditShare: 0.2,
      stormTimeoutSec: 45,
    },
    attachments: { cases: 20, pagesPerCase: 3, pageBytes: 300 * 1024 },
    projectList: { projects: 2000, reps: 10 },
  },
};

interface Args {
  quick: boolean;
  only: Scenario[];
  stores: StoreKind[];
  samples: number;
  /** Test-only shrink of the quick sizes (BENCH_TINY=1): a smoke test of the harness itself. */
  tiny: boolean;
}

function listArg<T extends string>(argv: string[], name: string, all: readonly T[]): T[] {
  const arg = argv.find((a) => a.startsWith(`--${name}=`));
  if (!arg) return [...all];
  const wanted = arg.slice(name.length + 3).split(',');
  const bad = wanted.filter((w) => !(all as readonly string[]).includes(w));
  if (bad.length)
    throw new Error(`--${name}: unknown ${bad.join(', ')} (known: ${all.join(', ')})`);
  return all.filter((a) => wanted.includes(a));
}

const USAGE = `npm run bench -- [options]   (a full run takes about 3 hours on two cores)

  --quick                       short sizes (minutes); written to latest-quick.json
  --only=<a,b>                  scenarios: ${SCENARIOS.join(', ')}
  --store=<a,b>                 stores: ${STORE_KINDS.join(', ')}
  --samples=N                   samples per figure (default 3; fewer is a partial run)
  --render-only                 re-render docs/benchmarks.md from bench/results
  --help                        this text

Hub settings against their defaults: BENCH_HUB_ENV=HUB_A=1,HUB_B=2 (a partial run).
A partial run (--only, fewer stores, fewer samples, BENCH_HUB_ENV) writes its own *-partial.json and is never
rendered as the report. Run on an idle machine: the harness records the load it saw.`;

/** Options the harness does not know stop it before anything starts (a typo is not a 2-hour run). */
function checkArgs(argv: string[]): void {
  const known = ['--quick', '--render-only', '--help', '-h'];
  const prefixed = ['--only=', '--store=', '--samples='];
  const bad = argv.filter((a) => !known.includes(a) && !prefixed.some((p) => a.startsWith(p)));
  if (bad.length) throw new Error(`unknown option ${bad.join(' ')}\n\n${USAGE}`);
}

function parseArgs(argv: string[]): Args {
  const samplesArg = argv.find((a) => a.startsWith('--samples='));
  const samples = samplesArg ? Math.max(1, Number(samplesArg.slice('--samples='.length))) : 3;
  return {
    quick: argv.includes('--quick'),
    only: listArg(argv, 'only', SCENARIOS),
    stores: listArg(argv, 'store', STORE_KINDS),
    samples,
    tiny: process.env.BENCH_TINY === '1',
  };
}

/** The repository's Prettier settings apply to docs/ too: write the report already formatted. */
async function formatMarkdown(text: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(DOCS)) ?? {};
    return await prettier.format(text, { ...options, parser: 'markdown', filepath: DOCS });
  } catch {
    return text;
  }
}

async function main(): Promise<number> {
  checkArgs(process.argv.slice(2));
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (process.argv.includes('--render-only')) {
    writeFileSync(DOCS, await formatMarkdown(renderDocs(RESULTS, FINDINGS)));
    console.log('docs/benchmarks.md re-rendered from bench/results');
    return 0;
  }
  const args = parseArgs(process.argv.slice(2));
  const { quick, only, stores, samples } = args;
  const mode = quick ? 'quick' : 'full';
  const sizes = structuredClone(SIZES[mode]);
  if (args.tiny) {
    sizes.initialPull.docs = 300;
    sizes.initialPull.rounds = 3;
    sizes.escalation.count = 3;
    sizes.localQueries = { sizes: [300], reps: 3, beforeReps: 1 };
    sizes.hubLoad = { ...sizes.hubLoad, liveClients: [], stormClients: 6, stormCases: 10 };
    sizes.attachments = { cases: 4, pagesPerCase: 2, pageBytes: 100 * 1024 };
    sizes.projectList = { projects: 200, reps: 3 };
  }
  const hubSettings = benchHubSettings();
  const tuned = Object.keys(hubSettings).length > 0;
  const partial =
    tuned ||
    only.length < SCENARIOS.length ||
    stores.length < STORE_KINDS.length ||
    samples < MIN_SAMPLES ||
    args.tiny;
  const started = new Date();
  const t0 = performance.now();
  const log = (m: string) =>
    console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${m}`);
  log(
    `四办通 benchmarks, ${mode}${partial ? ' PARTIAL' : ''} run: ${only.join(', ')}; stores ${stores.join(', ')}; ${samples} samples`,
  );
  if (tuned) log(`hub settings beyond the defaults: ${JSON.stringify(hubSettings)}`);

  const machine = describeMachine('', process.env.BENCH_NOTE ?? '');
  const stopLoad = sampleLoad(machine, t0);
  if (machine.busyAtStart)
    log(
      `WARNING: load average ${machine.loadAtStart.join(' / ')} on ${machine.cores} cores at start: the figures are a busy machine's`,
    );
  const results: BenchResults = {
    schema: RESULTS_SCHEMA,
    mode,
    partial,
    scenarios: only,
    storeKinds: stores,
    samples,
    startedAt: started.toISOString(),
    finishedAt: '',
    durationSec: 0,
    machine,
    ...(tuned ? { hubSettings } : {}),
    sizes: Object.fromEntries(
      only
        .filter((s) => s !== 'twoHubs' && s !== 'clusterNodeKill')
        .map((s) => [s, sizes[s as keyof typeof sizes]]),
    ),
    stores: {},
    errors: {},
  };
  mkdirSync(RESULTS, { recursive: true });
  const file = path.join(
    RESULTS,
    `${quick ? 'latest-quick' : 'latest'}${partial ? '-partial' : ''}.json`,
  );
  // Written after every scenario, so an interrupted run still leaves what it measured (marked
  // unfinished: `finishedAt` stays empty until the end).
  const persist = (done: boolean) => {
    results.durationSec = Math.round((performance.now() - t0) / 1000);
    if (done) results.finishedAt = new Date().toISOString();
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  };
  // `keep` stores the result before it is persisted: assigned after `attempt` returned, the
  // last scenario's figures were missing from the file of a run interrupted after it.
  const attempt = async <T>(
    key: string,
    fn: () => Promise<T>,
    keep?: (value: T) => void,
  ): Promise<T | undefined> => {
    log(`— ${key}`);
    try {
      const value = await fn();
      keep?.(value);
      return value;
    } catch (err) {
      results.errors[key] = err instanceof Error ? (err.stack ?? err.message) : String(err);
      log(`${key} failed: ${results.errors[key]}`);
      return undefined;
    } finally {
      persist(false);
    }
  };
  const perStore = (kind: StoreKind) => (results.stores[kind] ??= { label: '' });

  if (only.includes('reverseSchedule'))
    await attempt(
      'reverseSchedule',
      async () =>
        reverseScheduleBench(sizes.reverseSchedule.matters, sizes.reverseSchedule.repetitions),
      (v) => {
        results.reverseSchedule = v;
      },
    );

  // The project list on the product's database code in Node (H11, docs/projects.md).
  if (only.includes('projectList'))
    await attempt(
      'projectList',
      async () => projectListBench(sizes.projectList.projects, sizes.projectList.reps),
      (v) => {
        results.projectList = v;
      },
    );

  // Browser scenarios, store by store (one store running at a time).
  const browserScenarios = only.some((s) =>
    ['initialPull', 'escalation', 'localQueries'].includes(s),
  );
  let harness: Harness | null = null;
  if (browserScenarios) {
    harness = await startHarness(log);
    machine.chromium = harness.chromiumVersion;
  }
  try {
    for (const kind of stores) {
      if (!harness || !(only.includes('initialPull') || only.includes('escalation'))) break;
      const h = harness;
      const store = await attempt(`${kind}/start`, () => startStore(kind, log));
      if (!store) continue;
      perStore(kind).label = store.target.label;
      try {
        if (only.includes('initialPull'))
          await attempt(
            `${kind}/initialPull`,
            () => initialPull(h, { ...sizes.initialPull, samples }, store.target, log),
            (v) => {
              perStore(kind).initialPull = v;
            },
          );
        if (only.includes('escalation'))
          await attempt(
            `${kind}/escalation`,
            () => escalationLatency(h, sizes.escalation, store.target, log),
            (v) => {
              perStore(kind).escalation = v;
            },
          );
      } finally {
        await store.stop();
      }
    }
    if (harness && only.includes('localQueries')) {
      const h = harness;
      await attempt(
        'localQueries',
        () => localQueries(h, sizes.localQueries, log),
        (v) => {
          results.localQueries = v;
        },
      );
    }
  } finally {
    await harness?.close();
  }

  // The hub-load clients live in this process: run them with Chromium gone.
  for (const kind of stores) {
    const wantTwo =
      only.includes('twoHubs') && kind === (stores.includes('couchdb') ? 'couchdb' : 'cluster');
    const wantKill = only.includes('clusterNodeKill') && kind === 'cluster';
    const wantAttachments = only.includes('attachments');
    if (!only.includes('hubLoad') && !wantTwo && !wantKill && !wantAttachments) continue;
    const store = await attempt(`${kind}/start`, () => startStore(kind, log));
    if (!store) continue;
    perStore(kind).label = store.target.label;
    try {
      // Case sync beside a backlog of scanned pages (H16, docs/materials.md).
      if (wantAttachments)
        await attempt(
          `${kind}/attachments`,
          () => attachmentsSync(sizes.attachments, store.target, log),
          (v) => {
            perStore(kind).attachments = v;
          },
        );
      if (only.includes('hubLoad'))
        await attempt(
          `${kind}/hubLoad`,
          () => hubLoad({ ...sizes.hubLoad, samples }, store.target, log),
          (v) => {
            perStore(kind).hubLoad = v;
          },
        );
      if (wantTwo)
        await attempt(
          `${kind}/twoHubs`,
          () => hubLoad({ ...sizes.hubLoad, samples, hubs: 2 }, store.target, log),
          (v) => {
            results.twoHubs = v;
          },
        );
      if (wantKill)
        await attempt(
          `${kind}/clusterNodeKill`,
          () =>
            hubLoad(
              {
                ...sizes.hubLoad,
                samples,
                killNode: { atSec: quick ? 1 : 5, downSec: quick ? 5 : 20 },
              },
              store.target,
              log,
            ),
          (v) => {
            results.clusterNodeKill = v;
          },
        );
    } finally {
      await store.stop();
    }
  }
  stopLoad();
  persist(true);
  if (!partial) writeFileSync(DOCS, await formatMarkdown(renderDocs(RESULTS, FINDINGS)));
  log(
    `results: ${path.relative(ROOT, file)}${partial ? ' (partial run: docs/benchmarks.md not re-rendered)' : '; report: docs/benchmarks.md'} (${Math.round((performance.now() - t0) / 1000)} s)`,
  );
  return 0;
}

// Hard stop: nothing started here may outlive the run (a full run of three stores with three
// samples each takes a few hours at most on two cores).
const watchdog = setTimeout(
  () => {
    console.error('benchmark watchdog: giving up after 4 hours');
    process.exit(2);
  },
  4 * 60 * 60 * 1000,
);
watchdog.unref();

// Interrupted: exit through process.exit so the hubs and CouchDB nodes started here are stopped too.
process.once('SIGTERM', () => process.exit(143));
process.once('SIGINT', () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
