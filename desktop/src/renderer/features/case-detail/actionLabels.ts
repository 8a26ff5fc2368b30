import type { CaseEventType } from '@sibantong/shared';
import { CASE_EVENT_LABELS_ZH as EVENT_LABELS } from '@sibantong/shared';

/** Button and dialog titles: the event's name, or the verb staff use for it. */
export const ACTION_LABELS: Partial<Record<CaseEventType, string>> = {
  ...EVENT_LABELS,
  forward: '转办镇街',
  escalate: '上报县中心',
  return_for_correction: '退回补正',
  deliver_result: '送达结果',
  log: '写工作日志',
};
