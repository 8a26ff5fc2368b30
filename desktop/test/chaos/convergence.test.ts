// @vitest-environment node
/**
 * Convergence under chaos (issue 19): simulated desktops of every level, random offline
 * periods, concurrent edits of the same cases, moves between villages, a late-joining PC,
 * wrong device clocks, the hub (and the embedded store) killed with pushes in flight. At the
 * end every desktop equals the hub for every case in its scope, nothing out of scope remains,
 * every event written is stored exactly once or explicitly refused, and every refusal is one
 * the shared rules require. docs/convergence.md: the long run and its recorded seeds.
 *
 * Environment: CHAOS_SEED (default 7), CHAOS_STEPS (default 30: the short run of the normal
 * test run), CHAOS_OPS (a JSON op list file to replay), CHAOS_STORE (embedded | couchdb, needs
 * COUCHDB_URL), CHAOS_RESULT (a file the result is written to, for the shrinking runner).
 */
import '../renderer/support/nodeWindow';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, it, vi } from 'vitest';
import { generateOps, type Op } from './ops';
import { runOps } from './world';

vi.mock('../../src/renderer/auth/sessionStore', () => import('../renderer/support/deviceSessions'));

const seed = Number(process.env.CHAOS_SEED ?? '7');
const steps = Number(process.env.CHAOS_STEPS ?? '30');
const mode = process.env.CHAOS_STORE === 'couchdb' ? 'couchdb' : 'embedded';
const ops: Op[] = process.env.CHAOS_OPS
  ? (JSON.parse(readFileSync(process.env.CHAOS_OPS, 'utf8')) as Op[])
  : generateOps(seed, steps, mode === 'embedded');

it(
  `converges: seed ${seed}, ${ops.length} operations, ${mode} store`,
  async () => {
    const result = await runOps(mode, ops);
    if (process.env.CHAOS_RESULT)
      writeFileSync(process.env.CHAOS_RESULT, JSON.stringify({ seed, ops, ...result }, null, 1));
    console.log(`chaos seed ${seed}: ${JSON.stringify(result.stats)}`);
    if (!result.ok) {
      console.log(
        `chaos seed ${seed} FAILED; replay: CHAOS_OPS=<file with>\n${JSON.stringify(ops)}`,
      );
    }
    expect(result.problems).toEqual([]);
    // A slow machine is not a failure: 40 operations took up to 11 min at load 35 on the shared
    // 2-core machine (a fixed 10 min failed seeds that converged).
  },
  Math.max(600_000, ops.length * 30_000),
);
