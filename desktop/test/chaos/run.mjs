#!/usr/bin/env node
/**
 * The long convergence run for release checks (docs/convergence.md):
 *
 *   npm run chaos -- --seed 1 --seeds 20 [--steps 100] [--store couchdb] [--no-shrink]
 *
 * Runs the chaos vitest project once per seed (seed, seed+1, … with --seeds N). A failing
 * seed is shrunk: parts of its operation list are removed while it still fails, and the
 * smallest failing list is written to chaos-repro-<seed>.json with the command to replay it
 * (CHAOS_OPS). `--store couchdb` needs COUCHDB_URL (see /work/shared/tools/couchdb).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`用法：npm run chaos -- [--seed N] [--steps N] [--seeds N] [--store embedded|couchdb] [--no-shrink]

  --seed N      first seed (default 1)
  --steps N     operations per seed (default 100, the release run; the test line runs seed 7 with 30)
  --seeds N     run N consecutive seeds from --seed (default 1)
  --store S     embedded (default) or couchdb (needs COUCHDB_URL)
  --no-shrink   do not shrink a failing seed to a minimal reproduction

A failing seed is shrunk and written to chaos-repro-<seed>.json with the command that replays it.
See docs/convergence.md.`);
  process.exit(0);
}
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const seed0 = Number(opt('seed', '1'));
const steps = Number(opt('steps', '100'));
const seeds = Number(opt('seeds', '1'));
const store = opt('store', 'embedded');
const shrink = !args.includes('--no-shrink');
if (store !== 'embedded' && store !== 'couchdb') {
  console.error(`--store 只能是 embedded 或 couchdb（收到 ${store}）`);
  process.exit(2);
}
if (store === 'couchdb' && !/^https?:\/\//.test(process.env.COUCHDB_URL ?? '')) {
  // Otherwise every seed fails a minute later with "Invalid URL", and shrinking begins.
  console.error(
    '--store couchdb 需要 COUCHDB_URL（例如 /work/shared/tools/couchdb/couchdb start --port 37984 打印的地址）',
  );
  process.exit(2);
}
const work = mkdtempSync(path.join(tmpdir(), 'chaos-'));

function run(seed, opsFile) {
  const result = path.join(work, `result-${seed}-${Date.now()}.json`);
  const env = {
    ...process.env,
    CHAOS_SEED: String(seed),
    CHAOS_STEPS: String(steps),
    CHAOS_STORE: store,
    CHAOS_RESULT: result,
    ...(opsFile ? { CHAOS_OPS: opsFile } : {}),
  };
  const t0 = Date.now();
  const p = spawnSync('npx', ['vitest', 'run', '--project', 'chaos'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const out = existsSync(result) ? JSON.parse(readFileSync(result, 'utf8')) : null;
  return { ok: p.status === 0 && !!out?.ok, out, ms: Date.now() - t0, log: p.stdout + p.stderr };
}

function shrinkOps(seed, ops) {
  // Delta debugging, coarse to fine: drop chunks while the run still fails.
  let current = ops;
  for (let chunk = Math.ceil(current.length / 2); chunk >= 1; chunk = Math.floor(chunk / 2)) {
    for (let start = 0; start < current.length;) {
      const candidate = [...current.slice(0, start), ...current.slice(start + chunk)];
      const file = path.join(work, `ops-${seed}-${candidate.length}.json`);
      writeFileSync(file, JSON.stringify(candidate));
      const r = run(seed, file);
      console.log(`  shrink: ${candidate.length} ops → ${r.ok ? 'passes' : 'still fails'}`);
      if (!r.ok) current = candidate;
      else start += chunk;
    }
  }
  return current;
}

let failed = 0;
for (let seed = seed0; seed < seed0 + seeds; seed += 1) {
  const r = run(seed);
  const stats = r.out ? JSON.stringify(r.out.stats) : '';
  console.log(
    `seed ${seed} (${steps} steps, ${store}): ${r.ok ? 'ok' : 'FAILED'} in ${Math.round(r.ms / 1000)} s ${stats}`,
  );
  if (r.ok) continue;
  failed += 1;
  if (!r.out) {
    console.log(r.log.slice(-4000));
    continue;
  }
  for (const p of r.out.problems) console.log(`  ${p}`);
  const minimal = shrink ? shrinkOps(seed, r.out.ops) : r.out.ops;
  const file = path.resolve(`chaos-repro-${seed}.json`);
  writeFileSync(file, JSON.stringify(minimal, null, 1));
  console.log(`  minimal reproduction (${minimal.length} ops): ${file}`);
  console.log(`  replay: CHAOS_OPS=${file} CHAOS_STORE=${store} npx vitest run --project chaos`);
}
process.exit(failed > 0 ? 1 : 0);
