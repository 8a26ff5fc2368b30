/**
 * 倒排时间表 of a project with 200 matters (goal: well under 50 ms). A layered dependency
 * graph like a large 工程建设项目 (each matter needs one to three of the matters listed shortly
 * before it), 1–20 working days each, computed backwards from a 开工 target 18 months out and
 * forwards from today on the shipped calendar. Also measured: the same list as a project
 * (folding its 200 add_matter events) scheduled end to end, as a screen would.
 *
 * Alone: `node --import tsx bench/scenarios/reverseSchedule.ts [matters] [repetitions]`.
 */
import { fileURLToPath } from 'node:url';
import {
  createProjectEvent,
  deriveProjectState,
  projectSchedule,
  reverseSchedule,
  type ProjectEvent,
  type ScheduleMatter,
} from '@sibantong/shared/project/index';
import { usccCheckChar } from '@sibantong/shared/identity/uscc';
import { summarize, type Summary } from '../support/stats.ts';

export interface ReverseScheduleResult {
  matters: number;
  /** First computation (the calendar's days not yet walked). */
  firstMs: number;
  /** reverseSchedule alone, repeated. */
  scheduleMs: Summary;
  /** Fold of the project's events + progress + schedule, repeated. */
  projectMs: Summary;
  criticalPathLength: number;
  provisional: boolean;
}

/** Deterministic pseudo-random numbers, so every run schedules the same graph. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function layeredMatters(n: number, seed = 42): ScheduleMatter[] {
  const rnd = lcg(seed);
  const matters: ScheduleMatter[] = [];
  for (let i = 0; i < n; i += 1) {
    const deps = new Set<string>();
    if (i > 0) {
      const count = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < count; k += 1) {
        const back = 1 + Math.floor(rnd() * Math.min(i, 20));
        deps.add(`m${i - back}`);
      }
    }
    matters.push({ key: `m${i}`, durationDays: 1 + Math.floor(rnd() * 20), dependsOn: [...deps] });
  }
  return matters;
}

const TODAY = '2026-01-05';
const OWNER_USCC = `91330999MA2DQ0001${usccCheckChar('91330999MA2DQ0001')}`;
const TARGET = '2027-06-30';
const ACTOR = {
  userId: 'u-c.agent',
  name: '周丽娟',
  role: 'centre_agent',
  orgUnitId: 'county-sx',
} as const;

function projectEvents(matters: readonly ScheduleMatter[]): ProjectEvent[] {
  const events: ProjectEvent[] = [];
  let counter = 0;
  const add = (type: ProjectEvent['type'], payload: unknown) => {
    counter += 1;
    events.push(
      createProjectEvent({
        projectEvents: events,
        projectId: 'bench-project',
        type,
        payload,
        actor: { ...ACTOR },
        deviceId: 'bench',
        counter,
        now: '2026-01-05T01:00:00.000Z',
      } as Parameters<typeof createProjectEvent>[0]) as ProjectEvent,
    );
  };
  add('register', {
    name: '基准测试项目',
    projectCode: null,
    owner: { name: '示县基准科技有限公司', uscc: OWNER_USCC, contactName: '甲', contactPhone: '1' },
    siteUnitId: 'village-dq-01',
    siteAddress: '',
    category: 'industrial',
    investmentWan: 1,
    targets: { startDate: TARGET, completionDate: null },
    stage: 'land_planning',
  });
  for (const m of matters) {
    add('add_matter', {
      matterKey: m.key,
      matterCode: `CODE-${m.key}`,
      name: m.key,
      stage: 'land_planning',
      durationDays: m.durationDays,
      dependsOn: [...m.dependsOn],
      modes: [],
      warningZh: '',
    });
  }
  return events;
}

export function reverseScheduleBench(n = 200, repetitions = 50): ReverseScheduleResult {
  const matters = layeredMatters(n);
  const t0 = performance.now();
  const first = reverseSchedule({ matters, targetDate: TARGET, today: TODAY });
  const firstMs = performance.now() - t0;
  const scheduleTimes: number[] = [];
  for (let i = 0; i < repetitions; i += 1) {
    const t = performance.now();
    reverseSchedule({ matters, targetDate: TARGET, today: TODAY });
    scheduleTimes.push(performance.now() - t);
  }
  const events = projectEvents(matters);
  const projectTimes: number[] = [];
  for (let i = 0; i < repetitions; i += 1) {
    const t = performance.now();
    const state = deriveProjectState(events);
    if (state.matters.length !== n)
      throw new Error(`fold kept ${state.matters.length} of ${n} matters`);
    projectSchedule(state, new Map(), TODAY);
    projectTimes.push(performance.now() - t);
  }
  return {
    matters: n,
    firstMs: Math.round(firstMs * 10) / 10,
    scheduleMs: summarize(scheduleTimes),
    projectMs: summarize(projectTimes),
    criticalPathLength: first.criticalPath.length,
    provisional: first.provisional,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 200);
  const reps = Number(process.argv[3] ?? 50);
  console.log(JSON.stringify(reverseScheduleBench(n, reps), null, 2));
}
