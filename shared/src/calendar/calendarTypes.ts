/**
 * Year tables of the official working-day schedule. The State Council announces each
 * year's schedule in November, so the calendar is data the hub distributes, never code.
 */

/** One dated entry: a day off (holiday) or a make-up working day (调休上班). */
export interface CalendarDay {
  /** ISO date yyyy-mm-dd. */
  date: string;
  /** Chinese name of the festival it belongs to, e.g. 春节. */
  name: string;
}

export interface CalendarYearTable {
  year: number;
  /** Statutory days off, weekends inside the holiday included. */
  holidays: CalendarDay[];
  /** Weekend days that are working days (调休上班). */
  workdays: CalendarDay[];
}

/** A validated set of year tables, indexed for day-by-day lookups. Build with buildCalendar. */
export interface WorkingCalendar {
  /** The validated tables, in year order (so a caller can rebuild with one more year). */
  readonly tables: readonly CalendarYearTable[];
  /** Years covered, ascending. */
  readonly years: readonly number[];
  /** Per year: ISO dates that are days off although a weekday. */
  readonly holidayDates: ReadonlyMap<number, ReadonlySet<string>>;
  /** Per year: ISO dates that are working days although a weekend. */
  readonly workdayDates: ReadonlyMap<number, ReadonlySet<string>>;
}

/** A period during which the clock stops (特别程序, 补正): both ends inclusive, ISO dates. */
export interface SuspensionInterval {
  from: string;
  to: string;
}
