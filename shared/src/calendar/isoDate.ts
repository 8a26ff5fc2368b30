/**
 * ISO calendar dates (yyyy-mm-dd) as whole day numbers counted from 1970-01-01 in UTC.
 * Deadlines are about dates, not instants, so everything runs on day numbers: no local
 * timezone or daylight-saving rule can shift a date by one.
 */
import { DomainError } from '../errors/domainError.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Day number of a valid ISO date, or null when the text is not a real yyyy-mm-dd date. */
export function isoDateToDayNumber(isoDate: string): number | null {
  const match = ISO_DATE.exec(isoDate);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 02-30 over into March; a round trip exposes dates that do not exist.
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day
  ) {
    return null;
  }
  return ms / MS_PER_DAY;
}

/** Like isoDateToDayNumber, but refuses invalid input with INVALID_DATE. */
export function requireDayNumber(isoDate: string): number {
  const dayNumber = typeof isoDate === 'string' ? isoDateToDayNumber(isoDate) : null;
  if (dayNumber === null) {
    throw new DomainError(
      'INVALID_DATE',
      `日期“${String(isoDate)}”无效，应为 yyyy-mm-dd 格式的真实日期`,
      {
        value: isoDate,
      },
    );
  }
  return dayNumber;
}

export function dayNumberToIsoDate(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

export function yearOfDayNumber(dayNumber: number): number {
  return new Date(dayNumber * MS_PER_DAY).getUTCFullYear();
}

/** True on Saturday and Sunday. */
export function isWeekendDayNumber(dayNumber: number): boolean {
  const weekday = new Date(dayNumber * MS_PER_DAY).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** True when the text is a real yyyy-mm-dd date. */
export function isIsoDate(value: string): boolean {
  return isoDateToDayNumber(value) !== null;
}
