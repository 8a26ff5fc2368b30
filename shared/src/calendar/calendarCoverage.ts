/**
 * Whether the calendar is ready for the days ahead. The State Council announces next year's
 * 放假调休 in November (often late), so from 1 November (China date) a missing next-year table
 * is a warning for IT: deadlines reaching into it are provisional (暂估) until it is imported.
 * A missing current-year table is worse: today's own deadlines are provisional.
 */
import type { WorkingCalendar } from './calendarTypes.js';
import { chinaDate } from './chinaDate.js';

/** Month (1–12, China date) from which a missing next-year table is warned about. */
export const NEXT_YEAR_WARNING_MONTH = 11;

export interface CalendarWarning {
  code: 'CALENDAR_YEAR_MISSING' | 'CALENDAR_NEXT_YEAR_MISSING';
  year: number;
  messageZh: string;
}

export interface CalendarCoverage {
  /** China date the answer is for. */
  today: string;
  /** Years the calendar covers, ascending. */
  years: number[];
  currentYear: number;
  currentYearCovered: boolean;
  nextYear: number;
  nextYearCovered: boolean;
  /** Null when nothing needs doing. */
  warning: CalendarWarning | null;
}

export function calendarCoverage(calendar: WorkingCalendar, now: Date): CalendarCoverage {
  const today = chinaDate(now);
  const currentYear = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const nextYear = currentYear + 1;
  const covers = (y: number) => calendar.holidayDates.has(y) && calendar.workdayDates.has(y);
  const currentYearCovered = covers(currentYear);
  const nextYearCovered = covers(nextYear);
  let warning: CalendarWarning | null = null;
  if (!currentYearCovered) {
    warning = {
      code: 'CALENDAR_YEAR_MISSING',
      year: currentYear,
      messageZh: `缺少 ${currentYear} 年节假日安排：办理期限按周末暂估，请信息管理员尽快导入 ${currentYear} 年节假日表（sibantong-hub calendar import）`,
    };
  } else if (!nextYearCovered && month >= NEXT_YEAR_WARNING_MONTH) {
    warning = {
      code: 'CALENDAR_NEXT_YEAR_MISSING',
      year: nextYear,
      messageZh: `尚未导入 ${nextYear} 年节假日安排：跨入 ${nextYear} 年的办理期限按周末暂估。国务院办公厅公布后，请信息管理员导入 ${nextYear} 年节假日表（sibantong-hub calendar import）`,
    };
  }
  return {
    today,
    years: [...calendar.years],
    currentYear,
    currentYearCovered,
    nextYear,
    nextYearCovered,
    warning,
  };
}
