/**
 * 倒排时间表: for every listed matter, the latest start and finish that still meet the target
 * (backwards from the target through the dependency graph), the earliest start and finish from
 * today (forwards, actual dates of finished and running matters taken as facts), the slack
 * between them, the critical path, and a 督办 warning for every matter past its slot.
 *
 * Everything runs on the working-day calendar: a matter of d days occupies d consecutive
 * working days, weekends and holidays skipped, make-up days (调休上班) counted. Internally each
 * working day has an integer index on an axis anchored at the target, so the passes are plain
 * integer arithmetic and the calendar is asked once per calendar day the schedule spans.
 */
import { isWorkingDayDetailed } from '../calendar/workingDays.js';
import type { WorkingCalendar } from '../calendar/calendarTypes.js';
import { seedCalendar } from '../calendar/seedCalendar.js';
import { dayNumberToIsoDate, requireDayNumber, yearOfDayNumber } from '../calendar/isoDate.js';
import { DomainError } from '../errors/domainError.js';

export interface ScheduleMatter {
  key: string;
  /** Planned working days (承诺时限 by default). 0 is taken as 1: even 即办 takes a day. */
  durationDays: number;
  /** Keys of matters that must finish before this one starts. */
  dependsOn: readonly string[];
  /** Own deadline, when earlier than the project target (e.g. 竣工验收 matters by 竣工). */
  deadline?: string | null;
  /** Actual start (case accepted, or typed for a matter handled elsewhere). */
  startedOn?: string | null;
  /** Actual finish: the matter is done. */
  finishedOn?: string | null;
}

export interface ScheduleInput {
  matters: readonly ScheduleMatter[];
  /** The target the whole list must be done by (目标开工日期). */
  targetDate: string;
  /** Today on the hub's (or device's) clock, ISO date. */
  today: string;
  calendar?: WorkingCalendar;
}

export interface ScheduledMatter {
  key: string;
  durationDays: number;
  latestStart: string;
  latestFinish: string;
  earliestStart: string;
  earliestFinish: string;
  /** Working days the matter may slip without missing the target (negative: already late). */
  slackDays: number;
  critical: boolean;
  done: boolean;
}

export type ScheduleWarningKind =
  | 'start_overdue'
  | 'finish_overdue'
  | 'target_at_risk'
  // raised by projectSchedule: the linked case's promised date lies past the matter's slot
  | 'case_beyond_slot';

/** A 督办 warning: what is late, by how many working days, in words a supervisor can act on. */
export interface ScheduleWarning {
  kind: ScheduleWarningKind;
  matterKey: string | null;
  /** The date that has passed (latest start or finish) or the target. */
  due: string;
  daysLate: number;
  messageZh: string;
}

export interface ScheduleResult {
  /** In dependency order (every matter after its prerequisites). */
  matters: ScheduledMatter[];
  /** The last working day on or before the target. */
  targetFinish: string;
  /** When the list finishes if every matter starts as early as it can from today. */
  projectedFinish: string;
  /**
   * The least slack of any undone matter: how many working days the plan may slip before a
   * target is missed (negative: it will be missed at the current pace). 0 when all is done.
   */
  projectSlackDays: number;
  /** Keys of undone matters with the least slack (zero when the plan meets the target exactly). */
  criticalPath: string[];
  warnings: ScheduleWarning[];
  /**
   * True when the schedule spans a year whose holiday table is not in the calendar yet: those
   * days were counted on weekends alone and may move once IT imports the year.
   */
  provisional: boolean;
  missingYears: number[];
}

/**
 * Per calendar: day number → working (bit 1) and provisional (bit 2). A calendar is an
 * immutable value (a new year table builds a new one), so its answers can be kept; a screen
 * that recomputes the timetable on every edit then asks the calendar nothing twice.
 */
const DAY_ANSWERS = new WeakMap<WorkingCalendar, Map<number, number>>();

