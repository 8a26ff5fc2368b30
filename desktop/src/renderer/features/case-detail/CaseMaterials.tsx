import { Card, Table, Tag } from 'antd';
import type { CaseState, MaterialReceipt } from '@sibantong/shared';

/**
 * The materials as they stand now (each line's latest state): a 容缺 item is marked only while
 * it is still outstanding, so it turns 已收 as soon as the applicant brings it.
 */
export function CaseMaterials({ state }: { state: CaseState }) {
  const outstanding = new Set(state.deferred?.materialIds ?? []);
  const status = (m: MaterialReceipt) =>
    outstanding.has(m.materialId) ? (
      <Tag color="orange" data-testid="material-deferred">
        容缺待补（{state.deferred?.dueDate} 前）
      </Tag>
    ) : m.missing ? (
      <Tag color="red">缺</Tag>
    ) : (
      <Tag color="green">已收</Tag>
    );
  return (
    <Card title="材料" size="small" data-testid="case-materials">
      <Table<MaterialReceipt>
        size="small"
        rowKey="materialId"
        pagination={false}
        dataSource={state.materials}
        locale={{ emptyText: '无材料记录' }}
        columns={[
          { title: '材料', dataIndex: 'name' },
          { title: '原件', dataIndex: 'originals' },
          { title: '复印件', dataIndex: 'copies' },
          { title: '状态', key: 's', render: (_, m) => status(m) },
        ]}
      />
    </Card>
  );
}
