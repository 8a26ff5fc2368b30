/**
 * The one "due soon" rule (预警): an open case whose promised deadline is at most
 * DUE_SOON_WORKING_DAYS working days after today (China date) is due soon; one whose
 * deadline is before today is overdue (督办). The hub raises its records with it and a PC
 * colours its lists with it, each with its own copy of the same synced calendar.
 */
import { chinaDate } from '../calendar/chinaDate.js';
import type { WorkingCalendar } from '../calendar/calendarTypes.js';
import {
  addWorkingDaysDetailed,
  countWorkingDaysDetailed,
  type WorkingDayCount,
} from '../calendar/workingDays.js';
import type { CaseStatus } from '../case/caseTypes.js';

/** Working days before the promised deadline from which a case is due soon. */
export const DUE_SOON_WORKING_DAYS = 2;

/** Statuses in which the deadline clock runs (suspended stops it; final statuses end it). */
export const DEADLINE_CLOCK_STATUSES: readonly CaseStatus[] = [
  'accepted',
  'accepted_deferred',
  'processing',
];

/** True when deadlines matter for a case in this status (show days left, raise warnings). */
export function deadlineClockRunning(status: CaseStatus): boolean {
  return DEADLINE_CLOCK_STATUSES.includes(status);
}

/** Today and the last due date that counts as due soon, for range queries on due dates. */
export interface DueWindow {
  /** China date of `now`. */
  today: string;
  /** Promised due dates up to and including this date are due soon (or overdue before today). */
  soonThrough: string;
  /** True when the window reaches a year the calendar does not cover. */
  provisional: boolean;
}

export function dueWindow(calendar: WorkingCalendar, now: Date): DueWindow {
  const today = chinaDate(now);
  const soon = addWorkingDaysDetailed(today, DUE_SOON_WORKING_DAYS, calendar);
  return { today, soonThrough: soon.date, provisional: soon.provisional };
}

export type DueBucket = 'overdue' | 'due_soon';

/** Overdue before today; due soon from today through the window's last day; else null. */
export function dueBucket(
  promisedDue: string | null | undefined,
  window: DueWindow,
): DueBucket | null {
  if (!promisedDue) return null;
  if (promisedDue < window.today) return 'overdue';
  return promisedDue <= window.soonThrough ? 'due_soon' : null;
}

/**
 * Working days from today (China date of `now`) to the due date: positive before it, 0 on
 * it, negative once overdue; provisional when the span reaches an uncovered year.
 */
export function daysLeft(dueDate: string, calendar: WorkingCalendar, now: Date): WorkingDayCount {
  return countWorkingDaysDetailed(chinaDate(now), dueDate, calendar);
}
