import { Button, Modal, Space, message } from 'antd';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { printCurrent } from './printService';

/** Shows a document on screen and prints exactly that (the `.print-area` holds the copy to print). */
export function PrintPreview({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const doPrint = async () => {
    const r = await printCurrent();
    if (!r.ok) void message.error(`打印失败：${r.error ?? '未知原因'}`);
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
