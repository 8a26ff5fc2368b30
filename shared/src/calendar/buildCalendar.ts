/** Builds a WorkingCalendar from year tables, refusing any table that does not validate. */
import { DomainError } from '../errors/domainError.js';
import type { CalendarYearTable, WorkingCalendar } from './calendarTypes.js';
import { findYearTableProblems } from './validateYearTable.js';

export function buildCalendar(years: readonly CalendarYearTable[]): WorkingCalendar {
  const holidayDates = new Map<number, ReadonlySet<string>>();
  const workdayDates = new Map<number, ReadonlySet<string>>();
  for (const table of years) {
    const problems = findYearTableProblems(table);
    if (problems.length > 0) {
      throw new DomainError(
        'CALENDAR_INVALID',
        `${table.year} 年节假日表有误：${problems.join('；')}`,
        {
          year: table.year,
          problems,
        },
      );
    }
    if (holidayDates.has(table.year)) {
      throw new DomainError('CALENDAR_INVALID', `${table.year} 年节假日表重复提供`, {
        year: table.year,
      });
    }
    holidayDates.set(table.year, new Set(table.holidays.map((d) => d.date)));
    workdayDates.set(table.year, new Set(table.workdays.map((d) => d.date)));
  }
  const tables = [...years].sort((a, b) => a.year - b.year);
  return {
    tables,
    years: tables.map((t) => t.year),
    holidayDates,
    workdayDates,
  };
}
