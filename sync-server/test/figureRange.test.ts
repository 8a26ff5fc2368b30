/**
 * How a range's partial month is read (figureQuery.ts): the month less the few days outside
 * the range, and only when the month was summed from those days as they now stand.
 */
import { describe, expect, it } from 'vitest';
import { dayFromRows, monthOf } from '../src/figures/figureAggregates.js';
import { monthHolds, outsideDays } from '../src/figures/figureQuery.js';
import { rowKey } from '../src/figures/figureTally.js';

describe('outsideDays', () => {
  it('reads most of a month as the month and the days outside it', () => {
    expect(outsideDays('2026-11-03', '2026-11-30')).toEqual([['2026-11-01', '2026-11-02']]);
    expect(outsideDays('2026-12-02', '2026-12-28')).toEqual([
      ['2026-12-01', '2026-12-01'],
      ['2026-12-29', '2026-12-31'],
    ]);
    expect(outsideDays('2026-02-01', '2026-02-27')).toEqual([['2026-02-28', '2026-02-28']]);
  });

  it('reads the days themselves when they are not more than the month and the rest', () => {
    expect(outsideDays('2026-12-01', '2026-12-04')).toBeNull();
    expect(outsideDays('2026-11-16', '2026-11-30')).toBeNull(); // 15 in; the month + 15 out
    expect(outsideDays('2026-11-15', '2026-11-30')).toEqual([['2026-11-01', '2026-11-14']]); // 16 in
  });
});

describe('monthHolds', () => {
  // A day with one case received in each village given.
  const day = (d: string, villages: string[]) => {
    const rows = new Map<string, number>();
    for (const v of villages) {
      const k = rowKey('village', 'received', v);
      rows.set(k, (rows.get(k) ?? 0) + 1);
    }
    return dayFromRows('county', d, rows);
  };
  const days = [day('2026-11-01', ['v1']), day('2026-11-02', ['v2']), day('2026-11-05', ['v1'])];
  const month = monthOf('county', '2026-11', days);

  it('holds when the days outside are the ones the month was summed from', () => {
    expect(monthHolds(month, [days[0]!], '2026-11-02', '2026-11-30')).toBe(true);
  });

  it('is behind when a day outside changed since', () => {
    const changed = day('2026-11-01', ['v1', 'v3']);
    expect(changed.stamp).not.toBe(days[0]!.stamp);
    expect(monthHolds(month, [changed], '2026-11-02', '2026-11-30')).toBe(false);
  });

  it('is behind when a day outside is new to it, or one it summed was not read', () => {
    expect(
      monthHolds(month, [days[0]!, day('2026-11-30', ['v2'])], '2026-11-02', '2026-11-29'),
    ).toBe(false);
    expect(monthHolds(month, [], '2026-11-02', '2026-11-30')).toBe(false);
  });
});
