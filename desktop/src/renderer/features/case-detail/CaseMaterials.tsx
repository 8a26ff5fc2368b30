import { useEffect } from 'react';
import { Card, Table, Tag, Typography } from 'antd';
import type { CaseState, MaterialReceipt } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { fetchCaseAttachments } from '../../db/attachmentSync';
import { AttachButtons } from '../attachments/AttachButtons';
import { AttachmentList } from '../attachments/AttachmentList';
import { useCaseAttachments } from '../attachments/useCaseAttachments';

/**
 * The materials as they stand now (each line's latest state): a 容缺 item is marked only while
 * it is still outstanding, so it turns 已收 as soon as the applicant brings it. Each line takes
 * scans, photos or PDFs (docs/materials.md), and the case takes files of its own (a
 * department's reply, the result); the list below is the history of every file.
 */
export function CaseMaterials({ caseId, state }: { caseId: string; state: CaseState }) {
  const { db, cfg } = useApp();
  const files = useCaseAttachments(db, caseId);
  // Files attached at other units: listed from the hub when online (bytes come when opened).
  useEffect(() => {
    fetchCaseAttachments(db, cfg, caseId).catch(() => undefined);
  }, [db, cfg, caseId]);
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
  const count = (id: string) => files.filter((f) => f.materialId === id).length;
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
          {
            title: '扫描件',
            key: 'f',
            render: (_, m) => (
              <span>
                <span data-testid={`material-files-${m.materialId}`}>{count(m.materialId)} 份</span>{' '}
                <AttachButtons
                  caseId={caseId}
                  materialId={m.materialId}
                  materialName={m.name}
                  testId={`attach-${m.materialId}`}
                />
              </span>
            ),
          },
        ]}
      />
      <div style={{ marginTop: 12 }}>
        <Typography.Text strong>办件附件</Typography.Text>{' '}
        <AttachButtons caseId={caseId} materialId={null} materialName="" testId="attach-case" />
        <AttachmentList items={files} />
      </div>
    </Card>
  );
}
