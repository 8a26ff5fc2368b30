import { idDigest } from '@sibantong/shared';

/**
 * Form checks for the ID number (GB 11643-1999) and USCC (GB 32100-2015) checks, masking and the
 * searchable digest. Messages are phrased per form field; the algorithms match shared/src/identity.
 */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function idNumberProblem(raw: string): string | null {
  const id = raw.trim().toUpperCase();
  if (!id) return '请输入身份证号码';
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号码应为18位（最后一位可为X）';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1900 ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d ||
    date.getTime() > Date.now()
  )
    return '身份证号码中的出生日期不正确';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (ID_WEIGHTS[i] ?? 0);
  if (ID_CHECK[sum % 11] !== id[17]) return '身份证号码校验位不正确，请核对';
  return null;
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccProblem(raw: string): string | null {
  const code = raw.trim().toUpperCase();
  if (!code) return '请输入统一社会信用代码';
  if (code.length !== 18 || [...code].some((c) => !USCC_CHARS.includes(c)))
    return '统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）';
  let sum = 0;
  for (let i = 0; i < 17; i++)
    sum += USCC_CHARS.indexOf(code[i] as string) * (USCC_WEIGHTS[i] ?? 0);
  const check = (31 - (sum % 31)) % 31;
  if (USCC_CHARS[check] !== code[17]) return '统一社会信用代码校验位不正确，请核对';
  return null;
}

export function phoneProblem(raw: string): string | null {
  const p = raw.trim();
  if (!p) return '请输入联系电话';
  if (!/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/.test(p))
    return '联系电话格式不正确（手机11位或带区号的座机）';
  return null;
}

export function maskId(id: string): string {
  const v = id.trim();
  if (v.length <= 10) return v.replace(/./g, '*');
  return `${v.slice(0, 6)}${'*'.repeat(v.length - 10)}${v.slice(-4)}`;
}

export function maskPhoneNo(phone: string): string {
  const p = phone.trim();
  if (p.length < 7) return p.replace(/./g, '*');
  return `${p.slice(0, 3)}****${p.slice(-4)}`;
}

/** SHA-256 hex of the normalised ID: lets cases be found by ID without storing it in clear. */
export function idDigestHex(id: string): Promise<string> {
  // The shared digest, so the hub and every device find a case by the same ID number.
  return idDigest(id);
}

/** Roles whose work needs the full ID number and phone (the window taking the case in). */
export function roleSeesFullIdentity(role: string): boolean {
  return role === 'village_helper' || role === 'town_lead' || role === 'centre_agent';
}
