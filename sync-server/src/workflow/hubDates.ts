/** Calendar dates on the hub's clock, as seen in China (UTC+8, no daylight saving). */
export function chinaDate(instant: string | Date): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}
