import { Card } from 'antd';
import { useApp } from '../../appContext';
import { usePageLimit, useRxQueries } from '../../hooks/useRx';
import { heldOpen, townElsewhere } from '../../db/caseQueries';
import { CaseTable } from '../cases/CaseTable';
import { LoadMore } from '../cases/LoadMore';

/** 镇街领办: cases forwarded by the town's villages and now held by the town. */
export function TownInbox() {
  const { db, user } = useApp();
  const page = usePageLimit(100);
  const other = usePageLimit(50);
  // Open cases held by the town, newest first: one index range (holder+open+recency).
  const { docs: held } = useRxQueries(db.cases, [heldOpen(user.orgUnitId, page.limit)]);
  const unclaimed = held.filter((c) => !c.handlerUserId);
  const mine = held.filter((c) => c.handlerUserId === user.userId);
  const { docs: sent } = useRxQueries(db.cases, [townElsewhere(user.orgUnitId, other.limit)]);
  const heldFull = held.length >= page.limit;
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
        {heldFull && <LoadMore shown={1} limit={1} onMore={page.more} />}
      </Card>
      <Card title="辖区内其他在办" size="small">
        <CaseTable cases={sent} emptyText="暂无" />
        <LoadMore shown={sent.length} limit={other.limit} onMore={other.more} />
      </Card>
    </div>
  );
}
