/**
 * The .xlsx a ledger exports, read back with exceljs: title, Chinese headers, the rows as
 * listed; identities masked for a role that may not see them, full only for a window role
 * from a case the PC holds.
 */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { FigureCaseRow } from '@sibantong/shared';
import {
  caseColumns,
  rowOfCase,
  type FullIdentity,
} from '../../src/renderer/features/ledgers/caseSheet';
import { caseDoc, ev } from './caseFixtures';
import { buildWorkbook } from '../../src/renderer/features/ledgers/exportXlsx';

const row = (id: string, over: Partial<FigureCaseRow> = {}): FigureCaseRow => ({
  id,
  officialNo: `SX-2026-0000${id.slice(-2)}`,
  provisionalNo: `DQ01-7K3M-20261122-00${id.slice(-2)}`,
  matterCode: 'M1',
  originUnitId: 'village-dq-01',
  townId: 'town-dq',
  holderUnitId: 'town-dq',
  status: 'processing',
  applicantNameMasked: '王**',
  applicantIdMasked: '330999********123X',
  assisted: true,
  at: '2026-11-20',
  promisedDue: '2026-11-25',
  ...over,
});

const names = {
  unit: (id: string | null | undefined) =>
    ({ 'village-dq-01': '东桥村', 'town-dq': '东桥镇' })[id ?? ''] ?? String(id),
  matter: () => '城乡居民养老保险参保登记',
};

async function readBack(buf: ArrayBuffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((r) =>
    out.push((r.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))),
  );
  return out;
}

describe('ledger export', () => {
  it('writes a title, Chinese headers and the listed rows, masked by default', async () => {
    const rows = [row('c-01'), row('c-02', { officialNo: null, assisted: false })];
    const cols = caseColumns(names, new Map(), '收件日期');
    const sheet = await readBack(
      await buildWorkbook('帮办代办台账', '2026-11-01 至 2026-11-30', cols, rows),
    );
    expect(sheet[0]![0]).toBe('帮办代办台账');
    expect(sheet[2]).toEqual([
      '办件编号',
      '收件日期',
      '事项',
      '镇街',
      '受理村（社区）',
      '当前办理单位',
      '申请人',
      '证件号码',
      '帮办代办',
      '状态',
      '承诺办结日期',
    ]);
    expect(sheet[3]).toEqual([
      'SX-2026-000001',
      '2026-11-20',
      '城乡居民养老保险参保登记',
      '东桥镇',
      '东桥村',
      '东桥镇',
      '王**',
      '330999********123X',
      '是',
      '办理中',
      '2026-11-25',
    ]);
    // No official number yet: the provisional one; not assisted: 否.
    expect(sheet[4]![0]).toBe('DQ01-7K3M-20261122-0002');
    expect(sheet[4]![8]).toBe('否');
    expect(sheet).toHaveLength(5);
  });

  it('shows the full identity only where the caller supplies it (a window role, a case held)', async () => {
    const full = new Map<string, FullIdentity>([
      ['c-01', { name: '王小明', idNumber: '33099919800101123X', phone: '13800000000' }],
    ]);
    const cols = caseColumns(names, full, '日期');
    const sheet = await readBack(await buildWorkbook('清单', '', cols, [row('c-01'), row('c-02')]));
    expect(sheet[3]!.slice(6, 8)).toEqual(['王小明', '33099919800101123X']);
    expect(sheet[4]!.slice(6, 8)).toEqual(['王**', '330999********123X']);
  });

  it('a case held on this PC lists as the hub lists it: masked name, receive date, 帮办代办', () => {
    const doc = caseDoc('c-9', {
      officialNo: 'SX-2026-000009',
      events: [ev('receive', { hubTime: '2026-11-03T17:00:00.000Z' }, { agentAuthorised: true })],
    });
    expect(rowOfCase(doc)).toMatchObject({
      id: 'c-9',
      officialNo: 'SX-2026-000009',
      applicantNameMasked: '张*',
      applicantIdMasked: '1101**********002X',
      assisted: true,
      // Hub time 17:00 UTC is the next day in China.
      at: '2026-11-04',
    });
    expect(JSON.stringify(rowOfCase(doc))).not.toContain('11010519491231002X');
  });
});
