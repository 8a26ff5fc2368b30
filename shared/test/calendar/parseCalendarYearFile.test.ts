import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  buildCalendar,
  parseCalendarYearFile,
  seedCalendar,
} from '../../src/calendar/index.js';
import { DomainError } from '../../src/errors/domainError.js';

function problemOf(input: unknown): DomainError {
  try {
    parseCalendarYearFile(input);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

const file2027 = {
  year: 2027,
  holidays: [
    { date: '2027-01-01', name: '元旦' },
    { date: '2027-01-02', name: '元旦' },
    { date: '2027-01-03', name: '元旦' },
  ],
  workdays: [],
};

describe('parseCalendarYearFile', () => {
  it('accepts a sound year file, as object or JSON text, and extends the calendar', () => {
    const table = parseCalendarYearFile(file2027);
    expect(table.year).toBe(2027);
    expect(parseCalendarYearFile(JSON.stringify(file2027))).toEqual(table);
    const calendar = buildCalendar([...seedCalendar.tables, table]);
    // 12/31 Thu (1), 1/1–1/3 off, 1/4 Mon (2)
    expect(addWorkingDays('2026-12-30', 2, calendar)).toBe('2027-01-04');
  });

  it('names each problem in Chinese', () => {
    expect(problemOf('not json').messageZh).toContain('JSON');
    expect(problemOf([]).code).toBe('CALENDAR_FILE_INVALID');
    expect(problemOf({ holidays: [], workdays: [] }).messageZh).toContain('year');
    expect(problemOf({ year: 2027, workdays: [] }).messageZh).toContain('holidays');
    expect(
      problemOf({ ...file2027, holidays: [{ date: '2027-02-30', name: '春节' }] }).messageZh,
    ).toContain('2027-02-30');
    expect(problemOf({ ...file2027, holidays: [{ day: '2027-01-01' }] }).messageZh).toContain(
      '第 1 项',
    );
    // 2027-01-05 is a Tuesday: not a plausible make-up day.
    expect(
      problemOf({ ...file2027, workdays: [{ date: '2027-01-05', name: '元旦' }] }).messageZh,
    ).toContain('不是周六或周日');
    expect(problemOf({ year: 2027, holidays: [], workdays: [] }).messageZh).toContain(
      '没有任何放假日期',
    );
  });
});
