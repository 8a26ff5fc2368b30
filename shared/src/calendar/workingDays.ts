/**
 * Working-day arithmetic for deadlines (行政许可法 §82): weekends and statutory holidays do
 * not count, make-up days (调休上班) do, and suspended periods (特别程序, 补正) do not.
 * Counting starts on the working day after the start date.
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

function isWorkingDayNumber(dayNumber: number, calendar: WorkingCalendar): boolean {
  const year = yearOfDayNumber(dayNumber);
  const holidays = calendar.holidayDates.get(year);
  const workdays = calendar.workdayDates.get(year);
  if (holidays === undefined || workdays === undefined) {
    // Guessing from weekends alone would silently give wrong deadlines around festivals.
    throw new DomainError(
      'CALENDAR_YEAR_MISSING',
      `缺少 ${year} 年的节假日安排，无法计算工作日，请由信息管理员导入 ${year} 年节假日表`,
      { year },
    );
  }
  const iso = dayNumberToIsoDate(dayNumber);
  if (workdays.has(iso)) return true;
  if (holidays.has(iso)) return false;
  return !isWeekendDayNumber(dayNumber);
}

function countsAsWorkingDay(
  dayNumber: number,
  calendar: WorkingCalendar,
  suspended: readonly DayRange[],
): boolean {
  if (suspended.some((r) => dayNumber >= r.from && dayNumber <= r.to)) return false;
  return isWorkingDayNumber(dayNumber, calendar);
}

/** True when the date is a working day (make-up days included). Throws for uncovered years. */
export function isWorkingDay(isoDate: string, calendar: WorkingCalendar = seedCalendar): boolean {
  return isWorkingDayNumber(requireDayNumber(isoDate), calendar);
}

/**
 * The date that is `days` working days after `fromIsoDate`: day 1 is the first working day
 * after the start date, so accepting on a Friday with 1 day gives the next Monday.
 * `days` = 0 returns the start date unchanged. Negative or fractional days are refused
 * (INVALID_DAYS): deadlines only run forwards.
 */
export function addWorkingDays(
  fromIsoDate: string,
  days: number,
  calendar: WorkingCalendar = seedCalendar,
  options: WorkingDayOptions = {},
): string {
  let day = requireDayNumber(fromIsoDate);
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new DomainError('INVALID_DAYS', `工作日天数“${String(days)}”无效，应为不小于 0 的整数`, {
      days,
    });
  }
  const suspended = toRanges(options.suspensions);
  let remaining = days;
  // Walking leaves the covered years after at most a year or two, and then throws
  // CALENDAR_YEAR_MISSING, so the loop always ends.
  while (remaining > 0) {
    day += 1;
    // Jump over a suspension in one step: a long 特别程序 should not cost a loop per day.
    const suspension = suspended.find((r) => day >= r.from && day <= r.to);
    if (suspension !== undefined) {
      day = suspension.to;
      continue;
    }
    if (isWorkingDayNumber(day, calendar)) remaining -= 1;
  }
  return dayNumberToIsoDate(day);
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
 */
export function countWorkingDays(
  fromIsoDate: string,
  toIsoDate: string,
  calendar: WorkingCalendar = seedCalendar,
  suspensions?: readonly SuspensionInterval[],
): number {
  const from = requireDayNumber(fromIsoDate);
  const to = requireDayNumber(toIsoDate);
  const suspended = toRanges(suspensions);
  const sign = to >= from ? 1 : -1;
  const [low, high] = sign === 1 ? [from, to] : [to, from];
  let count = 0;
  for (let day = low + 1; day <= high; day += 1) {
    if (countsAsWorkingDay(day, calendar, suspended)) count += 1;
  }
  // Avoid -0, which strict equality checks and JSON would treat oddly.
  return count === 0 ? 0 : sign * count;
}
