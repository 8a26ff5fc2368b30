import ExcelJS from 'exceljs';
import {
  MATTER_MODE_LABELS_ZH,
  PROJECT_STAGE_LABELS_ZH,
  weeklyReport,
  type ProjectScheduleResult,
  type ProjectState,
} from '@sibantong/shared';

const PROGRESS_ZH = {
  not_started: '未开始',
  in_progress: '办理中',
  done: '已办结',
  failed: '需重办',
} as const;
const OUTCOME_ZH = { done: '已完成', not_done: '未完成', dropped: '已取消' } as const;

interface Column {
  header: string;
  key: string;
  width: number;
}

function addSheet(
  book: ExcelJS.Workbook,
  name: string,
  columns: Column[],
  rows: Record<string, string | number | null>[],
): void {
  const sheet = book.addWorksheet(name, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1 },
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = columns;
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.eachRow((r) => {
    r.alignment = { vertical: 'top', wrapText: true };
  });
}

/**
 * The project's .xlsx export (exceljs, chosen because it writes real workbooks with column
 * widths, frozen headers and print setup in the browser): 审批事项清单 with the 倒排时间表,
 * 审批工作日志, and the 周工作计划 of the week of `today` with carried-over items. Chinese
 * headers, A4 landscape.
 */
export async function projectWorkbook(
  state: ProjectState,
  schedule: ProjectScheduleResult | null,
  today: string,
): Promise<ArrayBuffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '四办通';
  book.created = new Date();
  const slots = new Map(schedule?.matters.map((m) => [m.key, m]) ?? []);
  const progress = new Map(schedule?.progress.map((p) => [p.matterKey, p]) ?? []);
  const names = new Map(state.matters.map((m) => [m.matterKey, m.name]));
  addSheet(
    book,
    '审批事项清单',
    [
      { header: '阶段', key: 'stage', width: 18 },
      { header: '审批事项', key: 'name', width: 32 },
      { header: '办理方式', key: 'modes', width: 16 },
      { header: '计划工作日', key: 'days', width: 11 },
      { header: '最迟开始', key: 'ls', width: 12 },
      { header: '最迟完成', key: 'lf', width: 12 },
      { header: '预计完成', key: 'ef', width: 12 },
      { header: '余量（工作日）', key: 'slack', width: 14 },
      { header: '进度', key: 'progress', width: 10 },
      { header: '警示点', key: 'warning', width: 40 },
    ],
    state.matters.map((m) => {
      const slot = slots.get(m.matterKey);
      return {
        stage: PROJECT_STAGE_LABELS_ZH[m.stage],
        name: m.name,
        modes: m.modes.map((x) => MATTER_MODE_LABELS_ZH[x]).join('、') || '常规',
        days: m.durationDays,
        ls: slot?.latestStart ?? null,
        lf: slot?.latestFinish ?? null,
        ef: slot?.earliestFinish ?? null,
        slack: slot?.slackDays ?? null,
        progress: PROGRESS_ZH[progress.get(m.matterKey)?.status ?? 'not_started'],
        warning: m.warningZh,
      };
    }),
  );
  addSheet(
    book,
    '审批工作日志',
    [
      { header: '日期', key: 'date', width: 12 },
      { header: '事项', key: 'matter', width: 28 },
      { header: '办理情况', key: 'done', width: 40 },
      { header: '存在问题', key: 'problem', width: 30 },
      { header: '下一步', key: 'next', width: 30 },
      { header: '记录人', key: 'by', width: 10 },
    ],
    [...state.log]
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
      .map((e) => ({
        date: e.date,
        matter: e.matterKey ? (names.get(e.matterKey) ?? e.matterKey) : '',
        done: e.done,
        problem: e.problem ?? '',
        next: e.nextStep ?? '',
        by: e.by.name,
      })),
  );
  const week = weeklyReport(state, today);
  addSheet(
    book,
    `周工作计划（${week.weekOf}）`,
    [
      { header: '工作内容', key: 'text', width: 40 },
      { header: '计划周', key: 'week', width: 12 },
      { header: '关联事项', key: 'matter', width: 28 },
      { header: '责任人', key: 'who', width: 10 },
      { header: '完成时限', key: 'due', width: 12 },
      { header: '完成情况', key: 'outcome', width: 12 },
      { header: '说明', key: 'note', width: 30 },
    ],
    [...week.items, ...week.carriedOver].map((i) => ({
      text: i.text,
      week: i.weekOf,
      matter: i.matterKey ? (names.get(i.matterKey) ?? i.matterKey) : '',
      who: i.responsibleName,
      due: i.dueDate,
      outcome: i.review ? OUTCOME_ZH[i.review.outcome] : '待评议',
      note: weekOfCarried(i.weekOf, week.weekOf) ? '上周结转' : (i.review?.note ?? ''),
    })),
  );
  return (await book.xlsx.writeBuffer()) as ArrayBuffer;
}

const weekOfCarried = (itemWeek: string, week: string) => itemWeek < week;

/** Saves the workbook through the browser's download (Electron asks where to save it). */
export function downloadWorkbook(data: ArrayBuffer, fileName: string): void {
  const blob = new Blob([data], {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
