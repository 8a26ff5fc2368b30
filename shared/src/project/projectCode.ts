/**
 * 投资项目统一代码 (issued by the 投资项目在线审批监管平台; GB/T 40058-2021). The code is issued
 * elsewhere and its later parts are opaque here: only its broad shape (year-region-industry-
 * type-serial) and its 6-digit administrative region code are checked.
 */
import { fail, ok, type Result } from '../errors/domainError.js';

/** e.g. 2026-330999-47-03-012345; the serial part may carry letters on newer codes. */
const PROJECT_CODE_SHAPE = /^(\d{4})-(\d{6})-(\d{2})-(\d{2})-([0-9A-Z]{6})$/;

/** First two digits of a GB/T 2260 region code: the provinces, HK/Macao/Taiwan. */
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

export function normaliseProjectCode(code: string): string {
  return code.replace(/\s+/g, '').toUpperCase();
}

/**
 * Checks a project code for a form. `countyDivision` (the county's 6- or 12-digit division
 * code) narrows the region: the code must be issued by the county, its city or its province.
 */
export function checkProjectCode(raw: string, countyDivision?: string): Result<string> {
  const code = normaliseProjectCode(raw);
  const match = PROJECT_CODE_SHAPE.exec(code);
  if (!match) {
    return fail(
      'PROJECT_CODE_FORMAT',
      '投资项目统一代码格式应为“年份-6位行政区划-2位行业-2位类型-6位序号”，如 2026-330999-47-03-012345',
    );
  }
  const year = Number(match[1]);
  const region = match[2] ?? '';
  if (year < 2014 || year > 2100) {
    return fail('PROJECT_CODE_FORMAT', `投资项目统一代码中的年份 ${year} 不合理，请核对`);
  }
  if (!PROVINCES.has(region.slice(0, 2))) {
    return fail('PROJECT_CODE_REGION', `投资项目统一代码中的行政区划代码 ${region} 无效，请核对`);
  }
  if (countyDivision !== undefined) {
    const county = countyDivision.slice(0, 6);
    const allowed = [county, `${county.slice(0, 4)}00`, `${county.slice(0, 2)}0000`];
    if (!allowed.includes(region)) {
      return fail(
        'PROJECT_CODE_REGION',
        `投资项目统一代码中的行政区划代码 ${region} 不属于本县（${county}）及其上级，请核对`,
      );
    }
  }
  return ok(code);
}

export function isValidProjectCode(code: string, countyDivision?: string): boolean {
  return checkProjectCode(code, countyDivision).ok;
}
