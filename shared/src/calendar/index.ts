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
  addWorkingDaysExcluding,
  countWorkingDays,
  isWorkingDay,
} from './workingDays.js';
export type { WorkingDayOptions } from './workingDays.js';
export { parseCalendarYearFile } from './parseCalendarYearFile.js';
export { chinaDate } from './chinaDate.js';
