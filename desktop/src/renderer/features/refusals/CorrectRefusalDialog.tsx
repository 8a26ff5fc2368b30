import { useEffect, useState } from 'react';
import { Alert, Form, Modal, Tag, Typography, message } from 'antd';
import {
  createOrgDirectory,
  deriveCaseState,
  returnTargetOf,
  type CaseDoc,
  type CaseEventType,
  type EventPayloads,
} from '@sibantong/shared';
import { useApp } from '../../appContext';
import type { RefusalDoc } from '../../db/docTypes';
import { useOrgUnits } from '../../hooks/useReference';
import { ActionFields } from '../case-detail/ActionFields';
import { ACTION_LABELS } from '../case-detail/actionLabels';
import {
  FORM_ACTIONS,
  formValuesOf,
  payloadFromForm,
  type FormValues,
} from '../case-detail/eventPayload';
import { writeErrorText } from '../../db/caseWrites';
import { caseWithoutRefused, refusedEvents, resubmitCorrected } from './refusalActions';

/**
 * 修正后重新提交: the refused action's own form, filled with what was sent, to correct and send
 * again in the current user's name on top of the case as it is now. A correction that still
 * breaks a rule is shown here and nothing is written.
 */
export function CorrectRefusalDialog({
  refusal,
  onClose,
}: {
  refusal: RefusalDoc | null;
  onClose: () => void;
}) {
  const { db, user, cfg, syncNow } = useApp();
  const org = useOrgUnits();
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [current, setCurrent] = useState<CaseDoc | null>(null);
  const [gone, setGone] = useState(false);
  const events = refusal ? refusedEvents(refusal) : [];
  const first = events[0];
  const editable = first !== undefined && FORM_ACTIONS.has(first.type);

  useEffect(() => {
    setError(null);
    setGone(false);
    setCurrent(null);
    if (!refusal) return;
    // The case as it is now on this device (it may have moved on since the refusal).
    void db.cases
      .findOne(refusal.caseId)
      .exec()
      .then((d) => {
        const base = d ? (d.toMutableJSON() as CaseDoc) : caseWithoutRefused(refusal);
        setCurrent(base);
        setGone(base === null);
      });
  }, [db, refusal]);

  const submit = async (values: FormValues) => {
    if (!refusal || !first || !current) return;
    const state = deriveCaseState(current.events);
    const units = [...org.byId.values()];
    let payload: EventPayloads[CaseEventType] | string = first.payload;
    if (editable) {
      payload = payloadFromForm(first.type, values, {
        doc: current,
        org,
        user,
        materials: state.materials,
        returnTo:
          units.length > 0
            ? (returnTargetOf(state, createOrgDirectory(units), {
                caseOriginUnitId: current.originUnitId,
                caseFormerUnitIds: current.formerUnitIds,
              }) ?? undefined)
            : undefined,
      });
    }
    if (typeof payload === 'string') {
      setError(payload);
      return;
    }
    setBusy(true);
    try {
      await resubmitCorrected(db, refusal, payload, user, cfg.deviceId);
    } catch (e) {
      setError(writeErrorText(e));
      return;
    } finally {
      setBusy(false);
    }
    void message.success('已修正并重新提交，等待中心服务器确认');
    onClose();
    syncNow();
  };

  return (
    <Modal
      open={refusal !== null}
      title={
        first ? `修正后重新提交：${ACTION_LABELS[first.type] ?? first.type}` : '修正后重新提交'
      }
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="重新提交"
      confirmLoading={busy}
      okButtonProps={{ disabled: !current, ...({ 'data-testid': 'correct-ok' } as object) }}
      destroyOnHidden
    >
      {refusal && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={`中心服务器的理由：${refusal.message}`}
          description={`将以您（${user.name}）的名义，在办件当前的办理过程之后重新记录。`}
        />
      )}
      {gone && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="correct-gone"
          title="该办件已不在本设备上（已移交其他单位或不在您的办理范围内），无法重新提交；请放弃此记录"
        />
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginBottom: 12 }}
          data-testid="correct-error"
        />
      )}
      {first && current && (
        <Form
          form={form}
          layout="vertical"
          initialValues={formValuesOf(first)}
          onFinish={(v) => void submit(v)}
          onValuesChange={() => setError(null)}
        >
          {editable ? (
            <ActionFields
              action={first.type}
              materials={deriveCaseState(current.events).materials}
            />
          ) : (
            <Typography.Paragraph>
              此操作没有可修改的内容，将按原内容重新提交。
            </Typography.Paragraph>
          )}
        </Form>
      )}
      {events.length > 1 && (
        <p>
          随后一并重新提交：
          {events.slice(1).map((e) => (
            <Tag key={e.id}>{ACTION_LABELS[e.type] ?? e.type}</Tag>
          ))}
        </p>
      )}
    </Modal>
  );
}
