/**
 * Validates a year file imported by IT (`calendar import` on the hub). The file comes from
 * outside, so every field is checked and each problem is named in Chinese.
 */
import { DomainError } from '../errors/domainError.js';
import type { CalendarDay, CalendarYearTable } from './calendarTypes.js';
import { findYearTableProblems } from './validateYearTable.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(problems: string[]): DomainError {
  return new DomainError('CALENDAR_FILE_INVALID', `节假日文件有误：${problems.join('；')}`, {
    problems,
  });
}

function readDays(
  value: unknown,
  field: 'holidays' | 'workdays',
  problems: string[],
): CalendarDay[] {
  const label = field === 'holidays' ? '放假日期列表 holidays' : '调休上班日期列表 workdays';
  if (!Array.isArray(value)) {
    problems.push(`缺少${label}（应为数组）`);
    return [];
  }
  const days: CalendarDay[] = [];
  value.forEach((item: unknown, index) => {
    if (!isRecord(item) || typeof item.date !== 'string' || typeof item.name !== 'string') {
      problems.push(`${label}第 ${index + 1} 项应为 { "date": "yyyy-mm-dd", "name": "节日名称" }`);
      return;
    }
    days.push({ date: item.date, name: item.name });
  });
  return days;
}

/** Accepts the parsed JSON value (or its text) and returns a sound year table, else throws. */
export function parseCalendarYearFile(json: unknown): CalendarYearTable {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json) as unknown;
    } catch {
      throw invalid(['文件不是有效的 JSON']);
    }
  }
  if (!isRecord(value)) throw invalid(['文件内容应为一个对象，包含 year、holidays、workdays']);
  const problems: string[] = [];
  const year = value.year;
  if (typeof year !== 'number' || !Number.isInteger(year)) {
    problems.push('缺少年份 year（应为整数，如 2027）');
  }
  const holidays = readDays(value.holidays, 'holidays', problems);
  const workdays = readDays(value.workdays, 'workdays', problems);
  if (problems.length > 0 || typeof year !== 'number') throw invalid(problems);
  const table: CalendarYearTable = { year, holidays, workdays };
  const tableProblems = findYearTableProblems(table);
  if (tableProblems.length > 0) throw invalid(tableProblems);
  if (holidays.length === 0) {
    // Every year has statutory holidays; an empty list means the wrong file was chosen.
    throw invalid([`${year} 年没有任何放假日期，请核对文件`]);
  }
  return table;
}
