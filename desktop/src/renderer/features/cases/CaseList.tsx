import { useEffect, useState } from 'react';
import { Card, Input, Select, Space } from 'antd';
import { CASE_STATUSES, type CaseStatus } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { usePageLimit, useRxQueries } from '../../hooks/useRx';
import { CASE_STATUS_LABELS_ZH as STATUS_LABELS } from '@sibantong/shared';
import { idDigest } from '@sibantong/shared';
import { looksLikeIdNumber, searchQueries } from '../../db/caseQueries';
import { CaseTable } from './CaseTable';
import { LoadMore } from './LoadMore';

/**
 * Every case this device holds (the hub decides scope), newest first, one page at a time.
 * Search: 临时号 or 正式号 (prefix / exact), applicant name by prefix (surname first), or an ID
 * number / USCC (exact, by digest) — all indexed queries, see `searchQueries`.
 */
export function CaseList() {
  const { db } = useApp();
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [digest, setDigest] = useState<string | null>(null);
  const [status, setStatus] = useState<CaseStatus | undefined>();
  const { limit, more } = usePageLimit(50);
  useEffect(() => {
    // Debounced: each keystroke would otherwise open a new live query.
    const t = setTimeout(() => {
      const s = input.trim();
      if (!looksLikeIdNumber(s)) {
        setDigest(null);
        setQ(s);
        return;
      }
      void idDigest(s.toUpperCase()).then((d) => {
        setDigest(d);
        setQ(s);
      });
    }, 250);
    return () => clearTimeout(t);
  }, [input]);
  const { docs } = useRxQueries(db.cases, searchQueries(q, status, limit, digest));
  return (
    <Card title="全部办件">
      <Space style={{ marginBottom: 12 }}>
        <Input.Search
          placeholder="临时号、正式号、申请人姓氏或身份证号"
          allowClear
          onChange={(e) => setInput(e.target.value)}
          style={{ width: 300 }}
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
      <CaseTable cases={docs} emptyText="本设备上还没有办件" testId="all-cases" />
      <LoadMore shown={docs.length} limit={limit} onMore={more} />
    </Card>
  );
}
