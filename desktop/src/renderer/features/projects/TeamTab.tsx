import { useState } from 'react';
import { Button, Descriptions, Space, Table, Tag } from 'antd';
import {
  MEMBER_DUTY_OF_ROLE,
  ROLE_LABELS_ZH,
  type OrgDirectory,
  type ProjectState,
  type TeamMember,
} from '@sibantong/shared';
import { TeamPicker } from './TeamPicker';

/** 1+1+N: one leadership member, one lead 代办员, N members across levels. */
export function TeamTab({
  state,
  org,
  canEdit = false,
}: {
  state: ProjectState;
  org: OrgDirectory | undefined;
  /** The centre may (re)build the team (set_team). */
  canEdit?: boolean;
}) {
  const team = state.team;
  const [editing, setEditing] = useState(false);
  if (editing && state.projectId) {
    return <TeamPicker projectId={state.projectId} team={team} onDone={() => setEditing(false)} />;
  }
  const edit = canEdit && (
    <Button data-testid="team-edit" onClick={() => setEditing(true)}>
      {team ? '调整服务团队' : '组建服务团队'}
    </Button>
  );
  if (!team)
    return (
      <Space>
        <Tag>尚未组建服务团队（由中心代办员组建）</Tag>
        {edit}
      </Space>
    );
  return (
    <div data-testid="project-team">
      {edit && <div style={{ marginBottom: 12 }}>{edit}</div>}
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label="班子成员（1）">
          {team.leader ? `${team.leader.name}（${ROLE_LABELS_ZH[team.leader.role]}）` : '未指定'}
        </Descriptions.Item>
        <Descriptions.Item label="牵头代办员（1）">{team.lead.name}</Descriptions.Item>
      </Descriptions>
      <Table<TeamMember>
        style={{ marginTop: 12 }}
        size="small"
        rowKey="userId"
        pagination={false}
        dataSource={team.members}
        columns={[
          { title: `服务团队成员（N = ${team.members.length}）`, dataIndex: 'name' },
          {
            title: '职责',
            key: 'duty',
            render: (_, m) => MEMBER_DUTY_OF_ROLE[m.role] ?? ROLE_LABELS_ZH[m.role],
          },
          {
            title: '单位',
            key: 'unit',
            render: (_, m) => org?.unit(m.orgUnitId)?.name ?? m.orgUnitId,
          },
        ]}
      />
    </div>
  );
}
