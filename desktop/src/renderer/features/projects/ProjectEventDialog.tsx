import type { ReactNode } from 'react';
import { Button, Modal } from 'antd';
import type { WriteRefusal } from './projectWriter';
import { WriteRefusalAlert } from './WriteRefusalAlert';

/**
 * The frame every project editing dialog shares, so that they all behave alike: 取消 and
 * 保存 (spinning while the write runs), and the hub's or the shared rule's refusal above
 * the dialog's own fields, where the user is about to correct them. What the fields are and
 * which events a save writes stays with each dialog (it passes `useProjectWriter`'s
 * `busy` and `error`).
 */
export function ProjectEventDialog({
  title,
  testId,
  saveTestId,
  busy,
  refusal,
  saveDisabled = false,
  width,
  onSave,
  onClose,
  children,
}: {
  title: string;
  /** On the dialog's body; `saveTestId` on its 保存 button. */
  testId: string;
  saveTestId: string;
  busy: boolean;
  refusal: WriteRefusal | null;
  saveDisabled?: boolean;
  /** Antd's default (520) when left out. */
  width?: number;
  onSave: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      destroyOnHidden
      width={width}
      footer={[
        <Button key="cancel" onClick={onClose}>
          取消
        </Button>,
        <Button
          key="save"
          type="primary"
          data-testid={saveTestId}
          disabled={saveDisabled}
          loading={busy}
          onClick={onSave}
        >
          保存
        </Button>,
      ]}
    >
      <div data-testid={testId}>
        <WriteRefusalAlert refusal={refusal} />
        {children}
      </div>
    </Modal>
  );
}
