/**
 * Legal and promised deadlines of an accepted case — the one computation the hub stores and
 * a PC shows before the hub's copy arrives. Counting starts the working day after acceptance
 * (China date of the accept event: hub time when known, else the device's), suspensions
 * (特别程序, 补正) stop the clock (an open one runs to today), extensions (延期) add working
 * days. A deadline that reaches a year the calendar does not cover is provisional (暂估).
 */
import { chinaDate } from '../calendar/chinaDate.js';
import type { SuspensionInterval, WorkingCalendar } from '../calendar/calendarTypes.js';
import { addWorkingDaysDetailed, countWorkingDaysDetailed } from '../calendar/workingDays.js';
import { deriveCaseState } from '../case/caseMachine.js';
import type { CaseState } from '../case/caseState.js';
import type { CaseDeadlines, CaseEvent } from '../case/caseTypes.js';
import type { MatterLimits } from '../case/machineContext.js';

export interface DeadlineInputs {
  /** The case's history. */
  events: readonly CaseEvent[];
  /** Its derived state, when the caller has it already (saves deriving it again). */
  state?: CaseState;
  /** The matter's 承诺/法定 limits; undefined when the catalogue has none (no deadlines). */
  limits: MatterLimits | undefined;
  /** The calendar to count with: the hub's stored years, or the PC's synced copy. */
  calendar: WorkingCalendar;
  /** The instant "today" is taken from (its China date). */
  now: Date;
}

/** Suspended periods as date intervals; one still open runs up to today. */
export function suspensionIntervals(state: CaseState, today: string): SuspensionInterval[] {
  return state.suspensions.map((s) => ({
    from: chinaDate(s.startedAt),
    to: s.endedAt ? chinaDate(s.endedAt) : today,
  }));
}

/** The case's deadlines, or null while it is not accepted or its matter has no limits. */
export function computeCaseDeadlines(input: DeadlineInputs): CaseDeadlines | null {
  const state = input.state ?? deriveCaseState(input.events);
  const { limits, calendar, now } = input;
  if (!state.acceptedAt || !limits) return null;
  if (typeof limits.legalDays !== 'number' || typeof limits.promisedDays !== 'number') return null;
  const today = chinaDate(now);
  const startDate = chinaDate(state.acceptedAt);
  const opts = { suspensions: suspensionIntervals(state, today) };
  const extra = state.extensionDaysTotal;
  const legal = addWorkingDaysDetailed(startDate, limits.legalDays + extra, calendar, opts);
  const promised = addWorkingDaysDetailed(startDate, limits.promisedDays + extra, calendar, opts);
  const left = countWorkingDaysDetailed(today, promised.date, calendar);
  return {
    startDate,
    legalDue: legal.date,
    promisedDue: promised.date,
    promisedDaysLeft: left.days,
    computedAt: now.toISOString(),
    provisional: legal.provisional || promised.provisional || left.provisional,
  };
}

/**
 * Same deadlines apart from when they were computed (avoids rewriting a case every scan).
 * A provisional result differs from the exact one even when the dates agree, so importing
 * the year clears the 暂估 mark.
 */
export function sameDeadlines(a: CaseDeadlines | null, b: CaseDeadlines | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.startDate === b.startDate &&
    a.legalDue === b.legalDue &&
    a.promisedDue === b.promisedDue &&
    (a.provisional ?? false) === (b.provisional ?? false)
  );
}
