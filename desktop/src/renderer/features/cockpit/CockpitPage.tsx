import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import {
  DIMENSIONS,
  DIMENSION_LABELS,
  DRILLABLE_METRICS,
  FIGURES_REBUILDING,
  METRIC_LABELS,
  formatRate,
  periodLabel,
  ratesOf,
  type Dimension,
  type FigureCounts,
  type FigureMetric,
  type FiguresResponse,
  type Grain,
} from '@sibantong/shared';
import { chinaDate, chinaDateTime } from '@sibantong/shared';
import { HubError } from '../../api/hubClient';
import { useApp } from '../../appContext';
import { useOnline } from '../../hooks/useOnline';
import {
  fetchFigures,
  keepFigures,
  lastFigures,
  type DrillTarget,
  type FigureRange,
} from './cockpitApi';
import { DrillDrawer } from './DrillDrawer';
import { useEchart, type ChartOption } from './useEchart';

const GRAIN_OPTIONS: Array<{ label: string; value: Grain }> = [
  { label: '按日', value: 'day' },
  { label: '按周', value: 'week' },
  { label: '按月', value: 'month' },
];

function daysAgo(n: number): string {
  return chinaDate(new Date(Date.now() - n * 86_400_000));
}

export function defaultRange(): FigureRange {
  return { from: daysAgo(29), to: daysAgo(0), grain: 'day' };
}

const isDrillable = (m: FigureMetric) => DRILLABLE_METRICS.includes(m);

/** How often the cockpit asks again while the hub rebuilds its figures. */
const REBUILD_RETRY_MS = 30_000;

/**
 * 驾驶舱 (docs/cockpit.md): the county's figures for the supervisor and the centre, the own
 * town's for a town lead — headline numbers, trends, rankings, 好差评, 督办 and the village
 * PCs not synced for days. Every count opens the list of the cases behind it.
 */
