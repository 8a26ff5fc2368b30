import { Button, Modal, Space, message } from 'antd';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { printCurrent, savePdf } from './printService';

/** Shows a document on screen and prints exactly that (the `.print-area` holds the copy to print). */
export function PrintPreview({
  open,
  title,
  onClose,
  pdfName,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  /** Offers 保存为 PDF under this file name (Electron printToPDF through main). */
  pdfName?: string | undefined;
  children: ReactNode;
}) {
  const doPrint = async () => {
    const r = await printCurrent();
    if (!r.ok) void message.error(`打印失败：${r.error ?? '未知原因'}`);
  };
  const doPdf = async () => {
    if (!pdfName) return;
    const r = await savePdf(pdfName);
    // In a browser the print dialog's "另存为 PDF" is the way: open it.
    if (!r.ok && r.error && !r.path && r.error.includes('浏览器')) {
      void message.info(r.error);
      await printCurrent();
    } else if (!r.ok && r.error) void message.error(r.error);
    else if (r.ok) void message.success(`已保存：${r.path ?? ''}`);
  };
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      width={800}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>关闭</Button>
          {pdfName && (
            <Button onClick={() => void doPdf()} data-testid="do-pdf">
              保存为 PDF
            </Button>
          )}
          <Button type="primary" onClick={doPrint} data-testid="do-print">
            打印
          </Button>
        </Space>
      }
    >
      {children}
      {open && createPortal(<div className="print-area">{children}</div>, document.body)}
    </Modal>
  );
}
