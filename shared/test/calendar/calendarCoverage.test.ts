/** The hub warns IT from November (China date) while next year's holiday table is missing. */
import { describe, expect, it } from 'vitest';
import { buildCalendar, calendarCoverage, seedCalendar } from '../../src/calendar/index.js';
import { CN_2027_SAMPLE } from './cn2027Sample.js';

describe('calendarCoverage', () => {
  it('is quiet in October, even with next year missing', () => {
    const c = calendarCoverage(seedCalendar, new Date('2026-10-31T15:00:00Z')); // 10-31 23:00 China
    expect(c).toMatchObject({ today: '2026-10-31', nextYear: 2027, nextYearCovered: false });
    expect(c.warning).toBeNull();
  });

  it('warns from 1 November, China date, while next year is missing', () => {
    const c = calendarCoverage(seedCalendar, new Date('2026-10-31T16:00:00Z')); // 11-01 00:00 China
    expect(c.warning).toMatchObject({ code: 'CALENDAR_NEXT_YEAR_MISSING', year: 2027 });
    expect(c.warning?.messageZh).toContain('2027');
    expect(c.warning?.messageZh).toContain('calendar import');
  });

  it('is quiet once next year is imported', () => {
    const calendar = buildCalendar([...seedCalendar.tables, CN_2027_SAMPLE]);
    const c = calendarCoverage(calendar, new Date('2026-12-10T02:00:00Z'));
    expect(c).toMatchObject({ years: [2025, 2026, 2027], nextYearCovered: true, warning: null });
  });

  it('warns at any time of year when the current year is missing', () => {
    const c = calendarCoverage(seedCalendar, new Date('2027-03-01T02:00:00Z'));
    expect(c.warning).toMatchObject({ code: 'CALENDAR_YEAR_MISSING', year: 2027 });
  });
});
