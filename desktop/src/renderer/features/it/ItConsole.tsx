/**
 * 运维管理 — the it_admin's own screen: devices, users, the units tree and the hub's health,
 * all online against /api/it (hub-side checks are the CLI's). Calendars and releases are
 * still managed with the hub's CLI; the tab says which commands.
 */
import { useCallback } from 'react';
import { Alert, Card, Tabs, Tree, Typography } from 'antd';
import { useApp } from '../../appContext';
import { DevicesTab } from './DevicesTab';
import { HealthTab } from './HealthTab';
import { itApi } from './itApi';
import { unitTree } from './unitNames';
import { UsersTab } from './UsersTab';
import { useItData } from './useItData';

export function ItConsole() {
  const { cfg } = useApp();
  const loadUnits = useCallback(() => itApi.units(cfg), [cfg]);
  const { data: units, error } = useItData(loadUnits);
  return (
    <Card title="运维管理" data-testid="it-console">
      {error && (
        <Alert type="error" showIcon title={`单位列表：${error}`} style={{ marginBottom: 12 }} />
      )}
      <Tabs
        items={[
          { key: 'devices', label: '设备', children: <DevicesTab units={units} /> },
          { key: 'users', label: '用户', children: <UsersTab units={units} /> },
          {
            key: 'units',
            label: '单位',
            children: units ? (
              <Tree treeData={unitTree(units)} defaultExpandAll selectable={false} />
            ) : null,
          },
          { key: 'health', label: '枢纽状态', children: <HealthTab /> },
          {
            key: 'cli',
            label: '日历与更新',
            children: (
              <Typography>
                <Typography.Paragraph>
                  节假日日历和客户端更新源目前在中心服务器上用命令管理（见《IT 运维指南》）：
                </Typography.Paragraph>
                <pre>{`npx sibantong-hub calendar status
npx sibantong-hub calendar import 2027.json
npx sibantong-hub release list
npx sibantong-hub release rollout --channel stable --percent 20
npx sibantong-hub release rollback --channel stable`}</pre>
              </Typography>
            ),
          },
        ]}
      />
    </Card>
  );
}
