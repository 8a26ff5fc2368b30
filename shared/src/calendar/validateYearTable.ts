/**
 * Checks one year table for the mistakes a person typing in the State Council's notice
 * could make. Returns the Chinese problems found, empty when the table is sound.
 */
import type { CalendarYearTable } from './calendarTypes.js';
import { isoDateToDayNumber, isWeekendDayNumber } from './isoDate.js';

export function findYearTableProblems(table: CalendarYearTable): string[] {
  const problems: string[] = [];
  const { year } = table;
  if (!Number.isInteger(year) || year < 1900 || year > 2200) {
    return [`年份“${String(year)}”无效，应为 1900–2200 之间的整数`];
  }
  const seen = new Map<string, string>();
  const check = (kind: '放假' | '调休上班', date: string, name: string): void => {
    const dayNumber = isoDateToDayNumber(date);
    if (dayNumber === null) {
      problems.push(`${kind}日期“${date}”无效，应为 yyyy-mm-dd 格式的真实日期`);
      return;
    }
    if (!date.startsWith(`${year}-`)) {
      problems.push(`${kind}日期 ${date} 不在 ${year} 年内`);
      return;
    }
    if (name.trim() === '') problems.push(`${kind}日期 ${date} 缺少节日名称`);
    // Make-up days always fall on a weekend; a weekday here is a typing mistake.
    if (kind === '调休上班' && !isWeekendDayNumber(dayNumber)) {
      problems.push(`调休上班日期 ${date} 不是周六或周日，请核对`);
    }
    const before = seen.get(date);
    if (before === kind) problems.push(`${kind}日期 ${date} 重复`);
    else if (before !== undefined) problems.push(`日期 ${date} 不能既是放假日又是调休上班日`);
    seen.set(date, kind);
  };
  for (const day of table.holidays) check('放假', day.date, day.name);
  for (const day of table.workdays) check('调休上班', day.date, day.name);
  return problems;
}