export function CockpitPage() {
  const { cfg, user } = useApp();
  const online = useOnline();
  const [range, setRange] = useState<FigureRange>(defaultRange);
  const [figures, setFigures] = useState<FiguresResponse | null>(() => lastFigures(user.userId));
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Why the last read failed: the hub out of reach, rebuilding its figures, or another refusal. */
  const [failure, setFailure] = useState<'unreachable' | 'rebuilding' | 'refused'>('unreachable');
  const [loading, setLoading] = useState(false);
  const [drill, setDrill] = useState<DrillTarget | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const f = await fetchFigures(cfg, range);
      setFigures(f);
      setStale(false);
      setError(null);
      keepFigures(user.userId, f);
    } catch (e) {
      // Offline, the hub down or rebuilding its figures: the last figures stay, with their time.
      setStale(true);
      setError(e instanceof HubError ? e.message : '读取统计数据失败');
      setFailure(
        !(e instanceof HubError) || e.unreachable
          ? 'unreachable'
          : e.code === FIGURES_REBUILDING
            ? 'rebuilding'
            : 'refused',
      );
    } finally {
      setLoading(false);
    }
  }, [cfg, range, user.userId]);
  useEffect(() => {
    void load();
  }, [load, online]);
  // A rebuild takes minutes: ask again on its own rather than leave the supervisor to guess —
  // after every read that ends still rebuilding (keyed on `loading`: the hub's message may be
  // the same each time, and a timer keyed on it would ask only once).
  useEffect(() => {
    if (loading || !stale || failure !== 'rebuilding') return;
    const t = setTimeout(() => void load(), REBUILD_RETRY_MS);
    return () => clearTimeout(t);
  }, [loading, stale, failure, load]);

  const open = (metric: FigureMetric, dim?: Dimension, key?: string, name?: string) => {
    if (!figures || !isDrillable(metric)) return;
    setDrill({
      metric,
      from: figures.from,
      to: figures.to,
      ...(dim && key !== undefined ? { dim, key } : {}),
      title: `${name ? `${name} · ` : ''}${METRIC_LABELS[metric]}`,
    });
  };

  return (
    <div data-testid="cockpit">
      <Card size="small" style={{ marginBottom: 12 }} className="no-print">
        <Space wrap>
          <Typography.Text strong data-testid="cockpit-scope">
            {figures?.scope.name ?? ''}驾驶舱
          </Typography.Text>
          <DatePicker.RangePicker
            allowClear={false}
            value={[dayjs(range.from), dayjs(range.to)]}
            disabledDate={(d: Dayjs) => d.isAfter(dayjs(), 'day')}
            presets={[
              { label: '近7天', value: [dayjs().subtract(6, 'day'), dayjs()] },
              { label: '近30天', value: [dayjs().subtract(29, 'day'), dayjs()] },
              { label: '本月', value: [dayjs().startOf('month'), dayjs()] },
              { label: '近90天', value: [dayjs().subtract(89, 'day'), dayjs()] },
              { label: '本年', value: [dayjs().startOf('year'), dayjs()] },
            ]}
            onChange={(v) => {
              if (v?.[0] && v[1]) {
                setRange((r) => ({
                  ...r,
                  from: v[0]!.format('YYYY-MM-DD'),
                  to: v[1]!.format('YYYY-MM-DD'),
                }));
              }
            }}
            data-testid="cockpit-range"
          />
          <Segmented
            options={GRAIN_OPTIONS}
            value={range.grain}
            onChange={(g) => setRange((r) => ({ ...r, grain: g as Grain }))}
          />
          <Button onClick={() => void load()} loading={loading} data-testid="cockpit-refresh">
            刷新
          </Button>
          <Button onClick={() => window.print()}>打印</Button>
          {figures && (
            <Typography.Text type="secondary" data-testid="cockpit-as-of">
              数据截至 {chinaDateTime(figures.asOf)}（{figures.from} 至 {figures.to}）
            </Typography.Text>
          )}
        </Space>
      </Card>
      {stale && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="cockpit-offline"
          message={
            (failure === 'unreachable'
              ? '无法连接中心服务器'
              : failure === 'rebuilding'
                ? '中心服务器正在更新统计数据（稍后自动刷新）'
                : '暂时无法读取最新统计数据') +
            (figures
              ? `，显示的是 ${chinaDateTime(figures.asOf)} 的数据（${figures.from} 至 ${figures.to}）`
              : '，暂无可显示的统计数据')
          }
          description={error}
        />
      )}
      {!figures ? (
        <Card loading={loading}>
          <Empty description="暂无统计数据" />
        </Card>
      ) : (
        <CockpitBody figures={figures} onOpen={open} />
      )}
      <DrillDrawer target={drill} onClose={() => setDrill(null)} />
    </div>
  );
}

function Figure({
  metric,
  counts,
  onOpen,
  danger,
}: {
  metric: FigureMetric;
  counts: FigureCounts;
  onOpen: (m: FigureMetric) => void;
  danger?: boolean;
}) {
  const value = counts[metric] ?? 0;
  const drillable = isDrillable(metric);
  return (
    <Card
      size="small"
      hoverable={drillable}
      onClick={() => drillable && onOpen(metric)}
      data-testid={`figure-${metric}`}
    >
      <Statistic
        title={METRIC_LABELS[metric]}
        value={value}
        valueStyle={danger && value > 0 ? { color: '#cf1322' } : undefined}
      />
    </Card>
  );
}

function RateCard({
  title,
  value,
  testId,
}: {
  title: string;
  value: number | null;
  testId: string;
}) {
  return (
    <Card size="small" data-testid={testId}>
      <Statistic title={title} value={formatRate(value)} />
    </Card>
  );
}

