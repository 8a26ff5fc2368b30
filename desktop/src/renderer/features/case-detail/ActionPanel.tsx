import { useState } from 'react';
import { Alert, Button, Form, Modal, Space, message } from 'antd';
import type { CaseDoc, CaseEventType, EventPayloads, RatingLevel } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { allowedActionsFor, applyEvents, makeEvent } from '../../domain/caseLogic';
import { useOrgUnits } from '../../hooks/useReference';
import { getBridge } from '../../../bridge/bridgeApi';
import { ActionFields } from './ActionFields';
import { ACTION_LABELS } from './actionLabels';

type FormValues = Record<string, unknown>;

const s = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * Buttons for what this role may do now (domain allowedActions), each opening a small form
 * whose rules give clear Chinese messages; nothing is written until the form is valid.
 */
export function ActionPanel({ doc }: { doc: CaseDoc }) {
  const { db, cfg, user, syncNow } = useApp();
  const org = useOrgUnits();
  const [action, setAction] = useState<CaseEventType | null>(null);
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const actions = allowedActionsFor(doc, user, [...org.byId.values()]).filter(
    (a) => a !== 'receive' && a !== 'assign',
  );
  const lastMaterials = [...doc.events]
    .reverse()
    .find((e) => e.type === 'receive' || e.type === 'forward' || e.type === 'escalate');
  const materials =
    lastMaterials && 'materials' in lastMaterials.payload ? lastMaterials.payload.materials : [];

  const payloadFor = (
    type: CaseEventType,
    v: FormValues,
  ): EventPayloads[CaseEventType] | string => {
    switch (type) {
      case 'claim':
        return {} as EventPayloads['claim'];
      case 'accept':
        return {};
      case 'forward': {
        const town = doc.townId || org.parentOf(doc.originUnitId)?.id;
        if (!town) return '找不到所属乡镇，请先联网同步组织架构';
        return { toUnitId: town, materials, ...(s(v.note) ? { note: s(v.note) } : {}) };
      }
      case 'escalate':
        if (!org.county) return '找不到县级中心，请先联网同步组织架构';
        return { toUnitId: org.county.id, materials, ...(s(v.note) ? { note: s(v.note) } : {}) };
      case 'request_assistance':
        return {
          departmentIds: v.departmentIds as string[],
          question: s(v.question),
          ...(typeof v.dueDays === 'number' ? { dueDays: v.dueDays } : {}),
        };
      case 'assistance_reply':
        return {
          departmentId: user.orgUnitId,
          opinion: s(v.opinion),
          outcome: v.outcome as 'agree' | 'disagree' | 'step_done',
        };
      case 'return_for_correction': {
        const to = user.role === 'centre_agent' ? doc.townId : doc.originUnitId;
        return { toUnitId: to, reason: s(v.reason) };
      }
      case 'suspend':
        return { reason: s(v.reason), kind: s(v.kind) };
      case 'resume':
        return s(v.note) ? { note: s(v.note) } : {};
      case 'extend':
        return {
          reason: s(v.reason),
          extraDays: v.extraDays as number,
          approverName: s(v.approverName),
        };
      case 'conclude':
        return {
          outcome: v.outcome as 'approved' | 'denied',
          opinion: s(v.opinion),
          ...(s(v.resultName) ? { resultName: s(v.resultName) } : {}),
          ...(s(v.resultNo) ? { resultNo: s(v.resultNo) } : {}),
          ...(v.validUntil
            ? {
                validUntil: (v.validUntil as { format: (f: string) => string }).format(
                  'YYYY-MM-DD',
                ),
              }
            : {}),
          deliverAtUnitId: doc.originUnitId,
        };
      case 'deliver_result':
        return {
          method: v.method as 'collected' | 'posted' | 'electronic',
          recipientName: s(v.recipientName),
        };
      case 'rate':
        return {
          level: v.level as RatingLevel,
          channel: 'window',
          realName: !!v.realName,
          ...(s(v.text) ? { text: s(v.text) } : {}),
        };
      case 'inform_missing':
        return {
          items: (v.items as string[]).map((name) => ({
            materialId: name,
            name,
            problem: s(v.problem) || '未提供',
          })),
          deadlineDays: 5,
        };
      case 'supplement':
        return {
          materials: (v.items as string[]).map((name) => ({
            materialId: materials.find((m) => m.name === name)?.materialId ?? name,
            name,
            originals: 1,
            copies: 0,
            missing: false,
          })),
        };
      case 'refuse':
        return { reason: s(v.reason), guidance: s(v.guidance), approverName: s(v.approverName) };
      case 'withdraw':
      case 'terminate':
        return { reason: s(v.reason) };
      case 'log':
        return { text: s(v.text) };
      default:
        return '暂不支持此操作';
    }
  };

  const submit = async (v: FormValues) => {
    if (!action) return;
    const payload = payloadFor(action, v);
    if (typeof payload === 'string') {
      setError(payload);
      return;
    }
    const rx = await db.cases.findOne(doc.id).exec();
    if (!rx) {
      setError('该办件已不在本设备上');
      return;
    }
    await rx.incrementalModify((old) => {
      const ev = makeEvent(old, action, payload as never, user, cfg.deviceId);
      return applyEvents(old, [ev]);
    });
    getBridge()?.setDirty(false);
    setAction(null);
    form.resetFields();
    void message.success(`已${ACTION_LABELS[action]}`);
    syncNow();
  };

  const open = (a: CaseEventType) => {
    setError(null);
    form.resetFields();
    setAction(a);
  };

  if (actions.length === 0)
    return <Alert type="info" title="当前没有您可执行的操作" data-testid="no-actions" />;

  return (
    <>
      <Space wrap data-testid="action-panel">
        {actions.map((a) => (
          <Button
            key={a}
            type={a === 'claim' || a === 'deliver_result' ? 'primary' : 'default'}
            onClick={() => open(a)}
            data-testid={`action-${a}`}
          >
            {ACTION_LABELS[a]}
          </Button>
        ))}
      </Space>
      <Modal
        open={action !== null}
        title={action ? ACTION_LABELS[action] : ''}
        onCancel={() => setAction(null)}
        onOk={() => form.submit()}
        okText="确定"
        okButtonProps={{ 'data-testid': 'action-ok' } as Record<string, string>}
        destroyOnHidden
      >
        {error && (
          <Alert type="error" title={error} style={{ marginBottom: 12 }} data-testid="form-error" />
        )}
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          onValuesChange={() => getBridge()?.setDirty(true)}
        >
          {action && <ActionFields action={action} materials={materials} />}
        </Form>
      </Modal>
    </>
  );
}
