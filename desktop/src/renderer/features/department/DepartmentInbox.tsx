import { Card } from 'antd';
import { useApp } from '../../appContext';
import { usePageLimit, useRxQueries } from '../../hooks/useRx';
import { allOpen, answeredBy } from '../../db/caseQueries';
import { CaseTable } from '../cases/CaseTable';
import { LoadMore } from '../cases/LoadMore';

/** 部门协办: assistance requests addressed to this department. */
export function DepartmentInbox() {
  const { db, user } = useApp();
  const openPage = usePageLimit(100);
  const answeredPage = usePageLimit(50);
  // Requests are answered while a case is open: the open-flag index newest first, then the
  // department filter (arrays cannot be indexed) runs in the storage before decryption.
  const { docs: open } = useRxQueries(db.cases, [
    allOpen(openPage.limit, { assistingDeptIds: { $elemMatch: { $eq: user.orgUnitId } } }),
  ]);
  const { docs: replied } = useRxQueries(db.cases, [
    answeredBy(user.orgUnitId, answeredPage.limit),
  ]);
  const answered = replied.filter((c) => !c.assistingDeptIds.includes(user.orgUnitId));
  return (
    <div data-testid="dept-inbox">
      <Card title={`待协办（${open.length}）`} size="small" style={{ marginBottom: 12 }}>
        <CaseTable cases={open} emptyText="暂无协办请求" testId="dept-open" />
        <LoadMore shown={open.length} limit={openPage.limit} onMore={openPage.more} />
      </Card>
      <Card title="已回复" size="small">
        <CaseTable cases={answered} emptyText="暂无已回复的协办" />
        <LoadMore shown={replied.length} limit={answeredPage.limit} onMore={answeredPage.more} />
      </Card>
    </div>
  );
}
