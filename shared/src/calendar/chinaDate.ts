const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * The calendar date of an instant as seen in China (UTC+8, no daylight saving). Deadlines
 * count dates, and an acceptance at 07:00 Beijing time is still that day although UTC
 * says the day before.
 */
export function chinaDate(instant: string | Date): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * "YYYY-MM-DD HH:mm" (or with seconds) of an ISO instant on China time; '' when invalid.
 * Times on screen and paper use it whatever zone the PC is set to, so a log entry, the
 * timeline and the receipt show one clock.
 */
export function chinaDateTime(iso: string | null | undefined, seconds = false): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + CHINA_OFFSET_MS)
    .toISOString()
    .slice(0, seconds ? 19 : 16)
    .replace('T', ' ');
}

/** "HH:mm:ss" of an instant on China time. */
export function chinaClock(iso: string | null | undefined): string {
  return chinaDateTime(iso, true).slice(11);
}
