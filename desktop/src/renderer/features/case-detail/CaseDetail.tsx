import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Empty, List, Space, Spin, Tag } from 'antd';
import { deriveCaseState, type CaseDoc } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { useRxDoc, useRxQuery } from '../../hooks/useRx';
import { useMatters, useOrgUnits } from '../../hooks/useReference';
import { STATUS_COLORS } from '../cases/statusColors';
import { useDeadlineViewer } from '../../hooks/useDeadlines';
import {
  CASE_STATUS_LABELS_ZH as STATUS_LABELS,
  maskIdNumber,
  maskPhone as maskPhoneNo,
  roleSeesFullIdentity,
} from '@sibantong/shared';
import { CaseTimeline } from './CaseTimeline';
import { ActionPanel } from './ActionPanel';
import { DEADLINE_COLORS, deadlineText } from '../cases/deadlineText';
import { chinaDateTime } from '@sibantong/shared';
import { CaseMaterials } from './CaseMaterials';
import { CaseDocuments, type DocumentShortcut } from '../printing/CaseDocuments';

/** The two papers of the counter, beside 打印文书 (which lists them too). */
const SHORTCUTS: readonly DocumentShortcut[] = [
  {
    id: 'acceptance-receipt',
    label: '打印受理回执',
    testId: 'detail-print-receipt',
    whenRefused: 'disable',
  },
  {
    id: 'correction-notice',
    label: '打印一次性告知单',
    testId: 'detail-print-notice',
    whenRefused: 'hide',
  },
];

export function CaseDetail({ caseId }: { caseId: string }) {
  const { db, user, navigate } = useApp();
  const { doc, loading } = useRxDoc(db.cases, caseId);
  const { docs: refusals } = useRxQuery(db.refusals, { selector: { caseId, state: 'open' } });
  const org = useOrgUnits();
  const matters = useMatters();
  const deadlineView = useDeadlineViewer();
  const [reveal, setReveal] = useState(false);
  if (loading) return <Spin />;
  if (!doc)
    return (
      <Card>
        <Empty description="该办件不在本设备上（可能已移交其他村居或不在您的办理范围内）">
          <Button onClick={() => navigate({ page: 'cases' })}>返回办件列表</Button>
        </Empty>
      </Card>
    );
  const matter = matters.byCode.get(doc.matterCode);
  const dl = deadlineView(doc);
  const left = deadlineText(doc.status, dl.daysLeft, matter);
  // The derived state, not the stored copy of the first papers: 容缺 ends when the material arrives.
  const state = deriveCaseState(doc.events);
  const full = reveal && roleSeesFullIdentity(user.role);
  const logs = doc.events.filter((e) => e.type === 'log');
  const matterName = matter?.name ?? doc.matterCode;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="case-detail">
      {refusals.map((r) => (
        <Alert
          key={r.id}
          type="error"
          showIcon
          title={`中心服务器拒绝了本设备的写入：${r.message}`}
          action={
            <Button size="small" onClick={() => navigate({ page: 'refusals' })}>
              处理
            </Button>
          }
        />
      ))}
      <Card
        title={
          <span>
            办件 <span data-testid="detail-no">{doc.provisionalNo}</span>{' '}
            <Tag color={STATUS_COLORS[doc.status]} data-testid="detail-status">
              {STATUS_LABELS[doc.status] ?? doc.status}
            </Tag>
            {state.deferred && (
              <Tag color="orange" data-testid="deferred-badge">
                容缺待补 · {state.deferred.dueDate} 前
              </Tag>
            )}
          </span>
        }
        extra={
          <Space>
            <CaseDocuments
              doc={doc as CaseDoc}
              shortcuts={SHORTCUTS}
              ctx={{
                matterName,
                unitName: org.name(user.orgUnitId),
                staffName: user.name,
                // A date reaching a year without a holiday table is an estimate, and says so on paper.
                promisedDue:
                  dl.promisedDue && `${dl.promisedDue}${dl.provisional ? '（暂估）' : ''}`,
                unitNameOf: org.name,
              }}
            />
          </Space>
        }
      >
        <Descriptions size="small" column={3} bordered>
          <Descriptions.Item label="正式编号">{doc.officialNo ?? '待中心赋号'}</Descriptions.Item>
          <Descriptions.Item label="事项">{matter?.name ?? doc.matterCode}</Descriptions.Item>
          <Descriptions.Item label="当前所在">{org.name(doc.holderUnitId)}</Descriptions.Item>
          <Descriptions.Item label="申请人">{doc.applicantName}</Descriptions.Item>
          <Descriptions.Item label="证件号">
            <span data-testid="detail-id">
              {full
                ? doc.applicant.idNumber
                : doc.applicantIdMasked || maskIdNumber(doc.applicant.idNumber ?? '')}
            </span>
            {roleSeesFullIdentity(user.role) && (
              <Button type="link" size="small" onClick={() => setReveal((r) => !r)}>
                {reveal ? '隐藏' : '显示完整'}
              </Button>
            )}
          </Descriptions.Item>
          <Descriptions.Item label="电话">
            {full ? doc.applicant.phone : maskPhoneNo(doc.applicant.phone ?? '')}
          </Descriptions.Item>
          <Descriptions.Item label="收件单位">{org.name(doc.originUnitId)}</Descriptions.Item>
          <Descriptions.Item label="协办部门">
            {doc.assistingDeptIds.map(org.name).join('、') || '—'}
          </Descriptions.Item>
          <Descriptions.Item label="代办">
            {doc.applicant.agent ? `${doc.applicant.agent.name}（已签代办委托书）` : '否'}
          </Descriptions.Item>
          <Descriptions.Item label="法定期限">{dl.legalDue ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="承诺期限">
            {dl.promisedDue ?? '—'}
            {dl.source === 'local' && <Tag style={{ marginLeft: 4 }}>本机估算</Tag>}
            {dl.provisional && (
              <Tag color="orange" style={{ marginLeft: 4 }} data-testid="deadline-provisional">
                暂估（该年节假日表未导入）
              </Tag>
            )}
          </Descriptions.Item>
          <Descriptions.Item label="剩余工作日">
            <span style={{ color: DEADLINE_COLORS[left.tone] }} data-testid="days-left">
              {left.text}
            </span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <CaseMaterials caseId={doc.id} state={state} />
      <Card title="可执行操作" size="small">
        <ActionPanel
          doc={doc as CaseDoc}
          matterName={matterName}
          unitName={org.name(doc.originUnitId)}
        />
      </Card>
      <Card title="办理过程" size="small">
        <CaseTimeline events={doc.events} />
      </Card>
      <Card title="审批工作日志" size="small">
        <List
          size="small"
          dataSource={logs}
          locale={{ emptyText: '暂无工作日志' }}
          renderItem={(e) => (
            <List.Item data-testid="log-entry">
              {chinaDateTime(e.hubTime ?? e.deviceTime)} {e.actor.name}：
              {e.type === 'log' ? e.payload.text : ''}
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}
