/**
 * Minimal ISO-date arithmetic for the 容缺 due-date rule. Kept local so the case machine does
 * not depend on the calendar module; real working-day counting is passed in by the caller.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export function isoDayNumber(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day
  ) {
    return null;
  }
  return ms / MS_PER_DAY;
}

export function dayNumberToIso(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * The calendar date of an ISO instant as seen in China (UTC+8, no daylight saving): an
 * acceptance at 07:00 Beijing time is still that day, although UTC says the day before.
 */
export function chinaDateOfInstant(instant: unknown): string | null {
  if (typeof instant !== 'string') return null;
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return null;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}
