/**
 * Entry point of the benchmarks: `node --import tsx bench/run.ts [--quick] [--only=a,b]`
 * (`--render-only` re-renders docs/benchmarks.md from the recorded results)
 * (`npm run bench` from the repository root). Runs every scenario against a real hub process
 * and the renderer's code in headless Chromium, writes bench/results/latest.json (or
 * latest-quick.json) and re-renders docs/benchmarks.md.
 *
 * Benchmarks, not tests: the exit code is 0 whatever the figures; it is non-zero only when the
 * harness itself could not run. Everything started here is stopped before exit.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { escalationLatency } from './scenarios/escalationLatency.ts';
import { hubLoad } from './scenarios/hubLoad.ts';
import { initialPull } from './scenarios/initialPull.ts';
import { localQueries } from './scenarios/localQueries.ts';
import { startHarness } from './support/page.ts';
import { describeMachine, renderDocs, type BenchResults } from './support/report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = path.join(ROOT, 'bench', 'results');
const DOCS = path.join(ROOT, 'docs', 'benchmarks.md');
const FINDINGS = path.join(ROOT, 'bench', 'findings.md');

const SCENARIOS = ['initialPull', 'escalation', 'localQueries', 'hubLoad'] as const;
type Scenario = (typeof SCENARIOS)[number];

const SIZES = {
  full: {
    initialPull: { docs: 20_000, rounds: 10 },
    escalation: { count: 100 },
    localQueries: { sizes: [10_000, 50_000, 100_000], reps: 20, beforeReps: 3 },
    hubLoad: {
      liveClients: [100, 500],
      liveSeconds: 15,
      liveRate: 2,
      stormClients: 500,
      stormCases: 100,
      stormTimeoutSec: 90,
    },
  },
  quick: {
    initialPull: { docs: 2_000, rounds: 5 },
    escalation: { count: 10 },
    localQueries: { sizes: [1_000, 5_000], reps: 5, beforeReps: 2 },
    hubLoad: {
      liveClients: [20],
      liveSeconds: 8,
      liveRate: 2,
      stormClients: 20,
      stormCases: 20,
      stormTimeoutSec: 45,
    },
  },
};

function parseArgs(argv: string[]): { quick: boolean; only: Scenario[] } {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  const only = onlyArg
    ? onlyArg
        .slice('--only='.length)
        .split(',')
        .filter((s): s is Scenario => (SCENARIOS as readonly string[]).includes(s))
    : [...SCENARIOS];
  return { quick, only };
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
  if (process.argv.includes('--render-only')) {
    // Re-render docs/benchmarks.md from the recorded results (after editing findings.md).
    writeFileSync(DOCS, await formatMarkdown(renderDocs(RESULTS, FINDINGS)));
    console.log('docs/benchmarks.md re-rendered from bench/results');
    return 0;
  }
  const { quick, only } = parseArgs(process.argv.slice(2));
  const mode = quick ? 'quick' : 'full';
  const sizes = SIZES[mode];
  const started = new Date();
  const t0 = performance.now();
  const log = (m: string) =>
    console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${m}`);
  log(`四办通 benchmarks, ${mode} run: ${only.join(', ')}`);

  const harness = await startHarness(log);
  const results: BenchResults = {
    mode,
    startedAt: started.toISOString(),
    finishedAt: '',
    durationSec: 0,
    machine: describeMachine(harness.chromiumVersion, process.env.BENCH_NOTE ?? ''),
    sizes: Object.fromEntries(only.map((s) => [s, sizes[s]])),
    errors: {},
  };
  mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, quick ? 'latest-quick.json' : 'latest.json');
  // A partial run (--only) keeps the other scenarios' figures of the previous run of that mode.
  const previous =
    only.length < SCENARIOS.length && existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as BenchResults)
      : null;
  // Written after every scenario, so an interrupted run still leaves what it measured.
  const persist = async () => {
    const out: BenchResults = {
      ...results,
      errors: { ...results.errors },
      sizes: { ...results.sizes },
    };
    out.finishedAt = new Date().toISOString();
    out.durationSec = Math.round((performance.now() - t0) / 1000);
    if (previous) {
      for (const s of SCENARIOS) {
        if (only.includes(s)) continue;
        (out as unknown as Record<string, unknown>)[s] = (
          previous as unknown as Record<string, unknown>
        )[s];
        if (previous.errors?.[s]) out.errors[s] = previous.errors[s];
        if (previous.sizes?.[s]) out.sizes[s] = previous.sizes[s];
      }
      out.mergedWith = previous.mergedWith ?? previous.startedAt;
    }
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    writeFileSync(DOCS, await formatMarkdown(renderDocs(RESULTS, FINDINGS)));
  };
  // A scenario that breaks is recorded and the others still run.
  const attempt = async <T>(name: Scenario, fn: () => Promise<T>): Promise<T | undefined> => {
    if (!only.includes(name)) return undefined;
    log(`— ${name}`);
    try {
      return await fn();
    } catch (err) {
      results.errors[name] = err instanceof Error ? (err.stack ?? err.message) : String(err);
      log(`${name} failed: ${results.errors[name]}`);
      return undefined;
    }
  };
  try {
    results.initialPull = await attempt('initialPull', () =>
      initialPull(harness, sizes.initialPull, log),
    );
    if (only.includes('initialPull')) await persist();
    results.escalation = await attempt('escalation', () =>
      escalationLatency(harness, sizes.escalation, log),
    );
    if (only.includes('escalation')) await persist();
    results.localQueries = await attempt('localQueries', () =>
      localQueries(harness, sizes.localQueries, log),
    );
    if (only.includes('localQueries')) await persist();
  } finally {
    await harness.close();
  }
  // The hub-load clients live in this process: run them with Chromium gone.
  results.hubLoad = await attempt('hubLoad', () => hubLoad(sizes.hubLoad, log));
  await persist();
  log(
    `results: ${path.relative(ROOT, file)}; report: docs/benchmarks.md (${Math.round((performance.now() - t0) / 1000)} s)`,
  );
  return 0;
}

// Hard stop: nothing started here may outlive the run (a full run takes well under an hour).
const watchdog = setTimeout(
  () => {
    console.error('benchmark watchdog: giving up after 60 minutes');
    process.exit(2);
  },
  60 * 60 * 1000,
);
watchdog.unref();

// Interrupted: exit through process.exit so the hubs started here are killed too.
process.once('SIGTERM', () => process.exit(143));
process.once('SIGINT', () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
