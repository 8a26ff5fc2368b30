import { Card, Empty } from 'antd';
import type { TicketDoc } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { useRxQuery } from '../../hooks/useRx';
import { useOnline } from '../../hooks/useOnline';
import { TicketPanel } from './TicketPanel';

/** 差评整改: open tickets first, by due date; closed ones after, so nothing is forgotten. */
export function TicketFollowUps() {
  const { db } = useApp();
  const online = useOnline();
  const { docs } = useRxQuery(db.tickets);
  // The local tickets collection holds the hub's documents untyped (schemas.ts refSchema).
  const tickets = (docs as unknown as TicketDoc[]).slice().sort((a, b) => {
    const closed = Number(a.status === 'closed') - Number(b.status === 'closed');
    return closed || a.dueDate.localeCompare(b.dueDate);
  });
  // Only the tickets' cases, by primary key.
  const caseIds = [...new Set(tickets.map((t) => t.caseId))].sort();
  const { docs: cases } = useRxQuery(db.cases, { selector: { id: { $in: caseIds } } });
  const byId = new Map(cases.map((c) => [c.id, c]));
  return (
    <Card title="差评整改" size="small" style={{ marginBottom: 12 }} data-testid="ticket-list">
      {tickets.length === 0 ? (
        <Empty description="没有差评整改工单" />
      ) : (
        tickets.map((t) => (
          <TicketPanel key={t.id} ticket={t} caseDoc={byId.get(t.caseId)} online={online} />
        ))
      )}
    </Card>
  );
}
