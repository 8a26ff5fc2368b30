/**
 * `sibantong-hub calendar [status]`: the years the hub's calendar covers, the warning from
 * November while next year's table is missing, and the cases with provisional (暂估)
 * deadlines. `sibantong-hub calendar import <file>`: a year's 放假调休 table (JSON or YAML);
 * the running hub then recomputes every provisional deadline (workflow/calendarRecompute.ts).
 */
import { readFileSync } from 'node:fs';
import {
  calendarStatus,
  formatOfFileName,
  importCalendar,
  parseCalendarText,
} from '../admin/calendarAdmin.js';
import type { HubCalendarStatus } from '../workflow/calendarStatus.js';
import { emit } from './output.js';
import { withStore } from './withStore.js';

const USAGE =
  '用法：sibantong-hub calendar [status] | sibantong-hub calendar import <文件.json|.yaml>';

function statusLines(s: HubCalendarStatus): string[] {
  const lines = [
    `已导入节假日安排：${s.years.length > 0 ? `${s.years.join('、')} 年` : '无'}（今天 ${s.today}，中国时间）`,
  ];
  if (s.warning) lines.push(`警告：${s.warning.messageZh}`);
  else if (s.nextYearCovered) lines.push(`${s.currentYear} 年与 ${s.nextYear} 年均已导入`);
  else lines.push(`${s.nextYear} 年尚未导入（11 月起每天提醒）`);
  lines.push(
    s.provisionalCases > 0
      ? `按周末暂估期限的办件：${s.provisionalCases} 件（导入所缺年度后由枢纽自动重新计算）`
      : '没有按暂估期限计算的办件',
  );
  return lines;
}

const currentStatus = calendarStatus;

export async function calendarCommand(argv: string[], json: boolean): Promise<number> {
  const [sub, file] = argv;
  if (sub === undefined || sub === 'status') {
    return withStore(async (store) => {
      const status = await currentStatus(store);
      emit(json, { ...status }, statusLines(status).join('\n'));
      return 0;
    });
  }
  if (sub !== 'import' || !file) {
    console.error(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    console.error(`无法读取日历文件：${file}`);
    return 1;
  }
  let table;
  try {
    table = parseCalendarText(text, formatOfFileName(file));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
  const t = table;
  return withStore(async (store) => {
    const { result: r, recomputeCases, status } = await importCalendar(store, t);
    const recompute =
      recomputeCases > 0 ? `；枢纽将自动重新计算 ${recomputeCases} 件暂估期限的办件` : '';
    emit(
      json,
      { year: t.year, result: r, recomputeCases, status },
      `${t.year} 年日历已${r === 'created' ? '导入' : '更新'}（放假 ${t.holidays.length} 天，调休上班 ${t.workdays.length} 天）${recompute}\n${statusLines(status).join('\n')}`,
    );
    return 0;
  });
}
