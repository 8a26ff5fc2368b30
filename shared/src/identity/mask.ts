/**
 * De-identification for screens and paper (GB/T 35273-2020): show just enough for staff to
 * recognise the right record. Only the window roles, who take the applicant's papers in and
 * must read the number back, may reveal the full value (`roleSeesFullIdentity`).
 */
import { WINDOW_ROLES } from '../case/transitionTable.js';
import type { Role } from '../org/orgTypes.js';
import { normalisePhone } from './phone.js';

function keepEnds(value: string, head: number, tail: number): string {
  if (value.length <= head + tail) return '*'.repeat(value.length);
  return value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(-tail);
}

/** First 6 + last 4: 110101********123X. Too-short input is masked entirely. */
export function maskIdNumber(id: string): string {
  return keepEnds(id.trim().toUpperCase(), 6, 4);
}

/**
 * Mobiles as 138****5678 (also when typed with +86 or spaces); landlines keep the area code
 * and last 4 (010-****4567); short input all stars.
 */
export function maskPhone(phone: string): string {
  const p = normalisePhone(phone);
  if (/^1\d{10}$/.test(p)) return keepEnds(p, 3, 4);
  const landline = /^(0\d{2,3}-?)(\d+)$/.exec(p);
  if (landline && landline[1] && landline[2] && landline[2].length > 4) {
    return landline[1] + keepEnds(landline[2], 0, 4);
  }
  return keepEnds(p, 3, 4);
}

/**
 * Same shape as ID numbers (first 6 + last 4), e.g. 911101********123X. Enterprise codes
 * are public, but an individual business's code identifies a person, and one rule for both
 * is easier for staff to read.
 */
export function maskUscc(code: string): string {
  return keepEnds(code.trim().toUpperCase(), 6, 4);
}

/** Keeps the surname's first character: 张三 → 张*, 欧阳娜娜 → 欧***. One character → *. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*'.repeat(chars.length);
  return (chars[0] ?? '') + '*'.repeat(chars.length - 1);
}

/**
 * Roles whose work needs the full ID number and phone: the service windows (村居帮办, 镇街领办,
 * 中心代办), who check the papers and call the applicant. Everyone else sees the masked values.
 */
export function roleSeesFullIdentity(role: Role | string): boolean {
  return (WINDOW_ROLES as readonly string[]).includes(role);
}
