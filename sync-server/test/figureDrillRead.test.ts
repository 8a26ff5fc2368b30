/**
 * How a drill-down reads (figureDrill.ts, figureCases.ts): its days a month per read, every day
 * once; and, when there are more cases than it shows, the newest days first, by id within a
 * day, exactly as a sort of every case would pick them.
 */
import { dayNumberToIsoDate, requireDayNumber } from '@sibantong/shared/calendar/isoDate';
import { rng as random } from '@sibantong/shared/random/seededRandom';
import { describe, expect, it } from 'vitest';
import { newestFirst } from '../src/figures/figureCases.js';
import { monthSpans } from '../src/figures/figureDrill.js';

describe('monthSpans', () => {
  const every = (from: string, to: string) => {
    const out: string[] = [];
    for (let d = requireDayNumber(from); d <= requireDayNumber(to); d += 1)
      out.push(dayNumberToIsoDate(d));
    return out;
  };

  it('cuts a range at month boundaries, every day in exactly one span', () => {
    expect(monthSpans('2025-12-30', '2026-02-03')).toEqual([
      ['2025-12-30', '2025-12-31'],
      ['2026-01-01', '2026-01-31'],
      ['2026-02-01', '2026-02-03'],
    ]);
    expect(monthSpans('2026-03-05', '2026-03-05')).toEqual([['2026-03-05', '2026-03-05']]);
    for (const [from, to] of [
      ['2025-01-01', '2026-12-31'],
      ['2024-02-10', '2024-03-01'],
      ['2026-11-30', '2026-12-01'],
    ] as const) {
      const spans = monthSpans(from, to);
      // As the store compares day ids: a string range, '-31' closing any month.
      for (const d of every(from, to))
        expect(spans.filter(([a, b]) => a <= d && d <= b).length, d).toBe(1);
      for (const [a, b] of spans)
        expect(a >= from && b <= to && a.slice(0, 7) === b.slice(0, 7)).toBe(true);
    }
  });

  it('is empty for an empty range', () => {
    expect(monthSpans('2026-03-02', '2026-03-01')).toEqual([]);
  });
});

const bySort = (dayOf: Map<string, string>, n: number) =>
  [...dayOf.keys()]
    .sort((a, b) => {
      const da = dayOf.get(a)!;
      const db = dayOf.get(b)!;
      if (da !== db) return da < db ? 1 : -1;
      return a < b ? -1 : a > b ? 1 : 0;
    })
    .slice(0, n);

describe('newestFirst', () => {
  it('picks and orders as a sort of every case would, whatever the limit', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rnd = random(seed);
      const dayOf = new Map<string, string>();
      const cases = Math.floor(rnd() * 3000);
      for (let i = 0; i < cases; i += 1) {
        const day = `2026-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
        dayOf.set(`case-${Math.floor(rnd() * 1e9).toString(36)}`, day);
      }
      for (const n of [0, 1, 7, 200, 2000, cases, cases + 5]) {
        expect(newestFirst(dayOf, n), `seed ${seed}, n ${n}`).toEqual(bySort(dayOf, n));
      }
    }
  });

  it('lists the newest day first and, within a day, by id', () => {
    const dayOf = new Map([
      ['c-b', '2026-03-01'],
      ['c-a', '2026-03-01'],
      ['c-z', '2026-01-09'],
      ['c-y', '2026-12-31'],
    ]);
    expect(newestFirst(dayOf, 3)).toEqual(['c-y', 'c-a', 'c-b']);
    expect(newestFirst(new Map(), 2000)).toEqual([]);
  });
});
