import { Card } from 'antd';
import { useApp } from '../../appContext';
import { useRxQuery } from '../../hooks/useRx';
import { CaseTable } from '../cases/CaseTable';

/** 部门协办: assistance requests addressed to this department. */
export function DepartmentInbox() {
  const { db, user } = useApp();
  const { docs } = useRxQuery(db.cases);
  const open = docs.filter((c) => c.assistingDeptIds.includes(user.orgUnitId));
  const answered = docs.filter(
    (c) =>
      !c.assistingDeptIds.includes(user.orgUnitId) &&
      c.events.some(
        (e) => e.type === 'assistance_reply' && e.payload.departmentId === user.orgUnitId,
      ),
  );
  return (
    <div data-testid="dept-inbox">
      <Card title={`待协办（${open.length}）`} size="small" style={{ marginBottom: 12 }}>
        <CaseTable cases={open} emptyText="暂无协办请求" testId="dept-open" />
      </Card>
      <Card title="已回复" size="small">
        <CaseTable cases={answered} emptyText="暂无已回复的协办" />
      </Card>
    </div>
  );
}
