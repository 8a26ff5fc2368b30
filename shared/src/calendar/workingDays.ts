/**
 * Working-day arithmetic for deadlines (行政许可法 §82): weekends and statutory holidays do
 * not count, make-up days (调休上班) do, and suspended periods (特别程序, 补正) do not.
 * Counting starts on the working day after the start date.
 *
 * A year the calendar does not cover never blocks work: its days count as weekdays only
 * (Saturday and Sunday off, no festivals, no make-up days) and the answer says it is
 * provisional (暂估), naming the missing years, so it can be shown as such and recomputed
 * once IT imports the year. The `…Detailed` variants return that flag; the plain ones return
 * only the date or count for callers that need nothing more.
 */
import { DomainError } from '../errors/domainError.js';
import type { SuspensionInterval, WorkingCalendar } from './calendarTypes.js';
import {
  dayNumberToIsoDate,
  isWeekendDayNumber,
  requireDayNumber,
  yearOfDayNumber,
} from './isoDate.js';
import { seedCalendar } from './seedCalendar.js';

export interface WorkingDayOptions {
  /** Periods, both ends inclusive, whose days never count. */
  suspensions?: readonly SuspensionInterval[];
}

/** What makes an answer provisional: years whose holiday table was not available. */
export interface Provisionality {
  /** True when some day the answer depends on lies in a year the calendar does not cover. */
  provisional: boolean;
  /** Those years, ascending; empty when the answer is exact. */
  missingYears: number[];
}

/** A date `n` working days on, and whether it is exact. */
export interface WorkingDate extends Provisionality {
  date: string;
}

/** A count of working days, and whether it is exact. */
export interface WorkingDayCount extends Provisionality {
  days: number;
}

/** Whether a date is a working day, and whether that is known from the calendar. */
export interface WorkingDayAnswer extends Provisionality {
  working: boolean;
}

interface DayRange {
  from: number;
  to: number;
}

function toRanges(suspensions: readonly SuspensionInterval[] | undefined): DayRange[] {
  return (suspensions ?? []).map((s) => {
    const from = requireDayNumber(s.from);
    const to = requireDayNumber(s.to);
    if (to < from) {
      throw new DomainError(
        'INVALID_SUSPENSION',
        `中止期间 ${s.from} 至 ${s.to} 的结束日早于开始日`,
        {
          from: s.from,
          to: s.to,
        },
      );
    }
    return { from, to };
  });
}

/** Collects the uncovered years met while walking days. */
class MissingYears {
  private readonly years = new Set<number>();
  add(year: number): void {
    this.years.add(year);
  }
  result(): Provisionality {
    const missingYears = [...this.years].sort((a, b) => a - b);
    return { provisional: missingYears.length > 0, missingYears };
  }
}

/** True when the calendar holds the year's table (its holidays and make-up days are known). */
export function calendarCoversYear(calendar: WorkingCalendar, year: number): boolean {
  return calendar.holidayDates.has(year) && calendar.workdayDates.has(year);
}

function isWorkingDayNumber(
  dayNumber: number,
  calendar: WorkingCalendar,
  missing: MissingYears,
): boolean {
  const year = yearOfDayNumber(dayNumber);
  const holidays = calendar.holidayDates.get(year);
  const workdays = calendar.workdayDates.get(year);
  if (holidays === undefined || workdays === undefined) {
    // No table for this year yet: weekends only, flagged provisional by the caller's result.
    missing.add(year);
    return !isWeekendDayNumber(dayNumber);
  }
  const iso = dayNumberToIsoDate(dayNumber);
  if (workdays.has(iso)) return true;
  if (holidays.has(iso)) return false;
  return !isWeekendDayNumber(dayNumber);
}

/** Whether the date is a working day (make-up days included); provisional for uncovered years. */
export function isWorkingDayDetailed(
  isoDate: string,
  calendar: WorkingCalendar = seedCalendar,
): WorkingDayAnswer {
  const missing = new MissingYears();
  const working = isWorkingDayNumber(requireDayNumber(isoDate), calendar, missing);
  return { working, ...missing.result() };
}

/** True when the date is a working day (make-up days included); weekends only for uncovered years. */
export function isWorkingDay(isoDate: string, calendar: WorkingCalendar = seedCalendar): boolean {
  return isWorkingDayDetailed(isoDate, calendar).working;
}

/**
 * The date that is `days` working days after `fromIsoDate`: day 1 is the first working day
 * after the start date, so accepting on a Friday with 1 day gives the next Monday.
 * `days` = 0 returns the start date unchanged. Negative or fractional days are refused
 * (INVALID_DAYS): deadlines only run forwards. Provisional when a counted day lies in a year
 * the calendar does not cover.
 */
