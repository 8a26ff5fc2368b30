/** Printing through the system dialog and saving the window as PDF (A4, backgrounds on). */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';

/** A file name Windows and Linux both accept, ending in .pdf (pure). */
export function safePdfFileName(suggested: string): string {
  const base = String(suggested ?? '')
    .replace(/\.pdf$/i, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f<>:"/\\|?*]+/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 120);
  const reserved = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
  const name = base.length === 0 || reserved.test(base) ? '四办通文档' : base;
  return `${name}.pdf`;
}

export function printWindow(win: BrowserWindow): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => {
    win.webContents.print({ silent: false, printBackground: true }, (success, failureReason) => {
      resolve(success ? { ok: true } : { ok: false, error: failureReason || '打印已取消' });
    });
  });
}

export async function printWindowToPdf(
  win: BrowserWindow,
  dialog: Pick<Dialog, 'showSaveDialog'>,
  documentsDir: string,
  suggestedName: string,
): Promise<{ ok: boolean; path?: string; error?: string }> {
  const choice = await dialog.showSaveDialog(win, {
    title: '另存为 PDF',
    defaultPath: path.join(documentsDir, safePdfFileName(suggestedName)),
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (choice.canceled || !choice.filePath) return { ok: false };
  try {
    const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
    const target = choice.filePath.toLowerCase().endsWith('.pdf')
      ? choice.filePath
      : `${choice.filePath}.pdf`;
    await fs.writeFile(target, pdf);
    return { ok: true, path: target };
  } catch (e) {
    return { ok: false, error: `保存 PDF 失败：${(e as Error).message}` };
  }
}
