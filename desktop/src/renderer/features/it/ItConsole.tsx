/**
 * 运维管理 — the it_admin's own screen: devices, users, the units tree and the hub's health,
 * the calendar and the update channels, all online against /api/it (hub-side checks are the
 * CLI's); publishing a build stays on the hub's CLI (it reads a folder on the server).
 */
import { useCallback } from 'react';
import { Alert, Card, Tabs, Tree } from 'antd';
import { useApp } from '../../appContext';
import { CalendarTab } from './CalendarTab';
import { DevicesTab } from './DevicesTab';
import { ReleasesTab } from './ReleasesTab';
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
          { key: 'calendar', label: '日历', children: <CalendarTab /> },
          { key: 'releases', label: '更新源', children: <ReleasesTab /> },
        ]}
      />
    </Card>
  );
}
