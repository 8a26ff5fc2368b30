/**
 * Date helpers the case machine needs for the 容缺 due-date rule. Plain ISO-date arithmetic
 * comes from the calendar's isoDate module; working-day counting is passed in by the
 * caller, so the machine does not depend on any particular calendar's data.
 */
import { chinaDate } from '../calendar/chinaDate.js';
import { dayNumberToIsoDate, isoDateToDayNumber } from '../calendar/isoDate.js';

export function isoDayNumber(text: unknown): number | null {
  return typeof text === 'string' ? isoDateToDayNumber(text) : null;
}

export const dayNumberToIso = dayNumberToIsoDate;

/** chinaDate for untrusted input: null instead of an exception. */
export function chinaDateOfInstant(instant: unknown): string | null {
  if (typeof instant !== 'string' && !(instant instanceof Date)) return null;
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return Number.isNaN(ms) ? null : chinaDate(instant);
}
