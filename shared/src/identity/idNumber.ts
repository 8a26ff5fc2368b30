/**
 * 18-digit resident identity numbers (GB 11643-1999): six-digit division code, birth date
 * yyyymmdd, three-digit sequence (odd = male), and a mod-11 check character.
 */
import { fail, ok, type Result } from '../errors/domainError.js';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';
const ID_SHAPE = /^\d{17}[\dX]$/;

/** Strips spaces and upper-cases a trailing x, the two ways people and scanners vary. */
export function normaliseIdNumber(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase();
}

/** The check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS[sum % 11] ?? '';
}

function todayIsoUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

function birthDateProblem(yyyymmdd: string, todayIso: string): boolean {
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return !real || year < 1900 || iso > todayIso;
}

/**
 * Checks an ID number for a form. On success the value is the normalised number.
 * `todayIso` (yyyy-mm-dd) bounds the birth date; it defaults to today in UTC.
 */
export function checkIdNumber(s: string, todayIso: string = todayIsoUtc()): Result<string> {
  const id = normaliseIdNumber(s);
  if (!ID_SHAPE.test(id)) {
    return fail('ID_FORMAT', '身份证号码应为 18 位，前 17 位为数字，最后一位为数字或 X');
  }
  if (birthDateProblem(id.slice(6, 14), todayIso)) {
    return fail('ID_BIRTHDATE', '身份证号码中的出生日期（第 7–14 位）无效，请核对');
  }
  if (idNumberCheckChar(id) !== id[17]) {
    return fail('ID_CHECKSUM', '身份证号码校验位不正确，请核对是否有输错的数字');
  }
  return ok(id);
}

export function isValidIdNumber(s: string, todayIso?: string): boolean {
  return checkIdNumber(s, todayIso).ok;
}

export interface IdNumberInfo {
  /** ISO date yyyy-mm-dd. */
  birthDate: string;
  sex: 'male' | 'female';
  /** 6-digit administrative division code of first registration. */
  divisionCode: string;
}

/** What an ID number says about its holder, or null when it is not a valid ID number. */
export function idNumberInfo(s: string, todayIso?: string): IdNumberInfo | null {
  const checked = checkIdNumber(s, todayIso);
  if (!checked.ok) return null;
  const id = checked.value;
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    divisionCode: id.slice(0, 6),
  };
}
