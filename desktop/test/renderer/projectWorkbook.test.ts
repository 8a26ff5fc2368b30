// @vitest-environment node
/**
 * The project's .xlsx export (features/projects/projectWorkbook.ts), read back with exceljs as
 * a user opening the file would see it: three sheets with Chinese headers, one row per listed
 * matter with its 倒排时间表 dates, the work log, and the week's plan with carried-over items.
 */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildDemoProjects, deriveProjectState, projectSchedule } from '@sibantong/shared';
import { projectWorkbook } from '../../src/renderer/features/projects/projectWorkbook';

describe('project .xlsx export', () => {
  it('writes the list with its timetable, the log and the weekly plan under Chinese headers', async () => {
    const today = '2026-12-02';
    const park = buildDemoProjects(today)[0]!;
    const state = deriveProjectState(park.events);
    const schedule = projectSchedule(state, new Map(), today);
    const data = await projectWorkbook(state, schedule, today);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(data);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      '审批事项清单',
      '审批工作日志',
      '周工作计划（2026-11-30）',
    ]);
    const list = book.getWorksheet('审批事项清单')!;
    expect(list.getRow(1).values).toEqual(
      expect.arrayContaining(['阶段', '审批事项', '最迟开始', '最迟完成', '进度', '警示点']),
    );
    expect(list.rowCount).toBe(state.matters.length + 1);
    const first = state.matters[0]!;
    const slot = schedule!.matters.find((m) => m.key === first.matterKey)!;
    expect(list.getRow(2).getCell(2).value).toBe(first.name);
    expect(list.getRow(2).getCell(6).value).toBe(slot.latestFinish);
    const log = book.getWorksheet('审批工作日志')!;
    expect(log.rowCount).toBe(state.log.length + 1);
    expect(log.getRow(1).getCell(3).value).toBe('办理情况');
  });
});
