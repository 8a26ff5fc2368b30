/** Day, week and month buckets of China dates (ISO yyyy-mm-dd), for trends. */
import type { Grain } from './figureTypes.js';

/** The period a day falls in: the day, its ISO week's Monday, or its month (yyyy-mm). */
export function periodOf(day: string, grain: Grain): string {
  if (grain === 'day') return day;
  if (grain === 'month') return day.slice(0, 7);
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0
  return new Date(ms - weekday * 86_400_000).toISOString().slice(0, 10);
}

/** Every period from `from` to `to` (inclusive), in order, so empty periods show as zero. */
export function periodsBetween(from: string, to: string, grain: Grain): string[] {
  const out: string[] = [];
  let ms = Date.parse(`${from}T00:00:00.000Z`);
  const end = Date.parse(`${to}T00:00:00.000Z`);
  while (ms <= end) {
    const p = periodOf(new Date(ms).toISOString().slice(0, 10), grain);
    if (out.at(-1) !== p) out.push(p);
    ms += 86_400_000;
  }
  return out;
}

/** Label of a period for charts: 12-02, 第49周(12-01起), 2026-12. */
export function periodLabel(period: string, grain: Grain): string {
  if (grain === 'month') return period;
  if (grain === 'week') return `${period.slice(5)}起`;
  return period.slice(5);
}
