import { useState } from 'react';
import { Alert, Button, Form, Modal, Space, Tooltip, Typography, message } from 'antd';
import type { CaseDoc, CaseEventType } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { appendCaseEvents, makeEvent, writeErrorText } from '../../db/caseWrites';
import { useOrgUnits } from '../../hooks/useReference';
import { getBridge } from '../../../bridge/bridgeApi';
import { ActionFields } from './ActionFields';
import { ACTION_LABELS } from './actionLabels';
import { payloadFromForm, type FormValues } from './eventPayload';
import { useCaseOffers } from './useCaseOffers';
import { CitizenRatingButton } from '../rating/CitizenRatingButton';

/**
 * Buttons for what this user may do now (shared availableActions): the ones the rules refuse
 * for a reason that will pass are shown disabled, with the reason written beside them. Each
 * button opens a small form whose rules give Chinese messages; a write the rules refuse is
 * shown in the form, never dropped silently.
 */
export function ActionPanel({
  doc,
  matterName,
  unitName,
}: {
  doc: CaseDoc;
  matterName: string;
  unitName: string;
}) {
  const { db, cfg, user, syncNow } = useApp();
  const org = useOrgUnits();
  const { state, offers, rateOffer } = useCaseOffers(doc, user, org);
  const [action, setAction] = useState<CaseEventType | null>(null);
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const materials = state.materials;
  const returnTo = offers.find((o) => o.type === 'return_for_correction')?.toUnitId;

  const submit = async (v: FormValues) => {
    if (!action) return;
    const payload = payloadFromForm(action, v, { doc, org, user, materials, returnTo });
    if (typeof payload === 'string') {
      setError(payload);
      return;
    }
    setBusy(true);
    try {
      await appendCaseEvents(db, doc.id, { actor: user, deviceId: cfg.deviceId }, (current) => [
        makeEvent(current, action, payload as never, user, cfg.deviceId),
      ]);
    } catch (e) {
      setError(writeErrorText(e));
      return;
    } finally {
      setBusy(false);
    }
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

  if (offers.length === 0 && !rateOffer?.enabled)
    return <Alert type="info" title="当前没有您可执行的操作" data-testid="no-actions" />;

  const blocked = offers.filter((o) => !o.enabled);
  return (
    <>
      <Space wrap data-testid="action-panel">
        {rateOffer?.enabled && (
          <CitizenRatingButton doc={doc} matterName={matterName} unitName={unitName} />
        )}
        {offers.map((o) => {
          const button = (
            <Button
              key={o.type}
              type={o.type === 'claim' || o.type === 'deliver_result' ? 'primary' : 'default'}
              disabled={!o.enabled}
              onClick={() => open(o.type)}
              data-testid={`action-${o.type}`}
            >
              {ACTION_LABELS[o.type]}
            </Button>
          );
          return o.enabled ? (
            button
          ) : (
            <Tooltip key={o.type} title={o.reasonZh}>
              {/* A disabled button swallows hover: the span carries the tooltip. */}
              <span>{button}</span>
            </Tooltip>
          );
        })}
      </Space>
      {blocked.length > 0 && (
        <ul style={{ margin: '8px 0 0', paddingLeft: 20 }} data-testid="action-reasons">
          {blocked.map((o) => (
            <li key={o.type} data-testid={`action-reason-${o.type}`}>
              <Typography.Text type="secondary">
                暂不能{ACTION_LABELS[o.type]}：{o.reasonZh}
              </Typography.Text>
            </li>
          ))}
        </ul>
      )}
      <Modal
        open={action !== null}
        title={action ? ACTION_LABELS[action] : ''}
        onCancel={() => setAction(null)}
        onOk={() => form.submit()}
        okText="确定"
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'action-ok' } as Record<string, string>}
        destroyOnHidden
      >
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 12 }}
            data-testid="form-error"
          />
        )}
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          onValuesChange={() => {
            // The banner describes the last attempt: once the fields change it no longer applies.
            setError(null);
            getBridge()?.setDirty(true);
          }}
        >
          {action && <ActionFields action={action} materials={materials} />}
        </Form>
      </Modal>
    </>
  );
}
