import { Card } from 'antd';
import { useApp } from '../../appContext';
import { useRxQuery } from '../../hooks/useRx';
import { CaseTable } from '../cases/CaseTable';

const DONE = [
  'result_delivered',
  'evaluated',
  'not_accepted',
  'withdrawn',
  'terminated',
  'concluded_approved',
  'concluded_denied',
];

/** 镇街领办: cases forwarded by the town's villages and now held by the town. */
export function TownInbox() {
  const { db, user } = useApp();
  const { docs } = useRxQuery(db.cases);
  const held = docs.filter((c) => c.holderUnitId === user.orgUnitId && !DONE.includes(c.status));
  const unclaimed = held.filter((c) => !c.handlerUserId);
  const mine = held.filter((c) => c.handlerUserId === user.userId);
  const sent = docs.filter(
    (c) =>
      c.townId === user.orgUnitId && c.holderUnitId !== user.orgUnitId && !DONE.includes(c.status),
  );
  return (
    <div data-testid="town-inbox">
      <Card title={`待认领（${unclaimed.length}）`} size="small" style={{ marginBottom: 12 }}>
        <CaseTable
          cases={unclaimed}
          emptyText="暂无村居转来的待认领办件"
          testId="inbox-unclaimed"
        />
      </Card>
      <Card title={`我在办（${mine.length}）`} size="small" style={{ marginBottom: 12 }}>
        <CaseTable cases={mine} emptyText="暂无认领中的办件" testId="inbox-mine" />
      </Card>
      <Card title="辖区内其他在办" size="small">
        <CaseTable cases={sent} emptyText="暂无" />
      </Card>
    </div>
  );
}
