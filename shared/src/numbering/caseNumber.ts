/**
 * Case numbers. A device that cannot reach the hub issues a provisional number
 * `<pointCode>-<deviceShort>-<yyyymmdd>-<seq>` (e.g. DQ01-7K3M-20261122-0007) printed on the
 * receipt. Point codes are unique in the county and device shorts are assigned uniquely by
 * the hub, so two devices never issue the same number; the sequence restarts each day.
 * At sync the hub binds the official number `<countyCode>-<year>-<serial>` (SX-2026-000123).
 */
import { DomainError, fail, ok, type Result } from '../errors/domainError.js';
import { isDeviceShort } from './deviceShort.js';

const POINT_CODE = /^[A-Z0-9]{2,6}$/;
const COUNTY_CODE = /^[A-Z]{2,6}$/;
const PROVISIONAL_NO = /^([A-Z0-9]{2,6})-([0-9A-Z]{4})-(\d{8})-(\d{4})$/;
const OFFICIAL_NO = /^([A-Z]{2,6})-(\d{4})-(\d{6})$/;
export const MAX_DAILY_SEQUENCE = 9999;
export const MAX_OFFICIAL_SERIAL = 999_999;

export interface ProvisionalNoParts {
  /** Service point's code, e.g. DQ01 (OrgUnit.pointCode). */
  pointCode: string;
  /** Device's short code assigned at enrolment, 4 Crockford base32 characters. */
  deviceShort: string;
  /** Issue date, ISO yyyy-mm-dd (the device's local calendar date). */
  date: string;
  /** 1…9999, per device per day. */
  seq: number;
}

export interface OfficialNoParts {
  countyCode: string;
  year: number;
  /** 1…999999, per county per year, allocated by the hub. */
  serial: number;
}

function isRealIsoDate(iso: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function provisionalProblem(parts: ProvisionalNoParts): string | null {
  if (!POINT_CODE.test(parts.pointCode))
    return `服务点代码“${parts.pointCode}”应为 2–6 位大写字母或数字`;
  if (!isDeviceShort(parts.deviceShort))
    return `设备短码“${parts.deviceShort}”应为 4 位（数字及除 I、L、O、U 外的大写字母）`;
  if (!isRealIsoDate(parts.date)) return `日期“${parts.date}”无效`;
  if (!Number.isInteger(parts.seq) || parts.seq < 1 || parts.seq > MAX_DAILY_SEQUENCE) {
    return `当日流水号 ${parts.seq} 超出范围 1–${MAX_DAILY_SEQUENCE}`;
  }
  return null;
}

/** Formats a provisional number; refuses bad parts with CASE_NO_INVALID. */
export function formatProvisionalNo(parts: ProvisionalNoParts): string {
  const problem = provisionalProblem(parts);
  if (problem !== null)
    throw new DomainError('CASE_NO_INVALID', `无法生成临时受理编号：${problem}`);
  const { pointCode, deviceShort, date, seq } = parts;
  return `${pointCode}-${deviceShort}-${date.replaceAll('-', '')}-${String(seq).padStart(4, '0')}`;
}

/** Reads a provisional number (spaces and lower case tolerated, as typed from a receipt). */
export function parseProvisionalNo(s: string): Result<ProvisionalNoParts> {
  const match = PROVISIONAL_NO.exec(s.replace(/\s+/g, '').toUpperCase());
  const bad = fail<ProvisionalNoParts>(
    'CASE_NO_INVALID',
    '临时受理编号格式不正确，应如 DQ01-7K3M-20261122-0007',
  );
  if (!match) return bad;
  const ymd = match[3] ?? '';
  const parts: ProvisionalNoParts = {
    pointCode: match[1] ?? '',
    deviceShort: match[2] ?? '',
    date: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`,
    seq: Number(match[4]),
  };
  return provisionalProblem(parts) === null ? ok(parts) : bad;
}

/** Where a device's daily sequence stands: the last number issued and on which date. */
export interface SequenceState {
  date: string;
  seq: number;
}

/**
 * The sequence state for the next number issued on `today`: +1 on the same day, 1 on a new
 * day. Refuses with CASE_SEQ_EXHAUSTED past 9999 rather than wrapping into a duplicate.
 */
export function nextSequence(last: SequenceState | null, today: string): SequenceState {
  if (last === null || last.date !== today) return { date: today, seq: 1 };
  if (last.seq >= MAX_DAILY_SEQUENCE) {
    throw new DomainError(
      'CASE_SEQ_EXHAUSTED',
      `本设备 ${today} 已用完 ${MAX_DAILY_SEQUENCE} 个临时编号，请联网同步或更换设备`,
    );
  }
  return { date: today, seq: last.seq + 1 };
}

/** Formats the official number bound by the hub; refuses bad parts with OFFICIAL_NO_INVALID. */
export function formatOfficialNo(parts: OfficialNoParts): string {
  const { countyCode, year, serial } = parts;
  if (!COUNTY_CODE.test(countyCode)) {
    throw new DomainError('OFFICIAL_NO_INVALID', `县级代码“${countyCode}”应为 2–6 位大写字母`);
  }
  if (!Number.isInteger(year) || year < 2000 || year > 9999) {
    throw new DomainError('OFFICIAL_NO_INVALID', `年份 ${year} 无效`);
  }
  if (!Number.isInteger(serial) || serial < 1 || serial > MAX_OFFICIAL_SERIAL) {
    throw new DomainError(
      'OFFICIAL_NO_INVALID',
      `流水号 ${serial} 超出范围 1–${MAX_OFFICIAL_SERIAL}`,
    );
  }
  return `${countyCode}-${year}-${String(serial).padStart(6, '0')}`;
}

export function parseOfficialNo(s: string): Result<OfficialNoParts> {
  const match = OFFICIAL_NO.exec(s.replace(/\s+/g, '').toUpperCase());
  const year = Number(match?.[2]);
  const serial = Number(match?.[3]);
  if (!match || year < 2000 || serial < 1) {
    return fail('OFFICIAL_NO_INVALID', '正式受理编号格式不正确，应如 SX-2026-000123');
  }
  return ok({ countyCode: match[1] ?? '', year, serial });
}
