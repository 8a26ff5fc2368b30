import { useEffect, useState } from 'react';
import { Card, Input, Select, Space } from 'antd';
import { CASE_STATUSES, type CaseStatus } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { usePageLimit, useRxQueries } from '../../hooks/useRx';
import { ExportCasesButton } from '../ledgers/ExportCasesButton';
import { CASE_STATUS_LABELS_ZH as STATUS_LABELS } from '@sibantong/shared';
import { idDigestCandidates } from '@sibantong/shared';
import { storedCountyKey } from '../../auth/countyKey';
import { looksLikeIdNumber, searchQueries } from '../../db/caseQueries';
import { CaseTable } from './CaseTable';
import { LoadMore } from './LoadMore';

/**
 * Every case this device holds (the hub decides scope), newest first, one page at a time.
 * Search: 临时号 or 正式号 (prefix / exact), applicant name by prefix (surname first), or an ID
 * number / USCC (exact, by digest: keyed with the county key and the old unkeyed one, so cases
 * recorded before this PC had the key are found too) — all indexed queries, see `searchQueries`.
 */
export function CaseList() {
  const { db, cfg } = useApp();
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [digests, setDigests] = useState<string[] | null>(null);
  const [status, setStatus] = useState<CaseStatus | undefined>();
  const { limit, more } = usePageLimit(50);
  useEffect(() => {
    // Debounced: each keystroke would otherwise open a new live query.
    const t = setTimeout(() => {
      const s = input.trim();
      if (!looksLikeIdNumber(s)) {
        setDigests(null);
        setQ(s);
        return;
      }
      void storedCountyKey(cfg.deviceId)
        .then((key) => idDigestCandidates(s.toUpperCase(), key))
        .then((d) => {
          setDigests(d);
          setQ(s);
        });
    }, 250);
    return () => clearTimeout(t);
  }, [input, cfg.deviceId]);
  const { docs } = useRxQueries(db.cases, searchQueries(q, status, limit, digests));
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
        <ExportCasesButton cases={docs} title="办件清单" />
      </Space>
      <CaseTable cases={docs} emptyText="本设备上还没有办件" testId="all-cases" />
      <LoadMore shown={docs.length} limit={limit} onMore={more} />
    </Card>
  );
}
