import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, DatePicker, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { TICKET_STATUS_LABELS, chinaDateTime, type TicketDoc } from '@sibantong/shared';
import {
  METRIC_LABELS,
  type FigureCaseRow,
  type FigureMetric,
  type SupervisionLedgerRow,
} from '@sibantong/shared';
import { HubError } from '../../api/hubClient';
import { useApp } from '../../appContext';
import { useRxQuery } from '../../hooks/useRx';
import { useMatters, useOrgUnits } from '../../hooks/useReference';
import { fetchFigureCases, fetchSupervisionLedger } from '../cockpit/cockpitApi';
import { defaultRange } from '../cockpit/CockpitPage';
import { caseColumns, fullIdentities, statusLabel, type FullIdentity } from './caseSheet';
import { downloadXlsx, type SheetColumn } from './exportXlsx';

type LedgerKind = 'assisted' | 'ratings' | 'supervision';

const LEDGER_TITLES: Record<LedgerKind, string> = {
  assisted: '帮办代办台账',
  ratings: '好差评台账',
  supervision: '督办台账',
};

const RATING_METRICS: FigureMetric[] = ['rate1', 'rate2', 'rate3', 'rate4', 'rate5'];

interface RatingRow extends FigureCaseRow {
  level: string;
  followUp: string;
}

/**
 * 台账: 帮办代办, 好差评 (with the 差评 follow-up status) and 督办, for a range, exported to
 * .xlsx with Chinese headers and printable. Read from the hub's figure routes (the same
 * views as the cockpit); identities masked unless the role may see them (caseSheet.ts).
 */
