import { Button, Empty, Table, Tag } from 'antd';
import type { CaseDoc } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { CASE_STATUS_LABELS_ZH as STATUS_LABELS } from '@sibantong/shared';
import { STATUS_COLORS } from './statusColors';
import { useMatters, useOrgUnits } from '../../hooks/useReference';
import { useDeadlineViewer } from '../../hooks/useDeadlines';
import { DEADLINE_COLORS, deadlineText } from './deadlineText';

export function CaseTable({
  cases,
  emptyText,
  testId,
}: {
  cases: CaseDoc[];
  emptyText: string;
  testId?: string;
}) {
  const { navigate } = useApp();
  const org = useOrgUnits();
  const matters = useMatters();
  const deadlineView = useDeadlineViewer();
  return (
    <Table<CaseDoc>
      data-testid={testId}
      size="small"
      rowKey="id"
      dataSource={cases}
      pagination={cases.length > 20 ? { pageSize: 20 } : false}
      locale={{ emptyText: <Empty description={emptyText} /> }}
      onRow={(c) => ({ onDoubleClick: () => navigate({ page: 'case', caseId: c.id }) })}
      columns={[
        {
          title: '办件编号',
          key: 'no',
          render: (_, c) => (
            <span data-testid="case-no">
              {c.provisionalNo}
              {c.officialNo && (
                <div style={{ color: '#888', fontSize: 12 }}>正式号 {c.officialNo}</div>
              )}
            </span>
          ),
        },
        {
          title: '事项',
          key: 'matter',
          render: (_, c) => matters.byCode.get(c.matterCode)?.name ?? c.matterCode,
        },
        { title: '申请人', dataIndex: 'applicantName' },
        {
          title: '状态',
          key: 'status',
          render: (_, c) => (
            <Tag color={STATUS_COLORS[c.status]}>{STATUS_LABELS[c.status] ?? c.status}</Tag>
          ),
        },
        { title: '所在单位', key: 'holder', render: (_, c) => org.name(c.holderUnitId) },
        {
          title: '承诺期限',
          key: 'due',
          render: (_, c) => {
            const matter = matters.byCode.get(c.matterCode);
            const d = deadlineView(c);
            const left = deadlineText(c.status, d.daysLeft, matter);
            if (!d.promisedDue) return left.text;
            return (
              <span style={{ color: DEADLINE_COLORS[left.tone] }} data-testid="case-due">
                {d.promisedDue}
                {d.provisional ? '（暂估）' : ''}（{left.text}）
              </span>
            );
          },
        },
        {
          title: '操作',
          key: 'op',
          render: (_, c) => (
            <Button
              size="small"
              type="link"
              onClick={() => navigate({ page: 'case', caseId: c.id })}
              data-testid={`open-${c.provisionalNo}`}
            >
              查看
            </Button>
          ),
        },
      ]}
    />
  );
}
