import { useMemo, useState } from 'react';
import { Card, Input, Select, Space } from 'antd';
import { CASE_STATUSES, type CaseStatus } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { useRxQuery } from '../../hooks/useRx';
import { STATUS_LABELS } from '../../domain/labels';
import { CaseTable } from './CaseTable';

/** Every case this device holds (the hub decides scope), searchable by either number or name. */
export function CaseList() {
  const { db } = useApp();
  const { docs } = useRxQuery(db.cases, { sort: [{ id: 'desc' }] });
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<CaseStatus | undefined>();
  const shown = useMemo(() => {
    const s = q.trim().toLowerCase();
    return docs
      .filter((c) => !status || c.status === status)
      .filter(
        (c) =>
          !s ||
          c.provisionalNo.toLowerCase().includes(s) ||
          (c.officialNo ?? '').toLowerCase().includes(s) ||
          c.applicantName.toLowerCase().includes(s),
      )
      .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
  }, [docs, q, status]);
  return (
    <Card title="全部办件">
      <Space style={{ marginBottom: 12 }}>
        <Input.Search
          placeholder="临时号、正式号或申请人"
          allowClear
          onChange={(e) => setQ(e.target.value)}
          style={{ width: 280 }}
        />
        <Select
          allowClear
          placeholder="按状态筛选"
          style={{ width: 180 }}
          value={status}
          onChange={setStatus}
          options={CASE_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
        />
      </Space>
      <CaseTable cases={shown} emptyText="本设备上还没有办件" testId="all-cases" />
    </Card>
  );
}
