/**
 * 枢纽状态: which store serves the county, the hub's version, the workflow's backlog and its
 * dead letters, each with 重试 (run on the hub process that runs the workflow) and the result;
 * the hub's warm-up since its start, the state of the cockpit's figures (why sync or the
 * cockpit may be slow or empty for a while) and the hub's memory and stalls.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Descriptions, Space, Table, Tag, Typography } from 'antd';
import type { ItDeadLetter, ItHealth } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { itApi, itErrorText } from './itApi';
import { retrySummary, type RetrySummary } from './retryOutcome';
import { runtimeText } from './runtimeText';
import { useItData } from './useItData';

/** Seconds between two hub times, for people. */
function took(from: string, to: string): string {
  const s = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
  return s < 120 ? `${s} 秒` : `${Math.round(s / 60)} 分钟`;
}

function warmUpText(w: ItHealth['warmUp']): string {
  const since = new Date(w.startedAt).toLocaleString('zh-CN');
  return w.ready && w.readyAt
    ? `已完成：读取 ${w.casesRead.toLocaleString('zh-CN')} 件办件，用时 ${took(w.startedAt, w.readyAt)}（${since} 启动）`
    : `进行中：已读取 ${w.casesRead.toLocaleString('zh-CN')} 件办件（${since} 启动）。完成前同步较慢，办件越多用时越长`;
}

const FIGURES_TEXT: Record<ItHealth['figures']['state'], (f: ItHealth['figures']) => string> = {
  current: () => '已是最新',
  rebuilding: (f) => `正在重建（已完成 ${f.percent ?? 0}%），期间驾驶舱显示上次的数据`,
  pending: () => '正在准备，完成前驾驶舱可能暂时无法显示统计',
  off: () => '未启用汇总（HUB_FIGURE_AGGREGATES=off），按存储视图统计',
};

/** While the hub warms up or rebuilds the figures, the tab refreshes itself this often. */
const SETTLING_REFRESH_MS = 5_000;

export function HealthTab() {
  const { cfg } = useApp();
  const load = useCallback(() => itApi.health(cfg), [cfg]);
  const { data, error, loading, reload } = useItData(load);
  const settling =
    data !== null &&
    (!data.warmUp.ready || data.figures.state === 'rebuilding' || data.figures.state === 'pending');
  // Progress IT is waiting on moves without a click; re-armed by every answer, stopped once
  // the hub is warm and its figures current (or when the tab closes).
  useEffect(() => {
    if (!settling) return;
    const timer = setTimeout(() => void reload(), SETTLING_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [settling, data, reload]);
  const [outcome, setOutcome] = useState<RetrySummary | null>(null);
  /** The letter being retried ('all' for every one), to show which button waits. */
  const [busy, setBusy] = useState<string | null>(null);

  const retry = async (which: string) => {
    setBusy(which);
    try {
      const results =
        which === 'all'
          ? await itApi.retryAllDeadLetters(cfg)
          : await itApi.retryDeadLetter(cfg, which);
      setOutcome(retrySummary(results));
    } catch (e) {
      setOutcome({ type: 'warning', text: itErrorText(e) });
    } finally {
      setBusy(null);
      await reload();
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Button onClick={() => void reload()} loading={loading}>
          刷新
        </Button>
        {settling && (
          <Typography.Text type="secondary" data-testid="it-health-auto">
            枢纽正在预热或更新统计，每 {SETTLING_REFRESH_MS / 1000} 秒自动刷新
          </Typography.Text>
        )}
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {data && (
        <Descriptions bordered size="small" column={1} data-testid="it-health">
          <Descriptions.Item label="中心服务器地址">{cfg.hubUrl}</Descriptions.Item>
          <Descriptions.Item label="枢纽版本">{data.hubVersion}</Descriptions.Item>
          <Descriptions.Item label="数据存储">
            {data.store.kind === 'couchdb' ? 'CouchDB' : '内置存储'}（{data.store.version}）
          </Descriptions.Item>
          <Descriptions.Item label="待处理的流程积压">
            {data.backlog === null ? '未知' : `${data.backlog} 项`}
          </Descriptions.Item>
          <Descriptions.Item label="未处理的后台任务失败">
            {data.deadLetters.length} 条
          </Descriptions.Item>
          <Descriptions.Item label="启动预热">
            <span data-testid="it-warm-up">{warmUpText(data.warmUp)}</span>
          </Descriptions.Item>
          <Descriptions.Item label="驾驶舱统计">
            <span data-testid="it-figures">{FIGURES_TEXT[data.figures.state](data.figures)}</span>
          </Descriptions.Item>
          <Descriptions.Item label="运行状态">
            <span data-testid="it-runtime">{runtimeText(data.runtime)}</span>
          </Descriptions.Item>
        </Descriptions>
      )}
      {outcome && (
        <Alert
          data-testid="it-retry-outcome"
          type={outcome.type}
          showIcon
          closable
          onClose={() => setOutcome(null)}
          title={outcome.text}
        />
      )}
      {data && data.deadLetters.length > 0 && (
        <>
          <Button
            data-testid="it-retry-all"
            loading={busy === 'all'}
            disabled={busy !== null}
            onClick={() => void retry('all')}
          >
            全部重试
          </Button>
          <Table<ItDeadLetter>
            data-testid="it-dead-letters"
            size="small"
            rowKey="id"
            dataSource={data.deadLetters}
            pagination={false}
            columns={[
              { title: '办件', dataIndex: 'caseId' },
              { title: '任务', dataIndex: 'job' },
              { title: '原因', render: (_, l) => `${l.message}（${l.code}）` },
              { title: '尝试次数', dataIndex: 'attempts' },
              {
                title: '最近一次',
                render: (_, l) => new Date(l.lastAt).toLocaleString('zh-CN'),
              },
              {
                title: '操作',
                render: (_, l) =>
                  l.retryQueuedAt ? (
                    <Tag color="blue">已排队重试</Tag>
                  ) : (
                    <Button
                      size="small"
                      data-testid={`retry-${l.id}`}
                      loading={busy === l.id}
                      disabled={busy !== null}
                      onClick={() => void retry(l.id)}
                    >
                      重试
                    </Button>
                  ),
              },
            ]}
          />
        </>
      )}
      <Typography.Paragraph type="secondary">
        失败的后台任务在办件下一次变化时自动重试；排除原因后（如导入缺少的节假日表、修复损坏的记录）可点“重试”立即重新处理。备份、恢复和迁移见《IT
        运维指南》中的命令。
      </Typography.Paragraph>
    </Space>
  );
}
