import { useState } from 'react';
import { Alert, Button, Form, Input, Radio, message } from 'antd';
import {
  CALL_BACK_LABELS,
  CALL_BACK_RESULTS,
  TICKET_NOTE_MAX,
  TICKET_STATUS_LABELS,
  checkTicketStep,
  nextTicketStatus,
  ticketStepsAllowedFor,
  type CallBackResult,
  type TicketDoc,
} from '@sibantong/shared';
import { HubError } from '../../api/hubClient';
import { useApp } from '../../appContext';
import { recordTicketStep } from './supervisorApi';

/**
 * Records the next follow-up step. Online only: a step is a hub-side record checked against
 * the ticket as the hub holds it, so queuing it offline could only end in a later refusal.
 * The form runs the same shared rule as the hub first, so typing mistakes never reach it.
 */
export function TicketStepForm({
  ticket,
  online,
  onRecorded,
}: {
  ticket: TicketDoc;
  online: boolean;
  onRecorded: (t: TicketDoc) => void;
}) {
  const { cfg, user, syncNow } = useApp();
  const [note, setNote] = useState('');
  const [callBack, setCallBack] = useState<CallBackResult | undefined>(undefined);
  const [errors, setErrors] = useState<{ note?: string; callBack?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const next = nextTicketStatus(ticket.status);
  if (next === null || !ticketStepsAllowedFor(user.role).includes(next)) return null;
  const label = TICKET_STATUS_LABELS[next];

  const submit = async () => {
    const input = { status: next, note, ...(callBack ? { callBackResult: callBack } : {}) };
    const checked = checkTicketStep(ticket.status, input, user.role);
    if (!checked.ok) {
      if (checked.code.startsWith('TICKET_NOTE')) setErrors({ note: checked.messageZh });
      else if (checked.code.startsWith('TICKET_CALLBACK'))
        setErrors({ callBack: checked.messageZh });
      else setErrors({ form: checked.messageZh });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const res = await recordTicketStep(cfg, ticket.id, checked.value);
      setNote('');
      setCallBack(undefined);
      void message.success(`已登记「${label}」`);
      onRecorded(res.ticket);
      syncNow();
    } catch (e) {
      const msg =
        e instanceof HubError
          ? e.unreachable
            ? '无法连接中心服务器，整改步骤未登记，请联网后重试'
            : `${e.message}（${e.code}）`
          : '登记失败，请重试';
      setErrors({ form: msg });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form layout="vertical" data-testid="ticket-step-form" onFinish={() => void submit()}>
      {!online && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="ticket-offline"
          message="当前离线：整改步骤保存在中心服务器上，联网后才能登记。"
        />
      )}
      <Form.Item
        label={`登记「${label}」情况说明`}
        validateStatus={errors.note ? 'error' : undefined}
        help={errors.note}
      >
        <Input.TextArea
          aria-label="情况说明"
          data-testid="ticket-note"
          rows={2}
          maxLength={TICKET_NOTE_MAX}
          showCount
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Form.Item>
      {next === 'closed' && (
        <Form.Item
          label="回访结果"
          validateStatus={errors.callBack ? 'error' : undefined}
          help={errors.callBack}
        >
          <Radio.Group
            data-testid="ticket-callback"
            value={callBack}
            onChange={(e) => setCallBack(e.target.value as CallBackResult)}
            options={CALL_BACK_RESULTS.map((r) => ({ value: r, label: CALL_BACK_LABELS[r] }))}
          />
        </Form.Item>
      )}
      {errors.form && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="ticket-error"
          message={errors.form}
        />
      )}
      <Button
        type="primary"
        htmlType="submit"
        loading={busy}
        disabled={!online}
        data-testid="ticket-submit"
      >
        {next === 'closed' ? '登记回访并办结' : `登记${label}`}
      </Button>
    </Form>
  );
}
