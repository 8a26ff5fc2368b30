import { useState } from 'react';
import { Form, Input, message, Select } from 'antd';
import {
  PROJECT_STAGE_LABELS_ZH,
  PROJECT_STAGES,
  PROJECT_STATUS_LABELS_ZH,
  PROJECT_STATUSES,
  type ProjectEventType,
  type ProjectStage,
  type ProjectStatus,
} from '@sibantong/shared';
import { useProjectWriter } from './projectWriter';
import { ProjectEventDialog } from './ProjectEventDialog';

/**
 * 调整阶段/状态 (centre): the declared stage (`set_stage`) and 推进中 / 暂缓 / 已完成 /
 * 已终止 with a reason (`set_status`). Only what changed is written; each field is offered
 * when the user may write its event.
 */
export function StageStatusDialog({
  projectId,
  stage,
  status,
  may,
  onClose,
}: {
  projectId: string;
  stage: ProjectStage;
  status: ProjectStatus;
  may: (type: ProjectEventType) => boolean;
  onClose: () => void;
}) {
  const { write, busy, error } = useProjectWriter(projectId);
  const [nextStage, setNextStage] = useState(stage);
  const [nextStatus, setNextStatus] = useState(status);
  const [reason, setReason] = useState('');
  const save = async () => {
    const stageChanged = may('set_stage') && nextStage !== stage;
    const statusChanged = may('set_status') && nextStatus !== status;
    if (!stageChanged && !statusChanged) return onClose();
    if (stageChanged) {
      if (!(await write('set_stage', { stage: nextStage }, null))) return;
    }
    if (statusChanged) {
      const payload = reason.trim()
        ? { status: nextStatus, reason: reason.trim() }
        : { status: nextStatus };
      if (!(await write('set_status', payload, null))) return;
    }
    void message.success('项目阶段和状态已保存');
    onClose();
  };
  return (
    <ProjectEventDialog
      title="调整项目阶段和状态"
      testId="stage-status-dialog"
      saveTestId="stage-status-save"
      busy={busy}
      refusal={error}
      onSave={() => void save()}
      onClose={onClose}
    >
      <Form layout="vertical">
        {may('set_stage') && (
          <Form.Item label="所处阶段">
            <Select
              data-testid="stage-select"
              value={nextStage}
              onChange={setNextStage}
              options={PROJECT_STAGES.map((s) => ({
                value: s,
                label: PROJECT_STAGE_LABELS_ZH[s],
              }))}
            />
          </Form.Item>
        )}
        {may('set_status') && (
          <>
            <Form.Item label="项目状态">
              <Select
                data-testid="status-select"
                value={nextStatus}
                onChange={setNextStatus}
                options={PROJECT_STATUSES.map((s) => ({
                  value: s,
                  label: PROJECT_STATUS_LABELS_ZH[s],
                }))}
              />
            </Form.Item>
            {nextStatus !== status && (
              <Form.Item label="调整原因">
                <Input.TextArea
                  data-testid="status-reason"
                  rows={2}
                  maxLength={500}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  placeholder="如：企业资金未到位，项目暂缓"
                />
              </Form.Item>
            )}
          </>
        )}
      </Form>
    </ProjectEventDialog>
  );
}
