/**
 * The operations of a convergence run, generated up front from the seed so that a run can be
 * replayed and shrunk (a failing run prints its list; CHAOS_OPS replays one).
 */
// One seeded PRNG for the repository's generated data (mulberry32), kept with the bench's.
import { rng as prng } from '../../../bench/support/dataGen';

export type Op =
  | { k: 'open'; d: number }
  | { k: 'close'; d: number }
  | { k: 'net'; d: number; on: boolean }
  | { k: 'create'; d: number }
  | { k: 'act'; d: number; pick: number; action: number }
  | { k: 'move'; pick: number }
  | { k: 'wait'; ms: number }
  | { k: 'killHub'; ms: number }
  | { k: 'killStore' };

/** The simulated desktops: user, unit, device clock error, first step it may be opened. */
export interface DeskSpec {
  username: string;
  unit: string;
  clockMs: number;
  /** Late-joining PC: set up (first opened) only from this fraction of the run on. */
  joinsAt: number;
}

export const DESKS: readonly DeskSpec[] = [
  { username: 'v.dq01', unit: 'village-dq-01', clockMs: 0, joinsAt: 0 },
  { username: 'v.dq01', unit: 'village-dq-01', clockMs: -3 * 86_400_000, joinsAt: 0.4 },
  { username: 'v.dq02', unit: 'village-dq-02', clockMs: 2 * 3_600_000, joinsAt: 0 },
  { username: 't.dq', unit: 'town-dq', clockMs: 26 * 3_600_000, joinsAt: 0 },
  { username: 'c.agent', unit: 'county-sx', clockMs: -7 * 60_000, joinsAt: 0.2 },
  // 协办: sees a case only once the centre asks its department, and answers it.
  { username: 'd.zrzy', unit: 'dept-zrzy', clockMs: 5 * 60_000, joinsAt: 0 },
  // 督办: reads every case of the county and writes none; it must converge all the same.
  { username: 'sup', unit: 'county-sx', clockMs: 0, joinsAt: 0.1 },
];

export const VILLAGE_DESKS = [0, 1, 2];

export function generateOps(seed: number, steps: number, withStoreKill: boolean): Op[] {
  const r = prng(seed);
  const int = (n: number) => Math.floor(r() * n);
  // A few cases exist before the first PC of the second village PC is set up.
  const ops: Op[] = [
    { k: 'create', d: 0 },
    { k: 'create', d: 2 },
    { k: 'create', d: 0 },
  ];
  for (let i = ops.length; i < steps; i += 1) {
    const at = i / steps;
    const joined = DESKS.flatMap((s, d) => (s.joinsAt <= at ? [d] : []));
    const d = joined[int(joined.length)]!;
    const x = r();
    if (x < 0.06) ops.push({ k: 'open', d });
    else if (x < 0.09) ops.push({ k: 'close', d });
    else if (x < 0.21) ops.push({ k: 'net', d, on: r() < 0.55 });
    else if (x < 0.33) ops.push({ k: 'create', d: VILLAGE_DESKS[int(VILLAGE_DESKS.length)]! });
    else if (x < 0.8) ops.push({ k: 'act', d, pick: int(1000), action: int(1000) });
    else if (x < 0.86) ops.push({ k: 'move', pick: int(1000) });
    else if (x < 0.94) ops.push({ k: 'wait', ms: 200 + int(1500) });
    else if (x < 0.97 || !withStoreKill) ops.push({ k: 'killHub', ms: int(400) });
    else ops.push({ k: 'killStore' });
  }
  return ops;
}
