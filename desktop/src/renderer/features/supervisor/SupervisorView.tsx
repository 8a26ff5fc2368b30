import { Card, Col, Row, Statistic } from 'antd';
import { useApp } from '../../appContext';
import { usePageLimit, useRxCounts, useRxQueries, useRxQuery } from '../../hooks/useRx';
import { useMatters } from '../../hooks/useReference';
import { deadlineView } from '../../domain/deadlines';
import { allOpen, badlyRated, OPEN_STATUSES } from '../../db/caseQueries';
import { CaseTable } from '../cases/CaseTable';
import { LoadMore } from '../cases/LoadMore';
import { HubRefusalsTable } from './HubRefusalsTable';
import { TicketFollowUps } from './TicketFollowUps';

/**
 * 督办: due-soon and overdue cases, the follow-up of every 差评 (levels 4–5) and the writes
 * the hub refused across the county.
 */
export function SupervisorView() {
  const { db } = useApp();
  const matters = useMatters();
  // 在办 is counted from the status index alone; deadlines need the open cases themselves
  // (one index range on the open flag: the cases in flight, never the finished history).
  const runningCount = useRxCounts(
    db.cases,
    OPEN_STATUSES.map((status) => ({ selector: { status } })),
  );
  const { docs: running } = useRxQueries(db.cases, [allOpen()]);
  const withDl = running.map((c) => ({ c, d: deadlineView(c, matters.byCode.get(c.matterCode)) }));
  const overdue = withDl.filter((x) => x.d.daysLeft !== null && x.d.daysLeft < 0).map((x) => x.c);
  const dueSoon = withDl
    .filter((x) => x.d.daysLeft !== null && x.d.daysLeft >= 0 && x.d.daysLeft <= 3)
    .map((x) => x.c);
  const badPage = usePageLimit(50);
  const { docs: bad } = useRxQueries(db.cases, [badlyRated(badPage.limit)]);
  // 100 % follow-up is the target: count the tickets not yet closed, not the ratings.
  const { docs: tickets } = useRxQuery(db.tickets);
  const openTickets = tickets.filter((t) => t.status !== 'closed').length;
  return (
    <div data-testid="supervisor-view">
      <Row gutter={12} style={{ marginBottom: 12 }}>
        <Col span={6}>
          <Card>
            <Statistic title="在办" value={runningCount} />
          </Card>
        </Col>
        <Col span={6}>
          <Card>
            <Statistic title="即将到期（3个工作日内）" value={dueSoon.length} />
          </Card>
        </Col>
        <Col span={6}>
          <Card>
            <Statistic
              title="已超期"
              value={overdue.length}
              valueStyle={{ color: overdue.length ? '#cf1322' : undefined }}
            />
          </Card>
        </Col>
        <Col span={6}>
          <Card>
            <Statistic
              title="差评待整改"
              value={openTickets}
              valueStyle={{ color: openTickets ? '#d46b08' : undefined }}
            />
          </Card>
        </Col>
      </Row>
      <Card title="已超期" size="small" style={{ marginBottom: 12 }}>
        <CaseTable cases={overdue} emptyText="没有超期办件" />
      </Card>
      <Card title="即将到期" size="small" style={{ marginBottom: 12 }}>
        <CaseTable cases={dueSoon} emptyText="没有即将到期的办件" />
      </Card>
      <Card title="差评回访" size="small" style={{ marginBottom: 12 }}>
        <CaseTable cases={bad} emptyText="没有差评" />
        <LoadMore shown={bad.length} limit={badPage.limit} onMore={badPage.more} />
      </Card>
      <TicketFollowUps />
      <HubRefusalsTable />
    </div>
  );
}
