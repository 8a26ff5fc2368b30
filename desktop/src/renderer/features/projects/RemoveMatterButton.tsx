import { useState } from 'react';
import { Button, Input, Popconfirm } from 'antd';
import type { ProjectMatter } from '@sibantong/shared';
import { useProjectWriter } from './projectWriter';

/**
 * 移出清单 (centre): `remove_matter` with the reason the centre gives, after a confirm. Edges
 * into the matter go with it (the fold drops them), so the flow chart and the timetable
 * follow. A matter with a linked case cannot be removed (PROJECT_MATTER_HAS_CASE): the
 * button is not offered for it.
 */
export function RemoveMatterButton({
  projectId,
  matter,
}: {
  projectId: string;
  matter: ProjectMatter;
}) {
  const { write, busy } = useProjectWriter(projectId);
  const [reason, setReason] = useState('');
  return (
    <Popconfirm
      title={`将“${matter.name}”移出审批事项清单？`}
      description={
        <Input
          data-testid={`matter-remove-reason-${matter.matterKey}`}
          placeholder="移出原因（必填），如：本项目不涉及"
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      }
      okText="移出"
      cancelText="取消"
      okButtonProps={{ danger: true, disabled: reason.trim() === '', loading: busy }}
      onConfirm={() =>
        write(
          'remove_matter',
          { matterKey: matter.matterKey, reason: reason.trim() },
          `已移出：${matter.name}`,
        ).then(() => undefined)
      }
    >
      <Button size="small" danger type="link" data-testid={`matter-remove-${matter.matterKey}`}>
        移出
      </Button>
    </Popconfirm>
  );
}