function dayAnswer(calendar: WorkingCalendar, day: number): number {
  let answers = DAY_ANSWERS.get(calendar);
  if (!answers) {
    answers = new Map();
    DAY_ANSWERS.set(calendar, answers);
  }
  let answer = answers.get(day);
  if (answer === undefined) {
    const detail = isWorkingDayDetailed(dayNumberToIsoDate(day), calendar);
    answer = (detail.working ? 1 : 0) | (detail.provisional ? 2 : 0);
    answers.set(day, answer);
  }
  return answer;
}

/** ISO text of day numbers already shown: a timetable prints four dates per matter. */
const ISO_OF_DAY = new Map<number, string>();

/** Working days indexed around an anchor date, extended lazily in both directions. */
class WorkdayAxis {
  /** forward[i] = day number of working day i (i ≥ 0); backward[j] = day of index -(j+1). */
  private readonly forward: number[] = [];
  private readonly backward: number[] = [];
  private readonly indexOfDay = new Map<number, number>();
  /** Years the calendar has no table for: their days were answered on weekends alone. */
  readonly missingYears = new Set<number>();

  constructor(
    anchorDay: number,
    private readonly calendar: WorkingCalendar,
  ) {
    let day = anchorDay;
    while (!this.isWorking(day)) day -= 1;
    this.forward.push(day);
    this.indexOfDay.set(day, 0);
  }

  private isWorking(day: number): boolean {
    const answer = dayAnswer(this.calendar, day);
    if (answer & 2) this.missingYears.add(yearOfDayNumber(day));
    return (answer & 1) === 1;
  }

  dayAt(index: number): number {
    if (index >= 0) {
      while (this.forward.length <= index) {
        let day = this.forward[this.forward.length - 1]! + 1;
        while (!this.isWorking(day)) day += 1;
        this.indexOfDay.set(day, this.forward.length);
        this.forward.push(day);
      }
      return this.forward[index]!;
    }
    const j = -index - 1;
    while (this.backward.length <= j) {
      const last =
        this.backward.length === 0 ? this.forward[0]! : this.backward[this.backward.length - 1]!;
      let day = last - 1;
      while (!this.isWorking(day)) day -= 1;
      this.indexOfDay.set(day, -(this.backward.length + 1));
      this.backward.push(day);
    }
    return this.backward[j]!;
  }

  isoAt(index: number): string {
    const day = this.dayAt(index);
    let iso = ISO_OF_DAY.get(day);
    if (iso === undefined) {
      iso = dayNumberToIsoDate(day);
      ISO_OF_DAY.set(day, iso);
    }
    return iso;
  }

  /** Index of the last working day on or before `day`. */
  indexOnOrBefore(day: number): number {
    let probe = day;
    while (!this.indexOfDay.has(probe)) {
      if (this.isWorking(probe)) {
        this.extendTo(probe);
        break;
      }
      probe -= 1;
    }
    return this.indexOfDay.get(probe)!;
  }

  /** Index of the first working day on or after `day`. */
  indexOnOrAfter(day: number): number {
    let probe = day;
    while (!this.indexOfDay.has(probe)) {
      if (this.isWorking(probe)) {
        this.extendTo(probe);
        break;
      }
      probe += 1;
    }
    return this.indexOfDay.get(probe)!;
  }

  private extendTo(day: number): void {
    if (day > this.forward[this.forward.length - 1]!) {
      while (this.forward[this.forward.length - 1]! < day) this.dayAt(this.forward.length);
    } else {
      while ((this.backward[this.backward.length - 1] ?? this.forward[0]!) > day) {
        this.dayAt(-(this.backward.length + 1));
      }
    }
  }
}

/**
 * Orders the matters so every matter follows its prerequisites (Kahn). Throws
 * PROJECT_DEPENDENCY_CYCLE naming one cycle, or PROJECT_DEPENDENCY_UNKNOWN.
 */
