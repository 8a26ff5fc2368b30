/** `sibantong-hub calendar import <file>`: a year's 放假调休 table (JSON or YAML). */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { DomainError } from '@sibantong/shared';
import { parseCalendarYearFile } from '../domain/sharedCompat.js';
import { putCalendarYear } from '../seed/seedCalendars.js';
import { emit } from './output.js';
import { withStore } from './withStore.js';

export async function calendarCommand(argv: string[], json: boolean): Promise<number> {
  const [sub, file] = argv;
  if (sub !== 'import' || !file) {
    console.error('用法：sibantong-hub calendar import <文件.json|.yaml>');
    return 2;
  }
  let table;
  try {
    const text = readFileSync(file, 'utf8');
    const parsed: unknown = /\.ya?ml$/i.test(file) ? yaml.load(text) : JSON.parse(text);
    table = parseCalendarYearFile(parsed);
  } catch (err) {
    console.error(`日历文件无效：${err instanceof DomainError ? err.messageZh : String(err)}`);
    return 1;
  }
  const t = table;
  return withStore(async (store) => {
    const r = await putCalendarYear(store, t, true);
    emit(
      json,
      { year: t.year, result: r },
      `${t.year} 年日历已${r === 'created' ? '导入' : '更新'}（放假 ${t.holidays.length} 天，调休上班 ${t.workdays.length} 天）`,
    );
    return 0;
  });
}
