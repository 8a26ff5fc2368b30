/**
 * The calendar date of an instant as seen in China (UTC+8, no daylight saving). Deadlines
 * count dates, and an acceptance at 07:00 Beijing time is still that day although UTC
 * says the day before.
 */
export function chinaDate(instant: string | Date): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}