export function dependencyOrder(matters: readonly ScheduleMatter[]): ScheduleMatter[] {
  const byKey = new Map<string, ScheduleMatter>();
  for (const m of matters) {
    if (byKey.has(m.key)) {
      throw new DomainError('PROJECT_MATTER_DUPLICATED', `事项 ${m.key} 在清单中重复`, {
        key: m.key,
      });
    }
    byKey.set(m.key, m);
  }
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const m of matters) {
    const deps = [...new Set(m.dependsOn)];
    for (const d of deps) {
      if (!byKey.has(d)) {
        throw new DomainError(
          'PROJECT_DEPENDENCY_UNKNOWN',
          `事项 ${m.key} 的前置事项 ${d} 不在清单中`,
          {
            key: m.key,
            dependsOn: d,
          },
        );
      }
      const list = dependents.get(d) ?? [];
      list.push(m.key);
      dependents.set(d, list);
    }
    waiting.set(m.key, deps.length);
  }
  const ready = matters.filter((m) => waiting.get(m.key) === 0).map((m) => m.key);
  const order: ScheduleMatter[] = [];
  for (let i = 0; i < ready.length; i += 1) {
    const key = ready[i]!;
    order.push(byKey.get(key)!);
    for (const next of dependents.get(key) ?? []) {
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length < matters.length) {
    const cycle = findCycle(
      matters.filter((m) => waiting.get(m.key)! > 0),
      byKey,
    );
    throw new DomainError(
      'PROJECT_DEPENDENCY_CYCLE',
      `事项前置关系存在循环：${cycle.join(' → ')}，请在流程图中去掉其中一条前置关系`,
      { cycle },
    );
  }
  return order;
}

/** One cycle among the matters left over by Kahn's walk (each has a leftover prerequisite). */
function findCycle(
  left: readonly ScheduleMatter[],
  byKey: ReadonlyMap<string, ScheduleMatter>,
): string[] {
  const leftKeys = new Set(left.map((m) => m.key));
  const path: string[] = [];
  const at = new Map<string, number>();
  let key = left[0]!.key;
  while (!at.has(key)) {
    at.set(key, path.length);
    path.push(key);
    key = byKey.get(key)!.dependsOn.find((d) => leftKeys.has(d))!;
  }
  // `path` walks prerequisites backwards; the cycle reads forwards as prerequisite → dependent.
  return [...path.slice(at.get(key)!), key].reverse();
}

const toDay = (iso: string) => requireDayNumber(iso);

