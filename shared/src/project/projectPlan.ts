/**
 * 周工作计划: the items of a week, and last weeks' unfinished items carried over. An item is
 * finished once reviewed `done` or `dropped`; an item never reviewed, or reviewed `not_done`,
 * is carried into every later week until it is.
 */
import { dayNumberToIsoDate, requireDayNumber } from '../calendar/isoDate.js';
import type { ProjectPlanItem, ProjectState } from './projectState.js';

/** Monday of the ISO week of `isoDate`. */
export function weekOf(isoDate: string): string {
  const day = requireDayNumber(isoDate);
  // Day 0 (1970-01-01) was a Thursday: (day + 3) mod 7 is 0 on Mondays.
  return dayNumberToIsoDate(day - ((((day + 3) % 7) + 7) % 7));
}

export interface WeekPlan {
  weekOf: string;
  /** Items planned for this week. */
  items: ProjectPlanItem[];
  /** Items of earlier weeks not yet done or dropped, oldest first. */
  carriedOver: ProjectPlanItem[];
}

const finished = (item: ProjectPlanItem) =>
  item.review !== null && (item.review.outcome === 'done' || item.review.outcome === 'dropped');

export function planForWeek(state: Pick<ProjectState, 'plan'>, anyDayOfWeek: string): WeekPlan {
  const monday = weekOf(anyDayOfWeek);
  const items = state.plan.filter((i) => weekOf(i.weekOf) === monday);
  const carriedOver = state.plan
    .filter((i) => weekOf(i.weekOf) < monday && !finished(i))
    .sort((a, b) => (a.weekOf < b.weekOf ? -1 : a.weekOf > b.weekOf ? 1 : 0));
  return { weekOf: monday, items, carriedOver };
}

export interface WeeklyReport extends WeekPlan {
  /** Sunday of the week. */
  weekEnd: string;
  /** Review of the week's and carried items: done, not done, dropped, not yet reviewed. */
  review: { done: number; notDone: number; dropped: number; open: number };
  /** 审批工作日志 entries dated within the week, oldest first. */
  log: ProjectState['log'];
}

/**
 * 周工作计划 report (printable and in the .xlsx export): the week's plan, items carried over,
 * the review counts and the work log of the week.
 */
export function weeklyReport(
  state: Pick<ProjectState, 'plan' | 'log'>,
  anyDayOfWeek: string,
): WeeklyReport {
  const plan = planForWeek(state, anyDayOfWeek);
  const weekEnd = dayNumberToIsoDate(requireDayNumber(plan.weekOf) + 6);
  const all = [...plan.items, ...plan.carriedOver];
  const count = (o: 'done' | 'not_done' | 'dropped') =>
    all.filter((i) => i.review?.outcome === o).length;
  const log = state.log
    .filter((e) => e.date >= plan.weekOf && e.date <= weekEnd)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return {
    ...plan,
    weekEnd,
    review: {
      done: count('done'),
      notDone: count('not_done'),
      dropped: count('dropped'),
      open: all.filter((i) => i.review === null).length,
    },
    log,
  };
}
