import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWorkingDays, isWorkingDay, seedCalendar } from '../../src/calendar/index.js';
import { DomainError } from '../../src/errors/domainError.js';
import {
  deriveProjectState,
  projectSchedule,
  reverseSchedule,
  type ScheduleMatter,
  type ScheduleResult,
} from '../../src/project/index.js';
import { baseHistory, centre, Device } from './fixtures.js';

describe('reverseSchedule on the 2026 calendar', () => {
  // 国庆 2026: 10-01…10-07 off, Sun 09-20 and Sat 10-10 worked (调休); 中秋 09-25…27 off.
  const chain: ScheduleMatter[] = [
    { key: 'A', durationDays: 2, dependsOn: [] },
    { key: 'B', durationDays: 3, dependsOn: ['A'] },
  ];

  it('counts back over the holiday and counts the make-up Saturday', () => {
    const r = reverseSchedule({ matters: chain, targetDate: '2026-10-12', today: '2026-09-18' });
    const by = new Map(r.matters.map((m) => [m.key, m]));
    // B: 10-12 (Mon), 10-10 (make-up Saturday), 10-09 (Fri).
    expect(by.get('B')).toMatchObject({ latestFinish: '2026-10-12', latestStart: '2026-10-09' });
    // A finishes the working day before: 10-08; two days back over 国庆 starts on 09-30.
    expect(by.get('A')).toMatchObject({ latestFinish: '2026-10-08', latestStart: '2026-09-30' });
    // Forwards from Friday 09-18: A works 09-18 and the make-up Sunday 09-20.
    expect(by.get('A')).toMatchObject({
      earliestStart: '2026-09-18',
      earliestFinish: '2026-09-20',
    });
    expect(by.get('B')).toMatchObject({
      earliestStart: '2026-09-21',
      earliestFinish: '2026-09-23',
    });
    expect(by.get('A')?.slackDays).toBe(8);
    expect(r.criticalPath).toEqual(['A', 'B']);
    expect(r.warnings).toEqual([]);
    expect(r.provisional).toBe(false);
  });

  it('takes a target on a holiday back to the last working day before it', () => {
    const r = reverseSchedule({
      matters: [{ key: 'A', durationDays: 1, dependsOn: [] }],
      targetDate: '2026-10-07',
      today: '2026-09-01',
    });
    expect(r.targetFinish).toBe('2026-09-30');
    expect(r.matters[0]).toMatchObject({ latestStart: '2026-09-30', latestFinish: '2026-09-30' });
  });

  it('raises a 督办 warning for a matter past its latest start, and one for the target', () => {
    const r = reverseSchedule({ matters: chain, targetDate: '2026-10-12', today: '2026-10-08' });
    const kinds = r.warnings.map((w) => [w.kind, w.matterKey]);
    expect(kinds).toContainEqual(['start_overdue', 'A']);
    expect(r.warnings.find((w) => w.kind === 'start_overdue')).toMatchObject({
      due: '2026-09-30',
      daysLate: 1,
    });
    expect(kinds.some(([kind]) => kind === 'target_at_risk')).toBe(true);
    expect(r.projectSlackDays).toBeLessThan(0);
  });

  it('warns when a running matter is past its latest finish, and keeps finished ones as facts', () => {
    const r = reverseSchedule({
      matters: [
        {
          key: 'A',
          durationDays: 2,
          dependsOn: [],
          startedOn: '2026-09-01',
          finishedOn: '2026-09-02',
        },
        { key: 'B', durationDays: 3, dependsOn: ['A'], startedOn: '2026-09-03' },
      ],
      targetDate: '2026-09-10',
      today: '2026-09-14',
    });
    const b = r.matters.find((m) => m.key === 'B')!;
    expect(b.earliestStart).toBe('2026-09-03');
    expect(b.earliestFinish).toBe('2026-09-14');
    expect(r.warnings.map((w) => w.kind)).toContain('finish_overdue');
    expect(r.matters.find((m) => m.key === 'A')).toMatchObject({ done: true, critical: false });
  });

  it('names the cycle in a clear error', () => {
    const cyclic: ScheduleMatter[] = [
      { key: 'A', durationDays: 1, dependsOn: ['C'] },
      { key: 'B', durationDays: 1, dependsOn: ['A'] },
      { key: 'C', durationDays: 1, dependsOn: ['B'] },
      { key: 'D', durationDays: 1, dependsOn: [] },
    ];
    let error: unknown;
    try {
      reverseSchedule({ matters: cyclic, targetDate: '2026-10-12', today: '2026-09-01' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('PROJECT_DEPENDENCY_CYCLE');
    const cycle = (error as DomainError).details?.cycle as string[];
    expect(cycle[0]).toBe(cycle[cycle.length - 1]);
    expect(new Set(cycle)).toEqual(new Set(['A', 'B', 'C']));
    expect((error as DomainError).messageZh).toContain('→');
  });

  it('says when the schedule reaches a year the calendar does not cover', () => {
    const r = reverseSchedule({
      matters: [{ key: 'A', durationDays: 5, dependsOn: [] }],
      targetDate: '2027-03-01',
      today: '2026-12-01',
    });
    expect(r.provisional).toBe(true);
    expect(r.missingYears).toEqual([2027]);
  });
});

/** Random DAGs: matter i depends only on earlier matters. */
const dagArb = fc
  .array(
    fc.record({
      duration: fc.integer({ min: 0, max: 8 }),
      deps: fc.array(fc.nat(), { maxLength: 3 }),
      state: fc.constantFrom('open', 'open', 'open', 'started', 'done'),
      startOffset: fc.integer({ min: -40, max: -1 }),
    }),
    { minLength: 1, maxLength: 20 },
  )
  .map((specs) =>
    specs.map((s, i) => ({
      key: `M${i}`,
      durationDays: s.duration,
      dependsOn: i === 0 ? [] : [...new Set(s.deps.map((d) => `M${d % i}`))],
      state: s.state,
      startOffset: s.startOffset,
    })),
  );

const DAY = 86_400_000;
const isoPlus = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** Target between 2025-06 and 2026-10; today up to 120 days before (or a little after) it. */
const scheduleArb = fc.record({
  matters: dagArb,
  target: fc.integer({ min: 0, max: 480 }).map((d) => isoPlus('2025-06-01', d)),
  todayBefore: fc.integer({ min: -10, max: 120 }),
});

function withFacts(
  matters: Array<ScheduleMatter & { state: string; startOffset: number }>,
  today: string,
): ScheduleMatter[] {
  // Facts only on matters whose prerequisites are done too, as in real life.
  const done = new Set<string>();
  return matters.map((m) => {
    const depsDone = m.dependsOn.every((d) => done.has(d));
    const base = { key: m.key, durationDays: m.durationDays, dependsOn: m.dependsOn };
    if (!depsDone || m.state === 'open') return base;
    const startedOn = isoPlus(today, m.startOffset);
    if (m.state === 'started') return { ...base, startedOn };
    done.add(m.key);
    return { ...base, startedOn, finishedOn: isoPlus(startedOn, Math.max(0, m.durationDays - 1)) };
  });
}

const wd = (from: string, to: string) => countWorkingDays(from, to, seedCalendar);

function checkSchedule(input: ScheduleMatter[], r: ScheduleResult, today: string, target: string) {
  const by = new Map(r.matters.map((m) => [m.key, m]));
  const minSlack = Math.min(...r.matters.filter((m) => !m.done).map((m) => m.slackDays));
  // The target finish is the last working day on or before the target.
  expect(isWorkingDay(r.targetFinish, seedCalendar)).toBe(true);
  expect(r.targetFinish <= target).toBe(true);
  expect(wd(r.targetFinish, target)).toBe(0);
  for (const m of input) {
    const s = by.get(m.key)!;
    const d = Math.max(1, m.durationDays);
    // Every date is a working day of the calendar (holidays skipped, make-up days counted).
    for (const date of [s.latestStart, s.latestFinish, s.earliestStart, s.earliestFinish]) {
      expect(isWorkingDay(date, seedCalendar), `${m.key} ${date}`).toBe(true);
    }
    // The latest window holds exactly the matter's working days, and ends by the target.
    expect(wd(s.latestStart, s.latestFinish)).toBe(d - 1);
    expect(s.latestFinish <= r.targetFinish).toBe(true);
    if (!m.startedOn) {
      expect(wd(s.earliestStart, s.earliestFinish)).toBe(d - 1);
      expect(s.earliestStart >= today || wd(today, s.earliestStart) === 0).toBe(true);
    }
    // Slack is the working days between earliest and latest start.
    expect(s.slackDays).toBe(wd(s.earliestStart, s.latestStart));
    expect(s.critical).toBe(!s.done && s.slackDays === minSlack);
    const dependents = input.filter((x) => x.dependsOn.includes(m.key)).map((x) => by.get(x.key)!);
    for (const next of dependents) {
      // Every dependency is respected, both ways.
      expect(s.latestFinish < next.latestStart).toBe(true);
      const nextInput = input.find((x) => x.key === next.key)!;
      if (!nextInput.startedOn) expect(s.earliestFinish < next.earliestStart).toBe(true);
    }
    // Latest dates are as late as they can be: a day later would break the target or a dependent.
    const bound = dependents.length === 0 ? null : dependents.map((n) => n.latestStart).sort()[0]!;
    if (bound === null) expect(s.latestFinish).toBe(r.targetFinish);
    else expect(wd(s.latestFinish, bound)).toBe(1);
  }
}

describe('reverseSchedule properties', () => {
  it('respects every dependency and the calendar (holidays, 调休), with tight latest dates', () => {
    fc.assert(
      fc.property(scheduleArb, ({ matters, target, todayBefore }) => {
        const today = isoPlus(target, -todayBefore);
        const input = withFacts(matters, today);
        const r = reverseSchedule({ matters: input, targetDate: target, today });
        checkSchedule(input, r, today, target);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('finds a cycle whenever an edge back to an ancestor is added', () => {
    fc.assert(
      fc.property(
        dagArb.filter((m) => m.length >= 2),
        fc.nat(),
        (matters, pick) => {
          // Follow prerequisites from the last matter to find an ancestor, then close the loop.
          const last = matters[matters.length - 1]!;
          const ancestor = last.dependsOn[pick % Math.max(1, last.dependsOn.length)] ?? null;
          fc.pre(ancestor !== null);
          const looped = matters.map((m) =>
            m.key === ancestor ? { ...m, dependsOn: [...m.dependsOn, last.key] } : m,
          );
          expect(() =>
            reverseSchedule({ matters: looped, targetDate: '2026-06-30', today: '2026-03-02' }),
          ).toThrowError(/循环/);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});

describe('projectSchedule', () => {
  it('schedules a project list against its 开工 target, progress from typed dates', () => {
    const c = new Device('dev-c2', centre, baseHistory());
    c.write('set_target', { startDate: '2026-10-12', completionDate: null });
    c.write('set_matter_progress', {
      matterKey: 'A',
      startedOn: '2026-09-01',
      finishedOn: '2026-09-04',
    });
    const state = deriveProjectState(c.history);
    const r = projectSchedule(state, new Map(), '2026-09-18')!;
    expect(r.progress.map((p) => [p.matterKey, p.status])).toEqual([
      ['A', 'done'],
      ['B', 'not_started'],
    ]);
    expect(r.matters.find((m) => m.key === 'B')).toMatchObject({
      latestFinish: '2026-10-12',
      earliestStart: '2026-09-18',
    });
  });
});
