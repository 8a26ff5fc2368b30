import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { ROLE_LABELS_ZH, type SessionUser } from '@sibantong/shared';
import { AppContext, type AppCtx, type Route } from '../../appContext';
import type { DeviceConfig } from '../../auth/deviceConfig';
import { logout } from '../../auth/sessionStore';
import type { AppDatabase } from '../../db/database';
import { startSync, type SyncEngine } from '../../sync/replication';
import { SyncStatusBar } from './SyncStatusBar';
import { OfflineBanner } from './OfflineBanner';
import { useCaseNotifications } from '../../notifications/useCaseNotifications';
import { HomePage } from './HomePage';
import { AcceptCaseForm } from '../village/AcceptCaseForm';
import { CaseList } from '../cases/CaseList';
import { CaseDetail } from '../case-detail/CaseDetail';
import { RefusalList } from '../refusals/RefusalList';
import { SupervisorView } from '../supervisor/SupervisorView';
import { CockpitPage } from '../cockpit/CockpitPage';
import { LedgersPage } from '../ledgers/LedgersPage';
import { ItConsole } from '../it/ItConsole';
import { startDeviceReports } from '../it/deviceReport';
import { SettingsPage } from '../settings/SettingsPage';
import { ProjectList } from '../projects/ProjectList';
import { ProjectPage } from '../projects/ProjectPage';

function menuFor(user: SessionUser): { key: Route['page']; label: string }[] {
  const items: { key: Route['page']; label: string }[] = [];
  // IT works on devices and accounts, not on cases: its own console and the settings.
  if (user.role === 'it_admin') {
    return [
      { key: 'it', label: '运维管理' },
      { key: 'settings', label: '设置' },
    ];
  }
  if (user.role === 'supervisor') items.push({ key: 'supervisor', label: '督办' });
  else
    items.push({
      key: 'home',
      label:
        user.role === 'village_helper'
          ? '工作台'
          : user.role === 'dept_assistant'
            ? '协办收件箱'
            : '待办收件箱',
    });
  if (user.role === 'village_helper') items.push({ key: 'accept', label: '收件受理' });
  // 驾驶舱 and 台账 (docs/cockpit.md): the county's for the supervisor and centre, the town's for its lead.
  if (['supervisor', 'centre_agent', 'town_lead'].includes(user.role)) {
    items.push({ key: 'cockpit', label: '驾驶舱' }, { key: 'ledgers', label: '台账' });
  }
  items.push({ key: 'projects', label: '重点项目' });
  items.push(
    { key: 'cases', label: '全部办件' },
    { key: 'refusals', label: '被拒写入' },
    { key: 'settings', label: '设置' },
  );
  return items;
}

export function AppShell({
  db,
  cfg,
  user,
  onConfigChange,
}: {
  db: AppDatabase;
  cfg: DeviceConfig;
  user: SessionUser;
  onConfigChange: (cfg: DeviceConfig) => void;
}) {
  const [route, setRoute] = useState<Route>({
    page: user.role === 'supervisor' ? 'supervisor' : user.role === 'it_admin' ? 'it' : 'home',
  });
  const engine = useRef<SyncEngine | null>(null);

  useEffect(() => {
    const e = startSync(db, cfg);
    engine.current = e;
    const stopReports = startDeviceReports(db, cfg);
    return () => {
      engine.current = null;
      stopReports();
      void e.stop();
    };
  }, [db, cfg]);

  const ctx: AppCtx = useMemo(
    () => ({
      db,
      cfg,
      user,
      navigate: setRoute,
      syncNow: () => engine.current?.syncNow(),
      changeDeviceConfig: onConfigChange,
    }),
    [db, cfg, user, onConfigChange],
  );
  const items = useMemo(() => menuFor(user), [user]);
  useCaseNotifications(db, user, cfg.deviceId, setRoute);

  // Keyboard use at a busy counter: Alt+1…Alt+n switch pages, F2 opens 收件受理.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F2' && user.role === 'village_helper') {
        e.preventDefault();
        setRoute({ page: 'accept' });
        return;
      }
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      const target = Number.isInteger(n) && n >= 1 ? items[n - 1] : undefined;
      if (target) {
        e.preventDefault();
        setRoute({ page: target.key } as Route);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, user.role]);

  return (
    <AppContext.Provider value={ctx}>
      <Layout style={{ minHeight: '100%' }}>
        <Layout.Header
          className="no-print"
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 16,
            background: '#8e1b12',
            paddingInline: 16,
          }}
        >
          <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
            四办通
          </Typography.Title>
          <SyncStatusBar />
          <div style={{ flex: 1 }} />
          <Space>
            <Tag color="gold" data-testid="current-user">
              {ROLE_LABELS_ZH[user.role]} · {user.name}
            </Tag>
            <Button size="small" onClick={logout}>
              退出登录
            </Button>
          </Space>
        </Layout.Header>
        <OfflineBanner />
        <Layout>
          <Layout.Sider className="no-print" width={168} theme="light">
            <Menu
              mode="inline"
              selectedKeys={[route.page]}
              items={items.map((i) => ({
                key: i.key,
                label: <span data-testid={`nav-${i.key}`}>{i.label}</span>,
              }))}
              onClick={(e) => setRoute({ page: e.key as Route['page'] } as Route)}
            />
          </Layout.Sider>
          <Layout.Content style={{ padding: 16, background: '#f5f5f5' }}>
            {route.page === 'home' && <HomePage />}
            {route.page === 'accept' && (
              <AcceptCaseForm key={route.projectLink?.matterKey} projectLink={route.projectLink} />
            )}
            {route.page === 'cases' && <CaseList />}
            {route.page === 'case' && <CaseDetail key={route.caseId} caseId={route.caseId} />}
            {route.page === 'refusals' && <RefusalList />}
            {route.page === 'supervisor' && <SupervisorView />}
            {route.page === 'cockpit' && <CockpitPage />}
            {route.page === 'ledgers' && <LedgersPage />}
            {route.page === 'it' && <ItConsole />}
            {route.page === 'settings' && <SettingsPage />}
            {route.page === 'projects' && <ProjectList />}
            {route.page === 'project' && (
              <ProjectPage key={route.projectId} projectId={route.projectId} />
            )}
          </Layout.Content>
        </Layout>
      </Layout>
    </AppContext.Provider>
  );
}
