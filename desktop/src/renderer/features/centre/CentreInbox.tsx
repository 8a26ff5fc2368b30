import { Card } from 'antd';
import { useApp } from '../../appContext';
import { usePageLimit, useRxQueries } from '../../hooks/useRx';
import { useOrgUnits } from '../../hooks/useReference';
import { heldOpen } from '../../db/caseQueries';
import { CaseTable } from '../cases/CaseTable';
import { LoadMore } from '../cases/LoadMore';

/** 中心代办: cases escalated to the county centre, with those awaiting departments apart. */
export function CentreInbox() {
  const { db, user } = useApp();
  const org = useOrgUnits();
  const { limit, more } = usePageLimit(100);
  const centreIds = [...new Set([user.orgUnitId, org.county?.id].filter(Boolean) as string[])];
  // Open cases held by the centre (or the county unit): one index range each (holder+open+recency).
  const { docs: held } = useRxQueries(
    db.cases,
    centreIds.map((id) => heldOpen(id, limit)),
  );
  const waiting = held.filter((c) => c.assistingDeptIds.length > 0);
  const active = held.filter((c) => c.assistingDeptIds.length === 0);
  return (
    <div data-testid="centre-inbox">
      <Card title={`待审核 / 办理中（${active.length}）`} size="small" style={{ marginBottom: 12 }}>
        <CaseTable cases={active} emptyText="暂无上报到中心的办件" testId="centre-active" />
      </Card>
      <Card title={`等待部门协办（${waiting.length}）`} size="small">
        <CaseTable cases={waiting} emptyText="暂无等待部门意见的办件" testId="centre-waiting" />
      </Card>
      <LoadMore shown={held.length} limit={limit} onMore={more} />
    </div>
  );
}
