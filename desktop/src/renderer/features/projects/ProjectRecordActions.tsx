import { useState } from 'react';
import { Button, Space } from 'antd';
import type { OrgUnit, ProjectEventType, ProjectState } from '@sibantong/shared';
import { ProjectInfoDialog } from './ProjectInfoDialog';
import { StageStatusDialog } from './StageStatusDialog';
import { TargetDatesDialog } from './TargetDatesDialog';

/**
 * The centre's changes to the project itself: 设置目标日期, 调整阶段/状态, 修改项目信息.
 * Each button is shown only where `may` (the shared `mayActOnProject`) allows its event type.
 */
export function ProjectRecordActions({
  state,
  units,
  may,
}: {
  state: ProjectState;
  units: readonly OrgUnit[];
  may: (type: ProjectEventType) => boolean;
}) {
  const [open, setOpen] = useState<'target' | 'stage' | 'info' | null>(null);
  const projectId = state.projectId ?? '';
  const close = () => setOpen(null);
  const stageOrStatus = may('set_stage') || may('set_status');
  if (!state.info || !(may('set_target') || stageOrStatus || may('update_info'))) return null;
  return (
    <Space wrap style={{ marginBottom: 12 }} data-testid="project-record-actions">
      {may('set_target') && (
        <Button data-testid="project-set-target" onClick={() => setOpen('target')}>
          设置目标日期
        </Button>
      )}
      {stageOrStatus && (
        <Button data-testid="project-set-stage" onClick={() => setOpen('stage')}>
          调整阶段/状态
        </Button>
      )}
      {may('update_info') && (
        <Button data-testid="project-edit-info" onClick={() => setOpen('info')}>
          修改项目信息
        </Button>
      )}
      {open === 'target' && (
        <TargetDatesDialog projectId={projectId} targets={state.targets} onClose={close} />
      )}
      {open === 'stage' && (
        <StageStatusDialog
          projectId={projectId}
          stage={state.stage}
          status={state.status}
          may={may}
          onClose={close}
        />
      )}
      {open === 'info' && (
        <ProjectInfoDialog projectId={projectId} info={state.info} units={units} onClose={close} />
      )}
    </Space>
  );
}
