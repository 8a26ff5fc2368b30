/**
 * Form checks for the ID number (GB 11643-1999), the USCC (GB 32100-2015) and the phone, with
 * messages phrased per form field; the ID and USCC algorithms are shared/src/identity's.
 */
import { checkIdNumber, checkUscc, type Result } from '@sibantong/shared';
/**
 * The form's words for each failure of the shared checks (shared/src/identity), which the hub
 * runs too: one algorithm, messages phrased for the field they sit under.
 */
const ID_MESSAGES: Readonly<Record<string, string>> = {
  ID_FORMAT: '身份证号码应为18位（最后一位可为X）',
  ID_BIRTHDATE: '身份证号码中的出生日期不正确',
  ID_CHECKSUM: '身份证号码校验位不正确，请核对',
};
const USCC_MESSAGES: Readonly<Record<string, string>> = {
  USCC_FORMAT: '统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）',
  USCC_CHECKSUM: '统一社会信用代码校验位不正确，请核对',
};

/**
 * The value is stored as typed (trimmed, upper-cased), so spaces inside it are a format error
 * here even though the shared check would strip them.
 */
function problemOf(
  raw: string,
  check: (s: string) => Result<string>,
  messages: Readonly<Record<string, string>>,
  formatCode: string,
): string | null {
  const value = raw.trim().toUpperCase();
  if (/\s/.test(value)) return messages[formatCode] ?? null;
  const r = check(value);
  return r.ok ? null : (messages[r.code] ?? r.messageZh);
}

export function idNumberProblem(raw: string): string | null {
  if (!raw.trim()) return '请输入身份证号码';
  return problemOf(raw, checkIdNumber, ID_MESSAGES, 'ID_FORMAT');
}

export function usccProblem(raw: string): string | null {
  if (!raw.trim()) return '请输入统一社会信用代码';
  return problemOf(raw, checkUscc, USCC_MESSAGES, 'USCC_FORMAT');
}

export function phoneProblem(raw: string): string | null {
  const p = raw.trim();
  if (!p) return '请输入联系电话';
  if (!/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/.test(p))
    return '联系电话格式不正确（手机11位或带区号的座机）';
  return null;
}

export function maskPhoneNo(phone: string): string {
  const p = phone.trim();
  if (p.length < 7) return p.replace(/./g, '*');
  return `${p.slice(0, 3)}****${p.slice(-4)}`;
}

/** Roles whose work needs the full ID number and phone (the window taking the case in). */
export function roleSeesFullIdentity(role: string): boolean {
  return role === 'village_helper' || role === 'town_lead' || role === 'centre_agent';
}
