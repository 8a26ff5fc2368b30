import { useState } from 'react';
import { Button, Card, Space, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import {
  CALL_BACK_LABELS,
  TICKET_STATUS_LABELS,
  type CaseDoc,
  type TicketDoc,
} from '@sibantong/shared';
import { useApp } from '../../appContext';
import { useCalendar } from '../../hooks/useReference';
import { RATING_LABELS_ZH as RATING_LABELS } from '@sibantong/shared';
import { TicketStepForm } from './TicketStepForm';
import { ticketDeadline } from './ticketDeadline';

/** One 差评 follow-up: the case, the deadline, the steps so far and the next step's form. */
export function TicketPanel({
  ticket: synced,
  caseDoc,
  online,
}: {
  ticket: TicketDoc;
  caseDoc: CaseDoc | undefined;
  online: boolean;
}) {
  const { navigate } = useApp();
  // The hub's answer shows at once; the pulled copy takes over as soon as it has caught up.
  const [answered, setAnswered] = useState<TicketDoc | null>(null);
  const ticket = answered && answered.steps.length > synced.steps.length ? answered : synced;
  const calendar = useCalendar();
  const dl = ticketDeadline(ticket, calendar);
  return (
    <Card
      size="small"
      style={{ marginBottom: 8 }}
      data-testid="ticket-panel"
      data-ticket-id={ticket.id}
      title={
        <Space wrap>
          <Button
            type="link"
            style={{ padding: 0 }}
            onClick={() => navigate({ page: 'case', caseId: ticket.caseId })}
          >
            {caseDoc?.officialNo ?? caseDoc?.provisionalNo ?? ticket.caseId}
          </Button>
          <Tag color="red">{RATING_LABELS[ticket.level]}</Tag>
          <Tag color={ticket.status === 'closed' ? 'green' : 'orange'} data-testid="ticket-status">
            {TICKET_STATUS_LABELS[ticket.status]}
          </Tag>
        </Space>
      }
      extra={
        <span
          data-testid="ticket-deadline"
          style={{ color: dl.overdue ? '#cf1322' : undefined, fontWeight: dl.overdue ? 600 : 400 }}
        >
          期限 {ticket.dueDate}（{dl.label}）
        </span>
      }
    >
      {ticket.steps.length === 0 ? (
        <Typography.Paragraph type="secondary">尚未登记整改步骤</Typography.Paragraph>
      ) : (
        <Timeline
          data-testid="ticket-steps"
          items={ticket.steps.map((s, i) => ({
            key: i,
            color: s.status === 'closed' ? 'green' : 'blue',
            children: (
              <span>
                <b>{TICKET_STATUS_LABELS[s.status]}</b> · {s.byName} ·{' '}
                {dayjs(s.at).format('YYYY-MM-DD HH:mm')}：{s.note}
                {s.callBackResult && `（回访结果：${CALL_BACK_LABELS[s.callBackResult]}）`}
              </span>
            ),
          }))}
        />
      )}
      <TicketStepForm ticket={ticket} online={online} onRecorded={setAnswered} />
    </Card>
  );
}
