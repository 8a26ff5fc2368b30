import { useMemo, useState } from 'react';
import { Alert, Button, Card, Table, Typography } from 'antd';
import {
  deriveProjectState,
  PROJECT_CATEGORY_LABELS_ZH,
  PROJECT_STAGE_LABELS_ZH,
  PROJECT_STATUS_LABELS_ZH,
} from '@sibantong/shared';
import { useApp } from '../../appContext';
import {
  rankProjects,
  todayChina,
  useLinkedCases,
  useProjectDocs,
  useProjectRefs,
  type RankedProject,
} from './useProjects';
import { RiskTag } from './riskTag';
import { REGISTER_ROLES, RegisterProjectForm } from './RegisterProjectForm';

/**
 * 重点项目: every project this user may see (the hub sends only those: the centre, the
 * leadership member and the supervisor see the county's or their own; a town lead and a village
 * helper the projects sited in their area), riskiest first, ranked by the shared risk rule.
 */
export function ProjectList() {
  const { db, navigate, user } = useApp();
  const refs = useProjectRefs(db);
  const { docs, loading } = useProjectDocs(db);
  const states = useMemo(() => docs.map((d) => deriveProjectState(d.events)), [docs]);
  const cases = useLinkedCases(db, states);
  const ranked = useMemo(
    () => (refs ? rankProjects(docs, cases, todayChina(), refs.calendar, states) : []),
    [docs, cases, refs, states],
  );
  const area = user.role === 'town_lead' || user.role === 'village_helper';
  const [registering, setRegistering] = useState(false);
  const mayRegister = (REGISTER_ROLES as readonly string[]).includes(user.role);
  return (
    <Card
      title={area ? '本辖区重点项目' : '重点项目（按风险排序）'}
      data-testid="project-list"
      extra={
        mayRegister && (
          <Button
            type="primary"
            onClick={() => setRegistering(true)}
            data-testid="register-project"
          >
            登记项目
          </Button>
        )
      }
    >
      <RegisterProjectForm
        open={registering}
        onClose={() => setRegistering(false)}
        units={refs?.units ?? []}
      />
      {ranked.length === 0 && !loading && refs && (
        <Alert type="info" showIcon message="本设备上还没有您可查看的重点项目（联网同步后显示）" />
      )}
      <Table<RankedProject>
        rowKey={(r) => r.doc.id}
        loading={loading || !refs}
        dataSource={ranked}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        size="middle"
        onRow={(r) => ({
          onClick: () => navigate({ page: 'project', projectId: r.doc.id }),
          style: { cursor: 'pointer' },
          'data-testid': `project-row-${r.doc.id}`,
        })}
        columns={[
          {
            title: '风险',
            key: 'risk',
            width: 150,
            render: (_, r) => <RiskTag risk={r.risk} />,
          },
          {
            title: '项目名称',
            key: 'name',
            render: (_, r) => <Typography.Text strong>{r.doc.name}</Typography.Text>,
          },
          {
            title: '类别',
            key: 'category',
            width: 100,
            render: (_, r) => PROJECT_CATEGORY_LABELS_ZH[r.doc.category],
          },
          {
            title: '阶段',
            key: 'stage',
            width: 150,
            render: (_, r) => PROJECT_STAGE_LABELS_ZH[r.doc.stage],
          },
          {
            title: '状态',
            key: 'status',
            width: 80,
            render: (_, r) => PROJECT_STATUS_LABELS_ZH[r.doc.status],
          },
          {
            title: '最小余量',
            key: 'slack',
            width: 110,
            render: (_, r) => (r.risk.slackDays === null ? '—' : `${r.risk.slackDays} 个工作日`),
          },
          {
            title: '督办提示',
            key: 'warning',
            render: (_, r) =>
              r.risk.messageZh ? (
                <Typography.Text type="danger">{r.risk.messageZh}</Typography.Text>
              ) : (
                ''
              ),
          },
        ]}
      />
    </Card>
  );
}
