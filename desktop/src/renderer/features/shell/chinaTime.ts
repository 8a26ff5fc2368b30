/**
 * Times on screen and on paper are China time (UTC+8, no daylight saving), whatever zone the
 * PC is set to: a log entry, the timeline and the receipt must all show the same clock.
 */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** "YYYY-MM-DD HH:mm" (or with seconds) of an ISO instant, on China time; '' when invalid. */
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
