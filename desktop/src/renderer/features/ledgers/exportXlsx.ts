/**
 * .xlsx export of a ledger or a case list (exceljs, chosen over SheetJS for its maintained
 * npm releases, styles and print setup without a paid edition): a title row, Chinese
 * headers, column widths, frozen header, A4 landscape fitted to the page width, so the file
 * prints as it is.
 */
import ExcelJS from 'exceljs';

export interface SheetColumn<R> {
  header: string;
  width: number;
  value: (row: R) => string | number | null;
}

export async function buildWorkbook<R>(
  title: string,
  subtitle: string,
  columns: readonly SheetColumn<R>[],
  rows: readonly R[],
): Promise<ArrayBuffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '四办通';
  wb.created = new Date();
  const ws = wb.addWorksheet(title.slice(0, 31), {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    },
    views: [{ state: 'frozen', ySplit: 3 }],
  });
  ws.columns = columns.map((c) => ({ width: c.width }));
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, Math.max(1, columns.length));
  ws.addRow([subtitle]).font = { color: { argb: 'FF595959' } };
  const head = ws.addRow(columns.map((c) => c.header));
  head.font = { bold: true };
  head.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F0F0' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  for (const r of rows) ws.addRow(columns.map((c) => c.value(r) ?? ''));
  ws.pageSetup.printTitlesRow = '3:3';
  return wb.xlsx.writeBuffer() as Promise<ArrayBuffer>;
}

/** Saves the workbook through the browser's download (Electron shows its save dialog). */
export async function downloadXlsx<R>(
  fileName: string,
  title: string,
  subtitle: string,
  columns: readonly SheetColumn<R>[],
  rows: readonly R[],
): Promise<void> {
  const buf = await buildWorkbook(title, subtitle, columns, rows);
  const blob = new Blob([buf], {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName.endsWith('.xlsx') ? fileName : `${fileName}.xlsx`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
