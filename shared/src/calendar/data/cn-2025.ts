/**
 * 2025 official schedule of days off and make-up working days (国务院办公厅通知，2024-11-12 发布).
 * Seed data only: later years arrive as imported year files from the hub.
 */
import type { CalendarYearTable } from '../calendarTypes.js';

export const CN_2025: CalendarYearTable = {
  year: 2025,
  holidays: [
    { date: '2025-01-01', name: '元旦' },
    { date: '2025-01-28', name: '春节' },
    { date: '2025-01-29', name: '春节' },
    { date: '2025-01-30', name: '春节' },
    { date: '2025-01-31', name: '春节' },
    { date: '2025-02-01', name: '春节' },
    { date: '2025-02-02', name: '春节' },
    { date: '2025-02-03', name: '春节' },
    { date: '2025-02-04', name: '春节' },
    { date: '2025-04-04', name: '清明节' },
    { date: '2025-04-05', name: '清明节' },
    { date: '2025-04-06', name: '清明节' },
    { date: '2025-05-01', name: '劳动节' },
    { date: '2025-05-02', name: '劳动节' },
    { date: '2025-05-03', name: '劳动节' },
    { date: '2025-05-04', name: '劳动节' },
    { date: '2025-05-05', name: '劳动节' },
    { date: '2025-05-31', name: '端午节' },
    { date: '2025-06-01', name: '端午节' },
    { date: '2025-06-02', name: '端午节' },
    { date: '2025-10-01', name: '国庆节、中秋节' },
    { date: '2025-10-02', name: '国庆节、中秋节' },
    { date: '2025-10-03', name: '国庆节、中秋节' },
    { date: '2025-10-04', name: '国庆节、中秋节' },
    { date: '2025-10-05', name: '国庆节、中秋节' },
    { date: '2025-10-06', name: '国庆节、中秋节' },
    { date: '2025-10-07', name: '国庆节、中秋节' },
    { date: '2025-10-08', name: '国庆节、中秋节' },
  ],
  workdays: [
    { date: '2025-01-26', name: '春节' },
    { date: '2025-02-08', name: '春节' },
    { date: '2025-04-27', name: '劳动节' },
    { date: '2025-09-28', name: '国庆节、中秋节' },
    { date: '2025-10-11', name: '国庆节、中秋节' },
  ],
};