export function LedgersPage() {
  const { cfg, db, user } = useApp();
  const org = useOrgUnits();
  const matters = useMatters();
  const { docs: tickets } = useRxQuery(db.tickets);
  const [range, setRange] = useState(() => {
    const r = defaultRange();
    return { from: r.from, to: r.to };
  });
  const [kind, setKind] = useState<LedgerKind>('assisted');
  const [assisted, setAssisted] = useState<FigureCaseRow[]>([]);
  const [ratings, setRatings] = useState<Array<FigureCaseRow & { metric: FigureMetric }>>([]);
  const [supervision, setSupervision] = useState<SupervisionLedgerRow[]>([]);
  const [identity, setIdentity] = useState<Map<string, FullIdentity>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const base = { from: range.from, to: range.to, title: '' };
      if (kind === 'assisted') {
        const a = await fetchFigureCases(cfg, { ...base, metric: 'assisted' });
        setIdentity(
          await fullIdentities(
            db,
            user.role,
            a.cases.map((c) => c.id),
          ),
        );
        setAssisted(a.cases);
      } else if (kind === 'ratings') {
        const parts = await Promise.all(
          RATING_METRICS.map((metric) => fetchFigureCases(cfg, { ...base, metric })),
        );
        const rows = parts.flatMap((p, i) =>
          p.cases.map((c) => ({ ...c, metric: RATING_METRICS[i]! })),
        );
        rows.sort((a, b) => b.at.localeCompare(a.at) || a.id.localeCompare(b.id));
        setIdentity(
          await fullIdentities(
            db,
            user.role,
            rows.map((c) => c.id),
          ),
        );
        setRatings(rows);
      } else {
        setSupervision((await fetchSupervisionLedger(cfg, range.from, range.to)).records);
      }
      setError(null);
    } catch (e) {
      setError(e instanceof HubError ? e.message : '读取台账失败（台账需连接中心服务器）');
    } finally {
      setLoading(false);
    }
  }, [cfg, db, user.role, range, kind]);
  useEffect(() => {
    void load();
  }, [load]);

  const names = useMemo(
    () => ({ unit: org.name, matter: (c: string) => matters.byCode.get(c)?.name ?? c }),
    [org, matters],
  );
  const ticketOf = useMemo(() => {
    const m = new Map<string, TicketDoc>();
    for (const t of tickets as unknown as TicketDoc[]) m.set(t.caseId, t);
    return m;
  }, [tickets]);

  const assistedColumns = useMemo(
    () => caseColumns(names, identity, '收件日期'),
    [names, identity],
  );
  const ratingRows: RatingRow[] = useMemo(
    () =>
      ratings.map((r) => {
        const bad = r.metric === 'rate4' || r.metric === 'rate5';
        const t = bad ? ticketOf.get(r.id) : undefined;
        return {
          ...r,
          level: METRIC_LABELS[r.metric],
          followUp: !bad ? '—' : t ? TICKET_STATUS_LABELS[t.status] : '待建工单',
        };
      }),
    [ratings, ticketOf],
  );
  const ratingColumns: SheetColumn<RatingRow>[] = useMemo(() => {
    const base = caseColumns(names, identity, '评价日期') as SheetColumn<RatingRow>[];
    return [
      ...base.slice(0, 7),
      { header: '评价', width: 12, value: (r) => r.level },
      { header: '差评整改', width: 12, value: (r) => r.followUp },
      base[base.length - 2]!,
    ];
  }, [names, identity]);
  const supervisionColumns: SheetColumn<SupervisionLedgerRow>[] = useMemo(
    () => [
      { header: '办件编号', width: 22, value: (r) => r.caseNo },
      { header: '事项', width: 30, value: (r) => names.matter(r.matterCode) },
      { header: '镇街', width: 12, value: (r) => names.unit(r.townId) },
      { header: '被督办单位', width: 18, value: (r) => names.unit(r.unitId) },
      { header: '承诺办结日期', width: 14, value: (r) => r.dueDate },
      { header: '督办时间', width: 18, value: (r) => chinaDateTime(r.issuedAt) },
      { header: '督办状态', width: 10, value: (r) => (r.resolved ? '已结' : '未结') },
      { header: '办件状态', width: 12, value: (r) => statusLabel(r.status) },
    ],
    [names],
  );

  const subtitle = `${range.from} 至 ${range.to} · 导出时间 ${chinaDateTime(new Date().toISOString())}`;
  const exportNow = () => {
    const title = LEDGER_TITLES[kind];
    const file = `${title}_${range.from}_${range.to}`;
    if (kind === 'assisted') return downloadXlsx(file, title, subtitle, assistedColumns, assisted);
    if (kind === 'ratings') return downloadXlsx(file, title, subtitle, ratingColumns, ratingRows);
    return downloadXlsx(file, title, subtitle, supervisionColumns, supervision);
  };

  const table = <R extends { id: string }>(cols: SheetColumn<R>[], rows: R[], testId: string) => (
    <Table
      size="small"
      rowKey="id"
      loading={loading}
      data-testid={testId}
      dataSource={rows}
      pagination={{ pageSize: 50, showSizeChanger: false }}
      columns={cols.map((c, i) => ({
        key: String(i),
        title: c.header,
        render: (_: unknown, r: R) => {
          const v = c.value(r);
          if (c.header === '督办状态') return <Tag color={v === '未结' ? 'red' : 'green'}>{v}</Tag>;
          return v;
        },
      }))}
    />
  );

  return (
    <div data-testid="ledgers">
      <Card size="small" style={{ marginBottom: 12 }} className="no-print">
        <Space wrap>
          <DatePicker.RangePicker
            allowClear={false}
            value={[dayjs(range.from), dayjs(range.to)]}
            disabledDate={(d: Dayjs) => d.isAfter(dayjs(), 'day')}
            onChange={(v) => {
              if (v?.[0] && v[1]) {
                setRange({ from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') });
              }
            }}
          />
          <Button type="primary" onClick={() => void exportNow()} data-testid="ledger-export">
            导出 Excel
          </Button>
          <Button onClick={() => window.print()}>打印</Button>
        </Space>
      </Card>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Typography.Title level={5}>
        {LEDGER_TITLES[kind]}（{subtitle}）
      </Typography.Title>
      <Tabs
        activeKey={kind}
        onChange={(k) => setKind(k as LedgerKind)}
        items={[
          {
            key: 'assisted',
            label: <span data-testid="ledger-tab-assisted">帮办代办台账</span>,
            children: table(assistedColumns, assisted, 'ledger-assisted'),
          },
          {
            key: 'ratings',
            label: <span data-testid="ledger-tab-ratings">好差评台账</span>,
            children: table(ratingColumns, ratingRows, 'ledger-ratings'),
          },
          {
            key: 'supervision',
            label: <span data-testid="ledger-tab-supervision">督办台账</span>,
            children: table(supervisionColumns, supervision, 'ledger-supervision'),
          },
        ]}
      />
    </div>
  );
}
