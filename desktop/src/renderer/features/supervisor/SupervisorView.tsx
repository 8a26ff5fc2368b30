import { Card, Col, Row, Statistic } from 'antd';
import { DUE_SOON_WORKING_DAYS } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { usePageLimit, useRxCounts, useRxQueries, useRxQuery } from '../../hooks/useRx';
import { useDueLists } from '../../hooks/useDueLists';
import { badlyRated, openCountQueries } from '../../db/caseQueries';
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
  // 在办 is counted from the status index alone; overdue and due soon are index ranges on
  // the promised date, a page at a time (useDueLists), never every open case.
  const runningCount = useRxCounts(db.cases, openCountQueries());
  const duePage = usePageLimit(50);
  const due = useDueLists(duePage.limit);
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
            <Statistic
              title={`即将到期（${DUE_SOON_WORKING_DAYS}个工作日内）`}
              value={due.soonCount}
            />
          </Card>
        </Col>
        <Col span={6}>
          <Card>
            <Statistic
              title="已超期"
              value={due.overdueCount}
              valueStyle={{ color: due.overdueCount ? '#cf1322' : undefined }}
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
        <CaseTable cases={due.overdue} emptyText="没有超期办件" testId="overdue" />
        <LoadMore shown={due.overdue.length} limit={duePage.limit} onMore={duePage.more} />
      </Card>
      <Card title="即将到期" size="small" style={{ marginBottom: 12 }}>
        <CaseTable cases={due.soon} emptyText="没有即将到期的办件" testId="due-soon" />
        <LoadMore shown={due.soon.length} limit={duePage.limit} onMore={duePage.more} />
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
