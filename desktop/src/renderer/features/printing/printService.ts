import { getBridge } from '../../../bridge/bridgeApi';

/**
 * Prints whatever sits in the `.print-area` element: the print CSS hides everything else.
 * In Electron the bridge opens the system dialog (or saves a PDF); in a browser window.print().
 */
export async function printCurrent(): Promise<{ ok: boolean; error?: string }> {
  const bridge = getBridge();
  if (bridge) return bridge.print();
  window.print();
  return { ok: true };
}

export async function savePdf(
  name: string,
): Promise<{ ok: boolean; path?: string; error?: string }> {
  const bridge = getBridge();
  if (!bridge) return { ok: false, error: '浏览器模式下请在打印对话框中选择“另存为 PDF”' };
  return bridge.printToPdf(name);
}
