import { useEffect, useState } from 'react';
import { Alert, Button, Form, Select, Space } from 'antd';
import {
  MEMBER_DUTY_OF_ROLE,
  PROJECT_TEAM_CANDIDATES_PATH,
  ROLE_LABELS_ZH,
  type ProjectTeam,
  type TeamCandidate,
  type TeamCandidatesResponse,
  type TeamMember,
} from '@sibantong/shared';
import { useApp } from '../../appContext';
import { authedFetch } from '../../sync/hubSession';
import { useProjectWriter } from './projectWriter';

const asMember = (c: TeamCandidate): TeamMember => ({
  userId: c.userId,
  name: c.name,
  role: c.role,
  orgUnitId: c.orgUnitId,
});

const label = (c: TeamCandidate) =>
  `${c.name}（${MEMBER_DUTY_OF_ROLE[c.role] ?? ROLE_LABELS_ZH[c.role]}，${c.unitName}）`;

/**
 * 组建服务团队 (1+1+N) for the centre: the people come from the hub's list of the county's
 * users that fit a slot (GET /api/projects/team-candidates), so this needs the network; the
 * team itself is written as a `set_team` event (offline-safe once picked) and judged again
 * by the hub.
 */
export function TeamPicker({
  projectId,
  team,
  onDone,
}: {
  projectId: string;
  team: ProjectTeam | null;
  onDone: () => void;
}) {
  const { cfg } = useApp();
  const { write, busy } = useProjectWriter(projectId);
  const [candidates, setCandidates] = useState<TeamCandidate[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [leader, setLeader] = useState<string | undefined>(team?.leader?.userId);
  const [lead, setLead] = useState<string | undefined>(team?.lead.userId);
  const [members, setMembers] = useState<string[]>(team?.members.map((m) => m.userId) ?? []);

  useEffect(() => {
    let live = true;
    authedFetch<TeamCandidatesResponse>(cfg, PROJECT_TEAM_CANDIDATES_PATH)
      .then((r) => live && setCandidates(r.candidates))
      .catch(() => live && setError('无法从中心获取人员名单，请联网后再组建团队'));
    return () => {
      live = false;
    };
  }, [cfg]);

  if (error) return <Alert type="warning" showIcon title={error} data-testid="team-picker-error" />;
  if (!candidates) return <Alert type="info" title="正在获取本县人员名单…" />;
  const byId = new Map(candidates.map((c) => [c.userId, c]));
  const options = (slot: TeamCandidate['slots'][number]) =>
    candidates
      .filter((c) => c.slots.includes(slot))
      .map((c) => ({ value: c.userId, label: label(c) }));

  const save = async () => {
    const leadC = lead ? byId.get(lead) : undefined;
    if (!leadC) return;
    const leaderC = leader ? byId.get(leader) : undefined;
    const ok = await write(
      'set_team',
      {
        leader: leaderC ? asMember(leaderC) : null,
        lead: asMember(leadC),
        members: members
          .filter((id) => id !== lead)
          .flatMap((id) => {
            const c = byId.get(id);
            return c ? [asMember(c)] : [];
          }),
      },
      '服务团队已保存',
    );
    if (ok) onDone();
  };

  return (
    <Form layout="vertical" data-testid="team-picker" style={{ maxWidth: 720 }}>
      <Form.Item label="班子成员（1）：县、镇（街道）领导岗位人员，查看项目、接收预警">
        <Select
          data-testid="team-leader"
          allowClear
          showSearch
          optionFilterProp="label"
          value={leader}
          onChange={setLeader}
          options={options('leader')}
        />
      </Form.Item>
      <Form.Item label="牵头代办员（1）：中心代办员" required>
        <Select
          data-testid="team-lead"
          showSearch
          optionFilterProp="label"
          value={lead}
          onChange={setLead}
          options={options('lead')}
        />
      </Form.Item>
      <Form.Item label="团队成员（N）：镇街领办员、村居帮办员、部门协办员、其他中心代办员">
        <Select
          data-testid="team-members"
          mode="multiple"
          showSearch
          optionFilterProp="label"
          value={members}
          onChange={setMembers}
          options={options('member').filter((o) => o.value !== lead)}
        />
      </Form.Item>
      <Space>
        <Button
          type="primary"
          data-testid="team-save"
          disabled={!lead}
          loading={busy}
          onClick={() => void save()}
        >
          保存服务团队
        </Button>
        <Button onClick={onDone}>取消</Button>
      </Space>
    </Form>
  );
}
