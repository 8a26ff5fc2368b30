import { useEffect, useState } from 'react';
import { Alert, Button, Card, Table, Typography } from 'antd';
import {
  PROJECT_CATEGORY_LABELS_ZH,
  PROJECT_STAGE_LABELS_ZH,
  PROJECT_STATUS_LABELS_ZH,
} from '@sibantong/shared';
import { useApp } from '../../appContext';
import type { StoredProject } from '../../db/projectLocalFields';
import { refreshProjectRisks } from '../../db/projectRiskRefresh';
import { PROJECT_LIST_PAGE, useRankedProjects } from './useRankedProjects';
import { useProjectRefs } from './useProjects';
import { RiskTag } from './riskTag';
import { REGISTER_ROLES, RegisterProjectForm } from './RegisterProjectForm';

/**
 * 重点项目: every project this user may see (the hub sends only those: the centre, the
 * leadership member and the supervisor see the county's or their own; a town lead and a village
 * helper the projects sited in their area), riskiest first, ranked by the shared risk rule.
 * The order is the stored `riskKey` (db/projectLocalFields.ts): the list is one sorted page
 * read on its index, so it opens at once with 2,000 projects; the risks are brought up to
 * date (the day, linked cases) in the background after it shows.
 */
export function ProjectList() {
  const { db, navigate, user } = useApp();
  const [limit, setLimit] = useState(PROJECT_LIST_PAGE);
  const { docs: ranked, total, loading } = useRankedProjects(db, limit);
  useEffect(() => {
    const t = setTimeout(() => void refreshProjectRisks(db).catch(() => undefined), 200);
    return () => clearTimeout(t);
  }, [db]);
  const refs = useProjectRefs(db); // the register form's site options
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
      {ranked.length === 0 && !loading && (
        <Alert type="info" showIcon message="本设备上还没有您可查看的重点项目（联网同步后显示）" />
      )}
      <Table<StoredProject>
        rowKey={(r) => r.id}
        loading={loading}
        dataSource={ranked}
        pagination={false}
        size="middle"
        onRow={(r) => ({
          onClick: () => navigate({ page: 'project', projectId: r.id }),
          style: { cursor: 'pointer' },
          'data-testid': `project-row-${r.id}`,
        })}
        footer={
          total > ranked.length
            ? () => (
                <Button
                  data-testid="project-list-more"
                  onClick={() => setLimit((l) => l + PROJECT_LIST_PAGE)}
                >
                  显示更多（共 {total} 个项目，已显示 {ranked.length} 个）
                </Button>
              )
            : undefined
        }
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
            render: (_, r) => <Typography.Text strong>{r.name}</Typography.Text>,
          },
          {
            title: '类别',
            key: 'category',
            width: 100,
            render: (_, r) => PROJECT_CATEGORY_LABELS_ZH[r.category],
          },
          {
            title: '阶段',
            key: 'stage',
            width: 150,
            render: (_, r) => PROJECT_STAGE_LABELS_ZH[r.stage],
          },
          {
            title: '状态',
            key: 'status',
            width: 80,
            render: (_, r) => PROJECT_STATUS_LABELS_ZH[r.status],
          },
          {
            title: '最小余量',
            key: 'slack',
            width: 110,
            render: (_, r) =>
              r.risk?.slackDays === null || !r.risk ? '—' : `${r.risk.slackDays} 个工作日`,
          },
          {
            title: '督办提示',
            key: 'warning',
            render: (_, r) =>
              r.risk?.messageZh ? (
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
