import { useState } from 'react';
import { Button, Card, Empty, Popconfirm, Space, Table, Tag } from 'antd';
import { useApp } from '../../appContext';
import { useRxQuery } from '../../hooks/useRx';
import type { RefusalDoc } from '../../db/docTypes';
import { CASE_EVENT_LABELS_ZH as EVENT_LABELS } from '@sibantong/shared';
import { markRefusal } from './refusalActions';
import { CorrectRefusalDialog } from './CorrectRefusalDialog';
import { ProjectRefusalsCard } from '../projects/ProjectRefusalsCard';
import { chinaDateTime } from '@sibantong/shared';

/** Writes the hub refused, with its reason; nothing typed is lost — fix and resubmit, or discard. */
export function RefusalList() {
  const { db, navigate } = useApp();
  const [correcting, setCorrecting] = useState<RefusalDoc | null>(null);
  const { docs } = useRxQuery(db.refusals, { sort: [{ id: 'desc' }] });
  const open = docs.filter((d) => d.state === 'open');
  const closed = docs.filter((d) => d.state !== 'open');
  const cols = (actions: boolean) => [
    {
      title: '办件',
      key: 'no',
      render: (_: unknown, r: RefusalDoc) => (
        <Button type="link" onClick={() => navigate({ page: 'case', caseId: r.caseId })}>
          {r.provisionalNo}
        </Button>
      ),
    },
    {
      title: '被拒操作',
      key: 't',
      render: (_: unknown, r: RefusalDoc) =>
        r.refusedEventTypes.map((t) => <Tag key={t}>{EVENT_LABELS[t] ?? t}</Tag>),
    },
    {
      title: '中心服务器的理由',
      key: 'm',
      render: (_: unknown, r: RefusalDoc) => (
        <span data-testid="refusal-message">
          {r.message}（{r.code}）
        </span>
      ),
    },
    {
      title: '时间',
      key: 'c',
      render: (_: unknown, r: RefusalDoc) => chinaDateTime(r.createdAt).slice(5),
    },
    actions
      ? {
          title: '处理',
          key: 'a',
          render: (_: unknown, r: RefusalDoc) => (
            <Space>
              <Button size="small" onClick={() => setCorrecting(r)} data-testid="refusal-correct">
                修正后重新提交
              </Button>
              <Popconfirm
                title="放弃后这些操作不再上传，确定放弃？"
                onConfirm={() => void markRefusal(db, r, 'discarded')}
                okText="放弃"
                cancelText="取消"
              >
                <Button size="small" danger>
                  放弃
                </Button>
              </Popconfirm>
            </Space>
          ),
        }
      : {
          title: '结果',
          key: 's',
          render: (_: unknown, r: RefusalDoc) =>
            r.state === 'discarded' ? '已放弃' : '已重新提交',
        },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <CorrectRefusalDialog refusal={correcting} onClose={() => setCorrecting(null)} />
      <Card title={`被中心拒绝的写入（${open.length}）`} data-testid="refusal-list">
        <Table
          rowKey="id"
          size="small"
          dataSource={open}
          columns={cols(true)}
          pagination={false}
          locale={{ emptyText: <Empty description="没有被拒绝的写入，所有操作均已被中心接受" /> }}
        />
      </Card>
      <ProjectRefusalsCard />
      {closed.length > 0 && (
        <Card title="已处理" size="small">
          <Table
            rowKey="id"
            size="small"
            dataSource={closed}
            columns={cols(false)}
            pagination={false}
          />
        </Card>
      )}
    </Space>
  );
}
