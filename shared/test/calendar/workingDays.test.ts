import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addWorkingDays,
  addWorkingDaysExcluding,
  buildCalendar,
  countWorkingDays,
  workingDayCounter,
  isWorkingDay,
  seedCalendar,
} from '../../src/calendar/index.js';
import { DomainError } from '../../src/errors/domainError.js';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('isWorkingDay', () => {
  it('treats make-up weekends as working days and holidays as days off', () => {
    expect(isWorkingDay('2026-02-14')).toBe(true); // Sat, 春节 make-up
    expect(isWorkingDay('2026-02-16')).toBe(false); // Mon, 春节
    expect(isWorkingDay('2026-01-04')).toBe(true); // Sun, 元旦 make-up
    expect(isWorkingDay('2026-03-07')).toBe(false); // ordinary Saturday
    expect(isWorkingDay('2026-03-09')).toBe(true); // ordinary Monday
    expect(isWorkingDay('2025-01-26')).toBe(true); // Sun, 2025 春节 make-up
    expect(isWorkingDay('2025-10-08')).toBe(false); // Wed, 国庆+中秋
  });

  it('refuses invalid dates with INVALID_DATE', () => {
    expect(errorOf(() => isWorkingDay('2026-02-30')).code).toBe('INVALID_DATE');
    expect(errorOf(() => isWorkingDay('2026/03/01')).code).toBe('INVALID_DATE');
    expect(errorOf(() => addWorkingDays('20260301', 1)).code).toBe('INVALID_DATE');
  });
});

describe('addWorkingDays', () => {
  it('crosses the 2026 Spring Festival counting make-up days 2/14 and 2/28', () => {
    // 2/13 Fri (1), 2/14 Sat make-up (2), 2/15–2/23 off, 2/24 (3), 2/25 (4), 2/26 (5)
    expect(addWorkingDays('2026-02-12', 5)).toBe('2026-02-26');
    // … 2/27 (6), 2/28 Sat make-up (7), 3/2 (8), 3/3 (9), 3/4 (10)
    expect(addWorkingDays('2026-02-12', 7)).toBe('2026-02-28');
    expect(addWorkingDays('2026-02-12', 10)).toBe('2026-03-04');
  });

  it('crosses 2026 中秋 and 国庆 counting make-up days 9/20 and 10/10', () => {
    expect(addWorkingDays('2026-09-17', 2)).toBe('2026-09-20');
    expect(addWorkingDays('2026-09-17', 7)).toBe('2026-09-28');
    expect(addWorkingDays('2026-09-17', 10)).toBe('2026-10-08');
    expect(addWorkingDays('2026-09-17', 12)).toBe('2026-10-10');
    expect(addWorkingDays('2026-09-17', 13)).toBe('2026-10-12');
  });

  it('handles the 2025 schedule', () => {
    expect(addWorkingDays('2025-01-24', 1)).toBe('2025-01-26');
    expect(addWorkingDays('2025-01-24', 3)).toBe('2025-02-05');
    expect(addWorkingDays('2025-01-24', 6)).toBe('2025-02-08');
    expect(addWorkingDays('2025-09-26', 6)).toBe('2025-10-11');
    expect(addWorkingDays('2025-04-25', 1)).toBe('2025-04-27');
    expect(addWorkingDays('2025-04-27', 3)).toBe('2025-04-30');
    expect(addWorkingDays('2025-04-27', 4)).toBe('2025-05-06');
  });

  it('starts counting on the day after the start date', () => {
    expect(addWorkingDays('2026-03-06', 1)).toBe('2026-03-09'); // Fri → Mon
    expect(addWorkingDays('2026-03-07', 1)).toBe('2026-03-09'); // Sat → Mon
    expect(addWorkingDays('2026-03-06', 0)).toBe('2026-03-06');
  });

  it('crosses the year boundary 2025 → 2026', () => {
    // 12/31 (1), 1/1–1/3 off, 1/4 Sun make-up (2), 1/5 (3)
    expect(addWorkingDays('2025-12-30', 3)).toBe('2026-01-05');
    expect(countWorkingDays('2025-12-30', '2026-01-05')).toBe(3);
  });

  it('answers for a year the calendar does not cover with weekends only (see provisional tests)', () => {
    // 12/31 (1), then 2027 unknown: 1/1 Fri (2), 1/4–1/6 (3–5).
    expect(addWorkingDays('2026-12-30', 5)).toBe('2027-01-06');
    expect(isWorkingDay('2024-12-31')).toBe(true); // a Tuesday
  });

  it('refuses negative or fractional days', () => {
    expect(errorOf(() => addWorkingDays('2026-03-02', -1)).code).toBe('INVALID_DAYS');
    expect(errorOf(() => addWorkingDays('2026-03-02', 1.5)).code).toBe('INVALID_DAYS');
  });

  it('skips suspended days', () => {
    expect(addWorkingDays('2026-03-02', 5)).toBe('2026-03-09');
    const suspensions = [{ from: '2026-03-04', to: '2026-03-05' }];
    expect(addWorkingDays('2026-03-02', 5, seedCalendar, { suspensions })).toBe('2026-03-11');
    expect(addWorkingDaysExcluding('2026-03-02', 5, suspensions)).toBe('2026-03-11');
    expect(countWorkingDays('2026-03-02', '2026-03-11', seedCalendar, suspensions)).toBe(5);
  });

  it('refuses a suspension that ends before it starts', () => {
    const suspensions = [{ from: '2026-03-05', to: '2026-03-04' }];
    expect(errorOf(() => addWorkingDaysExcluding('2026-03-02', 5, suspensions)).code).toBe(
      'INVALID_SUSPENSION',
    );
  });
});

