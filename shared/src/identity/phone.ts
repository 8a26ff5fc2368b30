/**
 * The one rule for a contact phone (联系电话) in mainland China: a mobile (11 digits from 13–19,
 * with or without +86 / 0086 / 86 and spaces or dashes, as staff copy it from a contact list),
 * or a landline with its area code (010-01234567, 0571 88886666). The form, the stored case
 * (the case schema's phone pattern, which the hub checks on every push) and masking all use it.
 */
import { fail, ok, type Result } from '../errors/domainError.js';

const MOBILE = /^1[3-9]\d{9}$/;
// Area codes are 3–4 digits starting with 0 (010, 0571); local numbers 7–8 digits. The local
// part may itself start with 0 in the numbers staff are given (010-01234567), so it is not
// narrowed further: a wrong digit is the applicant's to correct, a refusal would block intake.
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

/**
 * The stored (normalised) form, as a JSON Schema pattern: the case schema checks it so the hub
 * refuses a phone the form would refuse. Every value the earlier forms stored matches it.
 */
export const PHONE_PATTERN = '^(?:1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$';

/**
 * The normalised form: a mobile as its 11 digits; a landline as `area-local` when typed with a
 * separator or brackets (`(010)01234567`), else as typed. Anything else is returned compacted
 * (and fails the check).
 */
export function normalisePhone(s: string): string {
  const spaced = s.trim().replace(/[(（]/g, ' ').replace(/[)）]/g, ' ').trim();
  const compact = spaced.replace(/[\s-]+/g, '');
  const mobile = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(compact);
  if (mobile?.[1]) return mobile[1];
  const separated = /^(0\d{2,3})[\s-]+(\d{7,8})$/.exec(spaced.replace(/\s*-\s*/g, '-'));
  if (separated?.[1] && separated[2]) return `${separated[1]}-${separated[2]}`;
  return compact;
}

export function isValidMobile(s: string): boolean {
  return MOBILE.test(normalisePhone(s));
}

export function isValidLandline(s: string): boolean {
  return LANDLINE.test(normalisePhone(s));
}

/** A mobile or a landline with its area code. */
export function isValidPhone(s: string): boolean {
  const p = normalisePhone(s);
  return MOBILE.test(p) || LANDLINE.test(p);
}

/** Checks a phone number for a form. On success the value is the normalised number. */
export function checkPhone(s: string): Result<string> {
  const phone = normalisePhone(s);
  if (MOBILE.test(phone) || LANDLINE.test(phone)) return ok(phone);
  return fail(
    'PHONE_FORMAT',
    '联系电话格式不正确，应为 11 位手机号码（可带 +86）或带区号的固定电话（如 010-12345678）',
  );
}
