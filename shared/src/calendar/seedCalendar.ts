/** The calendar shipped with the app, used until the hub distributes newer year tables. */
import { buildCalendar } from './buildCalendar.js';
import type { CalendarYearTable, WorkingCalendar } from './calendarTypes.js';
import { CN_2025 } from './data/cn-2025.js';
import { CN_2026 } from './data/cn-2026.js';

export const SEED_CALENDAR_YEARS: readonly CalendarYearTable[] = [CN_2025, CN_2026];

export const seedCalendar: WorkingCalendar = buildCalendar(SEED_CALENDAR_YEARS);
