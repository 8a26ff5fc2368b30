/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters from a
 * 31-symbol alphabet without I, O, Z, S, V, the last one a mod-31 check character.
 */
import { fail, ok, type Result } from '../errors/domainError.js';

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_SHAPE = /^[0-9ABCDEFGHJKLMNPQRTUWXY]{18}$/;

export function normaliseUscc(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase();
}

/** The check character for the first 17 characters (which must be from the alphabet). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    sum += USCC_ALPHABET.indexOf(first17[i] ?? '') * (USCC_WEIGHTS[i] ?? 0);
  }
  const check = 31 - (sum % 31);
  return USCC_ALPHABET[check === 31 ? 0 : check] ?? '';
}

/** Checks a USCC for a form. On success the value is the normalised code. */
export function checkUscc(s: string): Result<string> {
  const code = normaliseUscc(s);
  if (!USCC_SHAPE.test(code)) {
    return fail(
      'USCC_FORMAT',
      '统一社会信用代码应为 18 位，由数字和大写字母组成（不含 I、O、Z、S、V）',
    );
  }
  if (usccCheckChar(code) !== code[17]) {
    return fail('USCC_CHECKSUM', '统一社会信用代码校验位不正确，请核对');
  }
  return ok(code);
}

export function isValidUscc(s: string): boolean {
  return checkUscc(s).ok;
}