function CockpitBody({
  figures,
  onOpen,
}: {
  figures: FiguresResponse;
  onOpen: (m: FigureMetric, dim?: Dimension, key?: string, name?: string) => void;
}) {
  const t = figures.totals;
  const rates = ratesOf(t);
  const headline: FigureMetric[] = [
    'received',
    'accepted',
    'concluded',
    'instant',
    'onTime',
    'overdueOpen',
    'late',
    'deferred',
    'informed',
    'assisted',
    'notAccepted',
    'refusedWrites',
  ];
  return (
    <>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {headline.map((m) => (
          <Col key={m} xs={12} md={6} xl={4}>
            <Figure
              metric={m}
              counts={t}
              onOpen={onOpen}
              danger={m === 'overdueOpen' || m === 'late'}
            />
          </Col>
        ))}
        <Col xs={12} md={6} xl={4}>
          <RateCard title="即办率" value={rates.instantRate} testId="rate-instant" />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <RateCard title="按期办结率" value={rates.onTimeRate} testId="rate-on-time" />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Card size="small" data-testid="avg-working-days">
            <Statistic
              title="平均办结用时（工作日）"
              value={figures.avgWorkingDays ?? '—'}
              precision={figures.avgWorkingDays === null ? undefined : 1}
            />
          </Card>
        </Col>
        <Col xs={12} md={6} xl={4}>
          <RateCard title="满意率" value={rates.satisfiedRate} testId="rate-satisfied" />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <RateCard title="差评整改率" value={rates.rectifyRate} testId="rate-rectify" />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <RateCard title="回访率" value={rates.callBackRate} testId="rate-call-back" />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Card size="small" data-testid="supervision-counts">
            <Statistic
              title="督办（未结 / 已结）"
              value={`${t.supervisionOpen ?? 0} / ${t.supervisionClosed ?? 0}`}
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={24} xl={16}>
          <Card size="small" title="趋势">
            <TrendChart figures={figures} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title="好差评分布">
            <RatingChart counts={t} onOpen={onOpen} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title="排名" style={{ marginBottom: 12 }}>
        <Rankings figures={figures} onOpen={onOpen} />
      </Card>
      <StaleDevices figures={figures} />
    </>
  );
}

function TrendChart({ figures }: { figures: FiguresResponse }) {
  const option = useMemo<ChartOption>(() => {
    const x = figures.trend.map((p) => periodLabel(p.period, figures.grain));
    const series = (['received', 'concluded', 'late', 'rate4'] as const).map((m) => ({
      name: METRIC_LABELS[m],
      type: 'line',
      smooth: true,
      data: figures.trend.map((p) => p.counts[m] ?? 0),
    }));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: x },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    };
  }, [figures]);
  const ref = useEchart(option);
  return <div ref={ref} style={{ height: 260 }} data-testid="trend-chart" />;
}

const RATING_METRICS = ['rate1', 'rate2', 'rate3', 'rate4', 'rate5'] as const;

function RatingChart({
  counts,
  onOpen,
}: {
  counts: FigureCounts;
  onOpen: (m: FigureMetric) => void;
}) {
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item' },
      color: ['#389e0d', '#73d13d', '#bae637', '#fa8c16', '#cf1322'],
      series: [
        {
          type: 'pie',
          radius: ['40%', '70%'],
          data: RATING_METRICS.map((m) => ({ name: METRIC_LABELS[m], value: counts[m] ?? 0 })),
        },
      ],
    }),
    [counts],
  );
  const ref = useEchart(option, (p) => {
    const m = RATING_METRICS[p.dataIndex];
    if (m) onOpen(m);
  });
  return (
    <>
      <div ref={ref} style={{ height: 220 }} />
      <Space wrap size={4}>
        {RATING_METRICS.map((m) => (
          <Tag
            key={m}
            color={m === 'rate4' || m === 'rate5' ? 'red' : 'green'}
            style={{ cursor: 'pointer' }}
            onClick={() => onOpen(m)}
            data-testid={`figure-${m}`}
          >
            {METRIC_LABELS[m]} {counts[m] ?? 0}
          </Tag>
        ))}
      </Space>
    </>
  );
}

const RANK_COLUMNS: FigureMetric[] = [
  'received',
  'concluded',
  'instant',
  'onTime',
  'late',
  'overdueOpen',
  'deferred',
  'assisted',
  'rate4',
  'rate5',
];

