/**
 * A year the calendar does not cover never blocks work: the answer counts weekends only and
 * says it is provisional (暂估); once the year's table is there it is exact.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addWorkingDays,
  addWorkingDaysDetailed,
  buildCalendar,
  calendarCoversYear,
  countWorkingDays,
  countWorkingDaysDetailed,
  isWorkingDayDetailed,
  seedCalendar,
} from '../../src/calendar/index.js';
import { CN_2027_SAMPLE } from './cn2027Sample.js';

const DAY_MS = 86_400_000;
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const weekend = (day: number) => [0, 6].includes(new Date(day * DAY_MS).getUTCDay());

/** Reference: n weekdays after `from`, counting Monday–Friday only. */
function weekdaysOnly(from: string, n: number): string {
  let day = dayOf(from);
  for (let left = n; left > 0;) {
    day += 1;
    if (!weekend(day)) left -= 1;
  }
  return isoOf(day);
}

describe('provisional working days', () => {
  it('addWorkingDays(2026-12-10, 20) lands in 2027 with weekends only, flagged provisional', () => {
    const result = addWorkingDaysDetailed('2026-12-10', 20, seedCalendar);
    // 12/11 (1), 12/14–18 (2–6), 12/21–25 (7–11), 12/28–31 (12–15), 1/1 Fri counted (16),
    // 1/4–1/7 (17–20): 元旦 is unknown without the 2027 table.
    expect(result).toEqual({ date: '2027-01-07', provisional: true, missingYears: [2027] });
    expect(addWorkingDays('2026-12-10', 20)).toBe('2027-01-07');
  });

  it('is exact and not provisional once the 2027 table is there', () => {
    const calendar = buildCalendar([...seedCalendar.tables, CN_2027_SAMPLE]);
    expect(calendarCoversYear(calendar, 2027)).toBe(true);
    expect(calendarCoversYear(seedCalendar, 2027)).toBe(false);
    // 元旦 (1/1) does not count: one day later.
    expect(addWorkingDaysDetailed('2026-12-10', 20, calendar)).toEqual({
      date: '2027-01-08',
      provisional: false,
      missingYears: [],
    });
  });

  it('is exact when no counted day leaves the covered years', () => {
    expect(addWorkingDaysDetailed('2026-12-10', 15).provisional).toBe(false);
    expect(addWorkingDaysDetailed('2026-12-31', 0)).toMatchObject({
      date: '2026-12-31',
      provisional: false,
    });
    expect(countWorkingDaysDetailed('2026-12-01', '2026-12-31')).toMatchObject({
      days: 22,
      provisional: false,
    });
  });

  it('flags counts and single days in uncovered years, before and after the seed', () => {
    expect(countWorkingDaysDetailed('2026-12-31', '2027-01-08')).toEqual({
      days: 6,
      provisional: true,
      missingYears: [2027],
    });
    expect(countWorkingDaysDetailed('2027-01-08', '2026-12-31').days).toBe(-6);
    expect(isWorkingDayDetailed('2024-12-31')).toEqual({
      working: true,
      provisional: true,
      missingYears: [2024],
    });
    expect(isWorkingDayDetailed('2027-01-02').working).toBe(false); // Saturday
    expect(isWorkingDayDetailed('2026-10-01')).toEqual({
      working: false,
      provisional: false,
      missingYears: [],
    });
  });

  it('names every missing year of a long span', () => {
    expect(addWorkingDaysDetailed('2026-12-30', 300).missingYears).toEqual([2027, 2028]);
  });

  it('property: in an uncovered year the answer equals the weekends-only count, flagged', () => {
    const first = dayOf('2027-01-01');
    const last = dayOf('2029-12-31');
    fc.assert(
      fc.property(
        fc.integer({ min: first, max: last }).map(isoOf),
        fc.integer({ min: 1, max: 60 }),
        (from, n) => {
          const result = addWorkingDaysDetailed(from, n, seedCalendar);
          expect(result.date).toBe(weekdaysOnly(from, n));
          expect(result.provisional).toBe(true);
          expect(countWorkingDays(from, result.date)).toBe(n);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: provisional exactly when a counted day lies past the covered years', () => {
    const first = dayOf('2026-10-01');
    const last = dayOf('2026-12-31');
    fc.assert(
      fc.property(
        fc.integer({ min: first, max: last }).map(isoOf),
        fc.integer({ min: 0, max: 40 }),
        (from, n) => {
          const result = addWorkingDaysDetailed(from, n, seedCalendar);
          expect(result.provisional).toBe(result.date > '2026-12-31');
        },
      ),
      { numRuns: 300 },
    );
  });
});