export function addWorkingDaysDetailed(
  fromIsoDate: string,
  days: number,
  calendar: WorkingCalendar = seedCalendar,
  options: WorkingDayOptions = {},
): WorkingDate {
  let day = requireDayNumber(fromIsoDate);
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new DomainError('INVALID_DAYS', `工作日天数“${String(days)}”无效，应为不小于 0 的整数`, {
      days,
    });
  }
  const suspended = toRanges(options.suspensions);
  const missing = new MissingYears();
  let remaining = days;
  // At least five working days in every seven calendar days (weekends only, and festivals
  // never take a whole week's working days twice running), so the loop always ends.
  while (remaining > 0) {
    day += 1;
    // Jump over a suspension in one step: a long 特别程序 should not cost a loop per day.
    const suspension = suspended.find((r) => day >= r.from && day <= r.to);
    if (suspension !== undefined) {
      day = suspension.to;
      continue;
    }
    if (isWorkingDayNumber(day, calendar, missing)) remaining -= 1;
  }
  return { date: dayNumberToIsoDate(day), ...missing.result() };
}

/** addWorkingDaysDetailed, date only (provisional for uncovered years, never throws for them). */
export function addWorkingDays(
  fromIsoDate: string,
  days: number,
  calendar: WorkingCalendar = seedCalendar,
  options: WorkingDayOptions = {},
): string {
  return addWorkingDaysDetailed(fromIsoDate, days, calendar, options).date;
}

/** addWorkingDays with suspended periods as a positional argument. */
export function addWorkingDaysExcluding(
  fromIsoDate: string,
  days: number,
  suspensions: readonly SuspensionInterval[],
  calendar: WorkingCalendar = seedCalendar,
): string {
  return addWorkingDays(fromIsoDate, days, calendar, { suspensions });
}

/**
 * Working days after `fromIsoDate` up to and including `toIsoDate`, suspended days left out.
 * Same date → 0. When `to` is before `from` the result is the negative of the count the
 * other way round, so "days left until the deadline" reads positive before it, 0 on it and
 * negative once overdue. Inverse of addWorkingDays: count(from, add(from, n)) === n.
 * Provisional when a counted day lies in a year the calendar does not cover.
 */
export function countWorkingDaysDetailed(
  fromIsoDate: string,
  toIsoDate: string,
  calendar: WorkingCalendar = seedCalendar,
  suspensions?: readonly SuspensionInterval[],
): WorkingDayCount {
  const from = requireDayNumber(fromIsoDate);
  const to = requireDayNumber(toIsoDate);
  const suspended = toRanges(suspensions);
  const missing = new MissingYears();
  const sign = to >= from ? 1 : -1;
  const [low, high] = sign === 1 ? [from, to] : [to, from];
  let count = 0;
  for (let day = low + 1; day <= high; day += 1) {
    if (suspended.some((r) => day >= r.from && day <= r.to)) continue;
    if (isWorkingDayNumber(day, calendar, missing)) count += 1;
  }
  // Avoid -0, which strict equality checks and JSON would treat oddly.
  return { days: count === 0 ? 0 : sign * count, ...missing.result() };
}

/** countWorkingDaysDetailed, count only. */
export function countWorkingDays(
  fromIsoDate: string,
  toIsoDate: string,
  calendar: WorkingCalendar = seedCalendar,
  suspensions?: readonly SuspensionInterval[],
): number {
  return countWorkingDaysDetailed(fromIsoDate, toIsoDate, calendar, suspensions).days;
}

/**
 * countWorkingDays for many pairs of dates at once (the cockpit's average working days to
 * conclude sums one count per pair of accepted and concluded days, thousands per request):
 * each day's working-day count from a base is computed once, walking the calendar day by day
 * as countWorkingDays does, and a pair is the difference of its two ends. Same answers as
 * countWorkingDays without suspensions, provisional years included (weekends only).
 */
export function workingDayCounter(
  calendar: WorkingCalendar = seedCalendar,
): (fromIsoDate: string, toIsoDate: string) => number {
  const missing = new MissingYears();
  const working = (d: number) => (isWorkingDayNumber(d, calendar, missing) ? 1 : 0);
  let base: number | null = null;
  // prefix[i]: working days in (base, base + i].
  let prefix: number[] = [0];
  const cover = (low: number, high: number) => {
    if (base === null) base = low;
    if (low < base) {
      const earlier: number[] = [0];
      for (let d = low + 1; d <= base; d += 1)
        earlier.push(earlier[earlier.length - 1]! + working(d));
      const offset = earlier[earlier.length - 1]!;
      for (let i = 1; i < prefix.length; i += 1) earlier.push(prefix[i]! + offset);
      prefix = earlier;
      base = low;
    }
    for (let d = base + prefix.length; d <= high; d += 1)
      prefix.push(prefix[prefix.length - 1]! + working(d));
    return base;
  };
  return (fromIsoDate, toIsoDate) => {
    const from = requireDayNumber(fromIsoDate);
    const to = requireDayNumber(toIsoDate);
    const b = cover(Math.min(from, to), Math.max(from, to));
    const n = prefix[to - b]! - prefix[from - b]!;
    // Avoid -0, as countWorkingDays does.
    return n === 0 ? 0 : n;
  };
}
