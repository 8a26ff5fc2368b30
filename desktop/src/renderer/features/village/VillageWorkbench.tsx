import { Button, Card, Col, Row, Statistic } from 'antd';
import { chinaDate } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { usePageLimit, useRxQueries, useRxQuery } from '../../hooks/useRx';
import { useDueLists } from '../../hooks/useDueLists';
import { heldByStatuses, TO_DELIVER_STATUSES, touchedSince } from '../../db/caseQueries';
import { CaseTable } from '../cases/CaseTable';
import { LoadMore } from '../cases/LoadMore';

/** 村居帮办 workbench: what needs doing today, at a glance. */
export function VillageWorkbench() {
  const { db, user, navigate } = useApp();
  const page = usePageLimit(50);
  const { docs: refusals } = useRxQuery(db.refusals, { selector: { state: 'open' } });
  const today = chinaDate(new Date());
  const isMine = (c: { originUnitId: string; holderUnitId: string }) =>
    c.originUnitId === user.orgUnitId || c.holderUnitId === user.orgUnitId;
  // Received today: a case received here today was last updated today too
  // (index originUnitId+recency: only this village's cases touched today).
  const { docs: touchedToday } = useRxQueries(db.cases, [touchedSince(today, user.orgUnitId)]);
  const todays = touchedToday.filter(
    (c) => isMine(c) && !!c.events[0] && chinaDate(c.events[0].deviceTime) === today,
  );
  // Held here, by status: exact index ranges (holder+status+recency), one page each.
  const { docs: returned } = useRxQueries(
    db.cases,
    heldByStatuses(user.orgUnitId, ['correction_required'], page.limit),
  );
  const { docs: toDeliver } = useRxQueries(
    db.cases,
    heldByStatuses(user.orgUnitId, TO_DELIVER_STATUSES, page.limit),
  );
  // Due within 3 working days, overdue ones first: index ranges on the promised date.
  const due = useDueLists(page.limit);
  const dueSoon = [...due.overdue, ...due.soon];
  const dueCount = due.overdueCount + due.soonCount;
  return (
    <div data-testid="village-workbench">
      <Row gutter={12} style={{ marginBottom: 12 }}>
        <Col span={4}>
          <Card>
            <Statistic title="今日收件" value={todays.length} />
          </Card>
        </Col>
        <Col span={4}>
          <Card>
            <Statistic title="即将到期" value={dueCount} />
          </Card>
        </Col>
        <Col span={4}>
          <Card>
            <Statistic title="退回补正" value={returned.length} />
          </Card>
        </Col>
        <Col span={4}>
          <Card>
            <Statistic
              title="待送达结果"
              value={toDeliver.filter((c) => c.status !== 'result_delivered').length}
            />
          </Card>
        </Col>
        <Col span={4}>
          <Card>
            <Statistic title="被拒写入" value={refusals.length} />
          </Card>
        </Col>
        <Col span={4} style={{ display: 'flex', alignItems: 'center' }}>
          <Button
            type="primary"
            size="large"
            block
            onClick={() => navigate({ page: 'accept' })}
            data-testid="go-accept"
          >
            收件受理
          </Button>
        </Col>
      </Row>
      <Card title="待送达结果" size="small" style={{ marginBottom: 12 }}>
        <CaseTable cases={toDeliver} emptyText="暂无待送达的办理结果" testId="to-deliver" />
        <LoadMore shown={toDeliver.length} limit={page.limit} onMore={page.more} />
      </Card>
      <Card title="退回补正" size="small" style={{ marginBottom: 12 }}>
        <CaseTable cases={returned} emptyText="暂无退回补正的办件" testId="returned" />
        <LoadMore shown={returned.length} limit={page.limit} onMore={page.more} />
      </Card>
      <Card title="即将到期" size="small" style={{ marginBottom: 12 }}>
        <CaseTable cases={dueSoon} emptyText="暂无即将到期的办件" testId="due-soon" />
        <LoadMore shown={dueSoon.length} limit={page.limit} onMore={page.more} />
      </Card>
      <Card title="今日收件" size="small">
        <CaseTable cases={todays} emptyText="今天还没有收件" testId="today" />
      </Card>
    </div>
  );
}