export function reverseSchedule(input: ScheduleInput): ScheduleResult {
  const calendar = input.calendar ?? seedCalendar;
  const order = dependencyOrder(input.matters);
  const axis = new WorkdayAxis(toDay(input.targetDate), calendar);
  const targetIdx = 0;
  const todayIdx = axis.indexOnOrAfter(toDay(input.today));
  const duration = (m: ScheduleMatter) => Math.max(1, Math.floor(m.durationDays));

  // Backwards: a matter's latest finish is the earliest latest start of its dependents, less a day.
  const dependents = new Map<string, string[]>();
  for (const m of order) {
    for (const d of new Set(m.dependsOn)) {
      const list = dependents.get(d) ?? [];
      list.push(m.key);
      dependents.set(d, list);
    }
  }
  const latestStart = new Map<string, number>();
  const latestFinish = new Map<string, number>();
  for (let i = order.length - 1; i >= 0; i -= 1) {
    const m = order[i]!;
    let lf = m.deadline ? Math.min(targetIdx, axis.indexOnOrBefore(toDay(m.deadline))) : targetIdx;
    for (const next of dependents.get(m.key) ?? []) lf = Math.min(lf, latestStart.get(next)! - 1);
    latestFinish.set(m.key, lf);
    latestStart.set(m.key, lf - duration(m) + 1);
  }

  // Forwards from today: facts for finished and running matters, as early as possible otherwise.
  const earliestStart = new Map<string, number>();
  const earliestFinish = new Map<string, number>();
  for (const m of order) {
    const d = duration(m);
    let es: number;
    let ef: number;
    if (m.finishedOn) {
      ef = axis.indexOnOrBefore(toDay(m.finishedOn));
      es = m.startedOn ? Math.min(axis.indexOnOrAfter(toDay(m.startedOn)), ef) : ef - d + 1;
    } else if (m.startedOn) {
      es = axis.indexOnOrAfter(toDay(m.startedOn));
      // Not finished yet: it finishes today at the earliest.
      ef = Math.max(es + d - 1, todayIdx);
    } else {
      es = todayIdx;
      for (const dep of new Set(m.dependsOn)) es = Math.max(es, earliestFinish.get(dep)! + 1);
      ef = es + d - 1;
    }
    earliestStart.set(m.key, es);
    earliestFinish.set(m.key, ef);
  }

  const open = order.filter((m) => !m.finishedOn);
  const slackOf = (m: ScheduleMatter) => latestStart.get(m.key)! - earliestStart.get(m.key)!;
  const minSlack = open.reduce((min, m) => Math.min(min, slackOf(m)), Number.POSITIVE_INFINITY);
  // An empty list is done today; otherwise the last earliest finish (facts included).
  const finishIdx =
    order.length === 0
      ? todayIdx
      : order.reduce(
          (max, m) => Math.max(max, earliestFinish.get(m.key)!),
          Number.NEGATIVE_INFINITY,
        );

  const matters: ScheduledMatter[] = order.map((m) => {
    const done = Boolean(m.finishedOn);
    const slackDays = slackOf(m);
    return {
      key: m.key,
      durationDays: duration(m),
      latestStart: axis.isoAt(latestStart.get(m.key)!),
      latestFinish: axis.isoAt(latestFinish.get(m.key)!),
      earliestStart: axis.isoAt(earliestStart.get(m.key)!),
      earliestFinish: axis.isoAt(earliestFinish.get(m.key)!),
      slackDays,
      critical: !done && slackDays === minSlack,
      done,
    };
  });

  const warnings: ScheduleWarning[] = [];
  for (const m of open) {
    const ls = latestStart.get(m.key)!;
    const lf = latestFinish.get(m.key)!;
    if (m.startedOn && todayIdx > lf) {
      warnings.push({
        kind: 'finish_overdue',
        matterKey: m.key,
        due: axis.isoAt(lf),
        daysLate: todayIdx - lf,
        messageZh: `事项已超过最迟完成日 ${axis.isoAt(lf)}（${todayIdx - lf} 个工作日），请督办`,
      });
    } else if (!m.startedOn && todayIdx > ls) {
      warnings.push({
        kind: 'start_overdue',
        matterKey: m.key,
        due: axis.isoAt(ls),
        daysLate: todayIdx - ls,
        messageZh: `事项已超过最迟开始日 ${axis.isoAt(ls)}（${todayIdx - ls} 个工作日）仍未启动，请督办`,
      });
    }
  }
  // The worst overrun of a latest finish (its own deadline or the target) by the forward plan.
  let worst: { key: string; by: number; lf: number } | null = null;
  for (const m of open) {
    const by = earliestFinish.get(m.key)! - latestFinish.get(m.key)!;
    if (by > 0 && (worst === null || by > worst.by))
      worst = { key: m.key, by, lf: latestFinish.get(m.key)! };
  }
  if (worst) {
    warnings.push({
      kind: 'target_at_risk',
      matterKey: worst.key,
      due: axis.isoAt(worst.lf),
      daysLate: worst.by,
      messageZh: `按当前进度，关键事项将晚于最迟完成日 ${axis.isoAt(worst.lf)} ${worst.by} 个工作日，目标日期有风险`,
    });
  }

  return {
    matters,
    targetFinish: axis.isoAt(targetIdx),
    projectedFinish: axis.isoAt(finishIdx),
    projectSlackDays: Number.isFinite(minSlack) ? minSlack : 0,
    criticalPath: matters.filter((m) => m.critical).map((m) => m.key),
    warnings,
    provisional: axis.missingYears.size > 0,
    missingYears: [...axis.missingYears].sort((a, b) => a - b),
  };
}