function Rankings({
  figures,
  onOpen,
}: {
  figures: FiguresResponse;
  onOpen: (m: FigureMetric, dim?: Dimension, key?: string, name?: string) => void;
}) {
  const dims = DIMENSIONS.filter((d) => !(d === 'town' && figures.scope.kind === 'town'));
  return (
    <Tabs
      items={dims.map((dim) => ({
        key: dim,
        label: <span data-testid={`rank-tab-${dim}`}>{DIMENSION_LABELS[dim]}</span>,
        children: <RankTable dim={dim} figures={figures} onOpen={onOpen} />,
      }))}
    />
  );
}

function RankTable({
  dim,
  figures,
  onOpen,
}: {
  dim: Dimension;
  figures: FiguresResponse;
  onOpen: (m: FigureMetric, dim?: Dimension, key?: string, name?: string) => void;
}) {
  const rows = figures.breakdown[dim];
  const option = useMemo<ChartOption>(() => {
    const top = rows.slice(0, 12);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: top.map((r) => r.name) },
      series: (['received', 'concluded', 'overdueOpen'] as const).map((m) => ({
        name: METRIC_LABELS[m],
        type: 'bar',
        data: top.map((r) => r.counts[m] ?? 0),
      })),
    };
  }, [rows]);
  const ref = useEchart(option, (p) => {
    const r = rows[p.dataIndex];
    const m = (['received', 'concluded', 'overdueOpen'] as const).find(
      (x) => METRIC_LABELS[x] === p.seriesName,
    );
    if (r && m) onOpen(m, dim, r.key, r.name);
  });
  return (
    <>
      <div ref={ref} style={{ height: Math.max(160, Math.min(rows.length, 12) * 34 + 40) }} />
      <Table
        size="small"
        rowKey="key"
        pagination={rows.length > 20 ? { pageSize: 20 } : false}
        dataSource={rows}
        data-testid={`rank-${dim}`}
        columns={[
          { title: DIMENSION_LABELS[dim], dataIndex: 'name', key: 'name', fixed: 'left' },
          ...RANK_COLUMNS.map((m) => ({
            title: METRIC_LABELS[m],
            key: m,
            sorter: (a: (typeof rows)[number], b: (typeof rows)[number]) =>
              (a.counts[m] ?? 0) - (b.counts[m] ?? 0),
            render: (_: unknown, r: (typeof rows)[number]) => {
              const n = r.counts[m] ?? 0;
              return n > 0 ? (
                <Typography.Link
                  data-testid={`cell-${dim}-${r.key}-${m}`}
                  onClick={() => onOpen(m, dim, r.key, r.name)}
                >
                  {n}
                </Typography.Link>
              ) : (
                0
              );
            },
          })),
          {
            title: '按期办结率',
            key: 'onTimeRate',
            render: (_: unknown, r: (typeof rows)[number]) =>
              formatRate(ratesOf(r.counts).onTimeRate),
          },
        ]}
      />
    </>
  );
}

function StaleDevices({ figures }: { figures: FiguresResponse }) {
  return (
    <Card
      size="small"
      title={`多日未同步的村（社区）电脑`}
      data-testid="stale-devices"
      style={{ marginBottom: 12 }}
    >
      {figures.staleDevices.length === 0 ? (
        <Typography.Text type="secondary">所有村（社区）电脑近期都已同步</Typography.Text>
      ) : (
        <Table
          size="small"
          rowKey="deviceId"
          pagination={false}
          dataSource={figures.staleDevices}
          columns={[
            { title: '电脑', dataIndex: 'name', key: 'name' },
            { title: '村（社区）', dataIndex: 'unitName', key: 'unit' },
            {
              title: '最后上传',
              key: 'last',
              render: (_, d) => (d.lastUpload ? chinaDateTime(d.lastUpload) : '从未上传'),
            },
            {
              title: '未同步',
              key: 'days',
              render: (_, d) => (d.days === null ? '—' : <Tag color="red">{d.days} 天</Tag>),
            },
          ]}
        />
      )}
    </Card>
  );
}
