/**
 * The cockpit while the hub rebuilds its figures on a large store (sync-server figureSource.ts):
 * the supervisor keeps the last figures with their time and is told the hub is updating them,
 * with how far it is — not "cannot reach the hub" — and sees the figures again once it is done.
 * A real hub process; its size limit for answering from views is lowered so that a small demo
 * history counts as large. The charts are left out (jsdom has no canvas; the journeys draw
 * them in Chromium).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { EnrollResponse, FiguresResponse, SessionUser } from '@sibantong/shared';
import { startHub, type HubHandle } from '../../../sync-server/test/helpers/hubProcess';
import { enrolDevices, waitFor as waitUntil } from '../../../sync-server/test/helpers/client';
import {
  rivalRebuilding,
  rivalReleasesFiguresLease,
  rivalTakesFiguresLease,
} from '../../../sync-server/test/helpers/figuresRival';
import { AppContext, type AppCtx } from '../../src/renderer/appContext';
import { deviceConfigFrom, type DeviceConfig } from '../../src/renderer/auth/deviceConfig';
import { CockpitPage, defaultRange } from '../../src/renderer/features/cockpit/CockpitPage';
import { fetchFigures, keepFigures } from '../../src/renderer/features/cockpit/cockpitApi';
import { registerDevice } from './support/deviceSessions';
import { renderScreen, useTestDatabase } from './support/renderInApp';

vi.mock('../../src/renderer/auth/sessionStore', () => import('./support/deviceSessions'));
vi.mock('../../src/renderer/features/cockpit/useEchart', () => ({
  useEchart: () => ({ current: null }),
}));

const testDb = useTestDatabase();
let hub: HubHandle;
let cfg: DeviceConfig;

beforeAll(async () => {
  hub = await startHub({ env: { HUB_FIGURES_VIEWS_MAX_CASES: '10' } });
  const seeded = await hub.cli(['seed-demo', '--history', '--days', '10', '--seed', '5']);
  if (seeded.code !== 0) throw new Error(seeded.stderr);
  const [device] = (await enrolDevices(hub, 'county-sx', 1)) as [EnrollResponse];
  registerDevice(device.deviceId, 'sup', device.deviceSecret);
  cfg = await deviceConfigFrom(hub.url, device, true);
}, 240_000);
afterAll(async () => {
  await hub?.stop();
});

const sup = { userId: 'sup', username: 'sup', name: '督办员', role: 'supervisor' } as SessionUser;

async function renderCockpit() {
  const ctx = {
    db: await testDb.open('cockpit'),
    cfg,
    user: sup,
    navigate: () => undefined,
    syncNow: () => undefined,
    changeDeviceConfig: () => undefined,
  } as unknown as AppCtx;
  return renderScreen(
    <AppContext.Provider value={ctx}>
      <CockpitPage />
    </AppContext.Provider>,
  );
}

describe('cockpit while the hub rebuilds its figures', { timeout: 180_000 }, () => {
  it('keeps the last figures, says the hub is updating them and how far, then shows them', async () => {
    // The figures as the supervisor last read them (once the hub's aggregates were built).
    let last: FiguresResponse | null = null;
    await waitUntil(
      async () => {
        last = await fetchFigures(cfg, defaultRange()).catch(() => null);
        return last !== null;
      },
      60_000,
      300,
    );
    keepFigures(sup.userId, last!);

    // Another hub process takes over the aggregates and is 40 % through rebuilding them.
    await rivalTakesFiguresLease(hub);
    await rivalRebuilding(hub, 400, 1000);

    await renderCockpit();
    const notice = await screen.findByTestId('cockpit-offline', {}, { timeout: 30_000 });
    expect(notice.textContent).toMatch(
      /中心服务器正在更新统计数据（稍后自动刷新），显示的是 .+ 的数据（.+ 至 .+）/,
    );
    expect(notice.textContent).toContain('已完成 40%');
    expect(notice.textContent).not.toContain('无法连接');
    expect(screen.getByTestId('cockpit-as-of').textContent).toContain(last!.to);

    // The rival stops: this hub rebuilds; asked again, the cockpit shows current figures.
    await rivalReleasesFiguresLease(hub);
    await waitUntil(
      async () => (await fetchFigures(cfg, defaultRange()).catch(() => null)) !== null,
      60_000,
      500,
    );
    fireEvent.click(screen.getByTestId('cockpit-refresh'));
    await waitFor(() => expect(screen.queryByTestId('cockpit-offline')).toBeNull(), {
      timeout: 30_000,
    });
    expect(screen.getByTestId('cockpit-scope').textContent).toBe('示县驾驶舱');
  });
});