describe('countWorkingDays', () => {
  it('counts both ways with zero on the same day', () => {
    expect(countWorkingDays('2026-02-12', '2026-02-26')).toBe(5);
    expect(countWorkingDays('2026-02-26', '2026-02-12')).toBe(-5);
    expect(countWorkingDays('2026-02-26', '2026-02-26')).toBe(0);
    // Inside the holiday nothing counts.
    expect(countWorkingDays('2026-02-15', '2026-02-23')).toBe(0);
  });

  it('reads as days left: positive before, zero on, negative after the due date', () => {
    expect(countWorkingDays('2026-10-08', '2026-10-12')).toBe(3);
    expect(countWorkingDays('2026-10-12', '2026-10-12')).toBe(0);
    expect(countWorkingDays('2026-10-14', '2026-10-12')).toBe(-2);
  });
});

describe('round trip property', () => {
  const firstDay = Date.UTC(2025, 0, 1) / 86_400_000;
  const lastDay = Date.UTC(2026, 9, 31) / 86_400_000;
  const isoDate = fc
    .integer({ min: firstDay, max: lastDay })
    .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

  it('countWorkingDays(from, addWorkingDays(from, n)) === n', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 0, max: 30 }), (from, n) => {
        const due = addWorkingDays(from, n);
        expect(countWorkingDays(from, due)).toBe(n);
        expect(countWorkingDays(due, from)).toBe(n === 0 ? 0 : -n);
        if (n > 0) expect(isWorkingDay(due)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips with suspensions too', () => {
    fc.assert(
      fc.property(
        isoDate,
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 0, max: 10 }),
        (from, n, offset, length) => {
          const start = new Date(`${from}T00:00:00Z`).getTime() + offset * 86_400_000;
          const end = start + length * 86_400_000;
          const suspensions = [
            {
              from: new Date(start).toISOString().slice(0, 10),
              to: new Date(end).toISOString().slice(0, 10),
            },
          ];
          const due = addWorkingDaysExcluding(from, n, suspensions);
          expect(countWorkingDays(from, due, seedCalendar, suspensions)).toBe(n);
          expect(due >= addWorkingDays(from, n)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('buildCalendar', () => {
  it('rejects a date that is both holiday and workday', () => {
    const error = errorOf(() =>
      buildCalendar([
        {
          year: 2027,
          holidays: [{ date: '2027-01-02', name: '元旦' }],
          workdays: [{ date: '2027-01-02', name: '元旦' }],
        },
      ]),
    );
    expect(error.code).toBe('CALENDAR_INVALID');
    expect(error.messageZh).toContain('2027-01-02');
  });

  it('rejects dates outside the year and duplicate years', () => {
    expect(
      errorOf(() =>
        buildCalendar([
          { year: 2027, holidays: [{ date: '2026-12-31', name: 'x' }], workdays: [] },
        ]),
      ).code,
    ).toBe('CALENDAR_INVALID');
    expect(
      errorOf(() => buildCalendar([...seedCalendar.tables, seedCalendar.tables[0]!])).code,
    ).toBe('CALENDAR_INVALID');
  });

  it('covers the seed years in order', () => {
    expect(seedCalendar.years).toEqual([2025, 2026]);
  });
});

describe('workingDayCounter', () => {
  const day = fc
    .integer({ min: Date.UTC(2023, 6, 1), max: Date.UTC(2028, 5, 30) })
    .map((ms) => new Date(ms - (ms % 86_400_000)).toISOString().slice(0, 10));

  it('answers as countWorkingDays for any pairs, in any order, covered years or not', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(day, day), { minLength: 1, maxLength: 40 }), (pairs) => {
        // One counter across the pairs: its table grows both ways as later pairs reach further.
        const count = workingDayCounter(seedCalendar);
        for (const [a, b] of pairs) expect(count(a, b)).toBe(countWorkingDays(a, b, seedCalendar));
      }),
      { numRuns: 200 },
    );
  });

  it('counts across 春节 and a make-up Sunday, 0 for the same day, negative backwards', () => {
    const count = workingDayCounter(seedCalendar);
    expect(count('2026-02-13', '2026-02-24')).toBe(countWorkingDays('2026-02-13', '2026-02-24'));
    expect(count('2026-01-01', '2026-01-05')).toBe(2); // 元旦 off; Sun 01-04 make-up, Mon 01-05
    expect(count('2026-03-09', '2026-03-09')).toBe(0);
    expect(count('2026-03-13', '2026-03-09')).toBe(-4);
    expect(errorOf(() => count('2026-02-30', '2026-03-01')).code).toBe('INVALID_DATE');
  });
});
