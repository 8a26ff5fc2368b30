import type { CalendarYearTable } from '../../src/calendar/index.js';

/** A 2027 table as IT would import it (元旦 on Friday, 春节 with a make-up Saturday). */
export const CN_2027_SAMPLE: CalendarYearTable = {
  year: 2027,
  holidays: [
    { date: '2027-01-01', name: '元旦' },
    { date: '2027-02-06', name: '春节' },
    { date: '2027-02-07', name: '春节' },
    { date: '2027-02-08', name: '春节' },
    { date: '2027-02-09', name: '春节' },
    { date: '2027-02-10', name: '春节' },
    { date: '2027-02-11', name: '春节' },
    { date: '2027-02-12', name: '春节' },
  ],
  workdays: [{ date: '2027-02-20', name: '春节' }],
};
