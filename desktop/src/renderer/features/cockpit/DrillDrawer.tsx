import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Drawer, Space, Table, Typography } from 'antd';
import type { FigureCasesResponse } from '@sibantong/shared';
import { HubError } from '../../api/hubClient';
import { useApp } from '../../appContext';
import { useMatters, useOrgUnits } from '../../hooks/useReference';
import { caseColumns, fullIdentities, type FullIdentity } from '../ledgers/caseSheet';
import { downloadXlsx } from '../ledgers/exportXlsx';
import { fetchFigureCases, type DrillTarget } from './cockpitApi';

/** The cases behind a number (GET /api/figures/cases): listed, exported, printed. */
export function DrillDrawer({
  target,
  onClose,
}: {
  target: DrillTarget | null;
  onClose: () => void;
}) {
  const { cfg, db, user, navigate } = useApp();
  const org = useOrgUnits();
  const matters = useMatters();
  const [answer, setAnswer] = useState<FigureCasesResponse | null>(null);
  const [identity, setIdentity] = useState<Map<string, FullIdentity>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!target) return;
    let live = true;
    setAnswer(null);
    setError(null);
    setLoading(true);
    fetchFigureCases(cfg, target)
      .then(async (a) => {
        const ids = await fullIdentities(
          db,
          user.role,
          a.cases.map((c) => c.id),
        );
        if (!live) return;
        setAnswer(a);
        setIdentity(ids);
      })
      .catch((e: unknown) => {
        if (live) setError(e instanceof HubError ? e.message : '读取办件清单失败');
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [target, cfg, db, user.role]);

  const columns = useMemo(
    () =>
      caseColumns(
        { unit: org.name, matter: (c) => matters.byCode.get(c)?.name ?? c },
        identity,
        target?.metric === 'overdueOpen' ? '承诺日期' : '日期',
      ),
    [org, matters, identity, target],
  );
  const rows = answer?.cases ?? [];
  const subtitle = target
    ? `${target.metric === 'overdueOpen' ? '截至今日' : `${target.from} 至 ${target.to}`} · 共 ${answer?.total ?? 0} 件`
    : '';

  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      width="85%"
      title={target?.title}
      extra={
        <Space className="no-print">
          <Button
            disabled={!answer}
            data-testid="drill-export"
            onClick={() =>
              target &&
              void downloadXlsx(
                `${target.title.replace(/[\\/:*?"<>|· ]+/g, '_')}`,
                target.title,
                subtitle,
                columns,
                rows,
              )
            }
          >
            导出 Excel
          </Button>
          <Button onClick={() => window.print()}>打印</Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary" data-testid="drill-summary">
        {subtitle}
        {answer?.truncated ? '（仅列出前 2000 件）' : ''}
      </Typography.Paragraph>
      <Table
        size="small"
        loading={loading}
        rowKey="id"
        data-testid="drill-table"
        dataSource={rows}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        onRow={(r) => ({
          onClick: () => {
            // Opens the case when this PC holds it (the county's cases sync to the supervisor).
            void db.cases
              .findOne(r.id)
              .exec()
              .then((d) => {
                if (d) {
                  onClose();
                  navigate({ page: 'case', caseId: r.id });
                }
              });
          },
          style: { cursor: 'pointer' },
        })}
        columns={columns.map((c, i) => ({
          key: String(i),
          title: c.header,
          render: (_: unknown, r: (typeof rows)[number]) => c.value(r),
        }))}
      />
    </Drawer>
  );
}
