// Barrel of shared/src/calendar: working days driven by year tables the hub distributes.
export type {
  CalendarDay,
  CalendarYearTable,
  SuspensionInterval,
  WorkingCalendar,
} from './calendarTypes.js';
export { buildCalendar } from './buildCalendar.js';
export { seedCalendar, SEED_CALENDAR_YEARS } from './seedCalendar.js';
export {
  addWorkingDays,
  addWorkingDaysDetailed,
  addWorkingDaysExcluding,
  calendarCoversYear,
  countWorkingDays,
  countWorkingDaysDetailed,
  isWorkingDay,
  isWorkingDayDetailed,
  workingDayCounter,
} from './workingDays.js';
export type {
  Provisionality,
  WorkingDate,
  WorkingDayAnswer,
  WorkingDayCount,
  WorkingDayOptions,
} from './workingDays.js';
export { parseCalendarYearFile } from './parseCalendarYearFile.js';
export { chinaClock, chinaDate, chinaDateTime } from './chinaDate.js';
export {
  calendarCoverage,
  NEXT_YEAR_WARNING_MONTH,
  type CalendarCoverage,
  type CalendarWarning,
} from './calendarCoverage.js';
