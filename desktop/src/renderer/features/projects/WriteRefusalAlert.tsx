import { Alert } from 'antd';
import type { WriteRefusal } from './projectWriter';

/** A refused project write inside its dialog: the rule's Chinese text, then its code. */
export function WriteRefusalAlert({ refusal }: { refusal: WriteRefusal | null }) {
  if (!refusal) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="project-write-error"
      title={refusal.messageZh}
      description={refusal.code ? `代码：${refusal.code}` : undefined}
    />
  );
}
