/** Mainland phone numbers: mobiles, and optionally landlines with an area code. */
import { fail, ok, type Result } from '../errors/domainError.js';

const MOBILE = /^1[3-9]\d{9}$/;
// Area codes are 3–4 digits starting with 0 (010, 0571); local numbers 7–8 digits.
const LANDLINE = /^0\d{2,3}-?[1-9]\d{6,7}$/;

/** Strips spaces and a +86/0086 country prefix, which staff copy from contact lists. */
export function normalisePhone(s: string): string {
  return s.replace(/[\s()（）]+/g, '').replace(/^(\+86|0086)-?/, '');
}

export function isValidMobile(s: string): boolean {
  return MOBILE.test(normalisePhone(s));
}

export function isValidLandline(s: string): boolean {
  return LANDLINE.test(normalisePhone(s));
}

export interface PhoneCheckOptions {
  /** Accept landlines (e.g. 0571-88886666) as well as mobiles. */
  allowLandline?: boolean;
}

export function isValidPhone(s: string, options: PhoneCheckOptions = {}): boolean {
  return isValidMobile(s) || (options.allowLandline === true && isValidLandline(s));
}

/** Checks a phone number for a form. On success the value is the normalised number. */
export function checkPhone(s: string, options: PhoneCheckOptions = {}): Result<string> {
  const phone = normalisePhone(s);
  if (isValidPhone(phone, options)) return ok(phone);
  return fail(
    'PHONE_FORMAT',
    options.allowLandline === true
      ? '电话号码格式不正确，应为 11 位手机号码或带区号的固定电话（如 0571-88886666）'
      : '手机号码格式不正确，应为以 1 开头的 11 位数字',
  );
}
