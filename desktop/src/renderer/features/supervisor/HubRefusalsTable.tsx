import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import type { RefusalRecord } from '@sibantong/shared';
import { HubError } from '../../api/hubClient';
import { useApp } from '../../appContext';
import { CASE_EVENT_LABELS_ZH as EVENT_LABELS } from '@sibantong/shared';
import { useOnline } from '../../hooks/useOnline';
import { useOrgUnits } from '../../hooks/useReference';
import { fetchRefusals } from './supervisorApi';

/**
 * 被拒写入 across the county, as the hub recorded them (GET /api/refusals). Read from the hub
 * on demand rather than replicated: it is the supervisor's view only and needs no offline copy.
 *
 * Parts of a record come from the refused row as a device pushed it (case number, event types),
 * so they are attacker-chosen: every value is rendered as React text (never as HTML), and an
 * event type outside the shared list shows as 未知操作 rather than as the pushed string.
 */
export function HubRefusalsTable() {
  const { cfg } = useApp();
  const online = useOnline();
  const org = useOrgUnits();
  const [rows, setRows] = useState<RefusalRecord[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (before: string | null) => {
      setLoading(true);
      try {
        const page = await fetchRefusals(cfg, before);
        setRows((prev) => (before ? [...prev, ...page.refusals] : page.refusals));
        setNext(page.next);
        setError(null);
      } catch (e) {
        setError(e instanceof HubError ? e.message : '读取被拒写入记录失败');
      } finally {
        setLoading(false);
      }
    },
    [cfg],
  );
  useEffect(() => {
    if (online) void load(null);
  }, [online, load]);

  return (
    <Card
      title="被拒写入（全县）"
      size="small"
      style={{ marginBottom: 12 }}
      data-testid="hub-refusals"
      extra={
        <Button size="small" disabled={!online} onClick={() => void load(null)}>
          刷新
        </Button>
      }
    >
      {!online && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          message="当前离线：被拒写入记录保存在中心服务器上，联网后才能查看。"
        />
      )}
      {error && <Alert type="error" showIcon style={{ marginBottom: 8 }} message={error} />}
      <Table<RefusalRecord>
        size="small"
        rowKey="id"
        loading={loading}
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: '没有被拒写入' }}
        columns={[
          {
            title: '时间',
            key: 't',
            render: (_, r) => dayjs(r.hubTime).format('MM-DD HH:mm:ss'),
          },
          { title: '办件', dataIndex: 'provisionalNo', key: 'no' },
          { title: '单位', key: 'u', render: (_, r) => org.name(r.unitId) },
          { title: '人员', dataIndex: 'userName', key: 'user' },
          {
            title: '设备',
            key: 'dev',
            // The PC's name as IT registered it; the id only for a PC the hub no longer knows.
            render: (_, r) => r.deviceName ?? r.deviceId,
          },
          {
            title: '被拒操作',
            key: 'ev',
            render: (_, r) =>
              r.refusedEventTypes.map((t, i) => (
                <Tag key={i}>
                  {Object.hasOwn(EVENT_LABELS, t)
                    ? EVENT_LABELS[t as keyof typeof EVENT_LABELS]
                    : t
                      ? '未知操作'
                      : '—'}
                </Tag>
              )),
          },
          {
            title: '中心服务器的理由',
            key: 'm',
            render: (_, r) => (
              <span data-testid="hub-refusal-message">
                {r.message}（{r.code}）
              </span>
            ),
          },
        ]}
      />
      {next && (
        <Space style={{ marginTop: 8 }}>
          <Button size="small" onClick={() => void load(next)} disabled={!online || loading}>
            加载更多
          </Button>
        </Space>
      )}
    </Card>
  );
}
