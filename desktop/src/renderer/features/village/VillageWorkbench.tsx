import { Button, Card, Col, Row, Statistic } from 'antd';
import { useApp } from '../../appContext';
import { useRxQuery } from '../../hooks/useRx';
import { useMatters } from '../../hooks/useReference';
import { deadlineView } from '../../domain/deadlines';
import { CaseTable } from '../cases/CaseTable';

/** 村居帮办 workbench: what needs doing today, at a glance. */
export function VillageWorkbench() {
  const { db, user, navigate } = useApp();
  const matters = useMatters();
  const { docs } = useRxQuery(db.cases);
  const { docs: refusals } = useRxQuery(db.refusals, { selector: { state: 'open' } });
  const today = new Date().toISOString().slice(0, 10);
  const mine = docs.filter(
    (c) => c.originUnitId === user.orgUnitId || c.holderUnitId === user.orgUnitId,
  );
  const todays = mine.filter((c) => c.events[0]?.deviceTime.slice(0, 10) === today);
  const returned = mine.filter(
    (c) => c.holderUnitId === user.orgUnitId && c.status === 'correction_required',
  );
  const toDeliver = mine.filter(
    (c) =>
      c.holderUnitId === user.orgUnitId &&
      (c.status === 'concluded_approved' || c.status === 'concluded_denied'),
  );
  const toRate = mine.filter(
    (c) => c.holderUnitId === user.orgUnitId && c.status === 'result_delivered',
  );
  const dueSoon = mine.filter((c) => {
    if (
      [
        'concluded_approved',
        'concluded_denied',
        'result_delivered',
        'evaluated',
        'not_accepted',
        'withdrawn',
        'terminated',
      ].includes(c.status)
    )
      return false;
    const d = deadlineView(c, matters.byCode.get(c.matterCode));
    return d.daysLeft !== null && d.daysLeft <= 3;
  });
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
            <Statistic title="即将到期" value={dueSoon.length} />
          </Card>
        </Col>
        <Col span={4}>
          <Card>
            <Statistic title="退回补正" value={returned.length} />
          </Card>
        </Col>
        <Col span={4}>
          <Card>
            <Statistic title="待送达结果" value={toDeliver.length} />
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
        <CaseTable
          cases={[...toDeliver, ...toRate]}
          emptyText="暂无待送达的办理结果"
          testId="to-deliver"
        />
      </Card>
      <Card title="退回补正" size="small" style={{ marginBottom: 12 }}>
        <CaseTable cases={returned} emptyText="暂无退回补正的办件" testId="returned" />
      </Card>
      <Card title="即将到期" size="small" style={{ marginBottom: 12 }}>
        <CaseTable cases={dueSoon} emptyText="暂无即将到期的办件" />
      </Card>
      <Card title="今日收件" size="small">
        <CaseTable cases={todays} emptyText="今天还没有收件" testId="today" />
      </Card>
    </div>
  );
}
