/**
 * The IT console's screens against a real hub process: a PC's own report (its database's
 * pending cases, its app version) shows in 设备 under 版本 and 待上传, a PC that never
 * reported shows 未报告; in 枢纽状态 a dead letter's 重试 tells IT it failed again while the
 * cause stays, and once the cause is fixed that it was processed, and the letter leaves the list;
 * it also shows the hub's warm-up and whether the cockpit's figures are current, and follows a
 * rebuild of them by itself until they are.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { CaseDoc, EnrollResponse, ItHealth, SessionUser } from '@sibantong/shared';
import type { HubHandle } from '../../../sync-server/test/helpers/hubProcess';
import {
  enrolDevices,
  http,
  loginAs,
  waitFor as waitUntil,
  type TestClient,
} from '../../../sync-server/test/helpers/client';
import { newCase, pushVersions } from '../../../sync-server/test/helpers/cases';
import {
  rivalRebuilding,
  rivalReleasesFiguresLease,
  rivalTakesFiguresLease,
} from '../../../sync-server/test/helpers/figuresRival';
import { storeAdmin } from '../../../sync-server/test/helpers/storeAdmin';
import { deviceConfigFrom, type DeviceConfig } from '../../src/renderer/auth/deviceConfig';
import {
  currentReport,
  sendDeviceReport,
  startDeviceReports,
} from '../../src/renderer/features/it/deviceReport';
import { DevicesTab } from '../../src/renderer/features/it/DevicesTab';
import { HealthTab } from '../../src/renderer/features/it/HealthTab';
import { helper, History, receive } from './caseHistory';
import { registerDevice } from './support/deviceSessions';
import { startSeededHub } from './support/liveHub';
import { renderInApp, useTestDatabase } from './support/renderInApp';

vi.mock('../../src/renderer/auth/sessionStore', () => import('./support/deviceSessions'));

const testDb = useTestDatabase();
let hub: HubHandle;
let itDevice: EnrollResponse;
let itCfg: DeviceConfig;

beforeAll(async () => {
  hub = await startSeededHub();
  [itDevice] = (await enrolDevices(hub, 'county-sx', 1)) as [EnrollResponse];
  registerDevice(itDevice.deviceId, 'it', itDevice.deviceSecret);
  itCfg = await deviceConfigFrom(hub.url, itDevice, true);
}, 120_000);
afterAll(async () => {
  await hub?.stop();
});

/** Renders a console screen as IT, signed in on the county's PC against the real hub. */
function asIt(ui: ReactElement) {
  return renderInApp(ui, {
    cfg: itCfg,
    user: { userId: 'it', username: 'it', name: '信息员', role: 'it_admin' } as SessionUser,
  });
}

describe('IT console against a real hub', { timeout: 120_000 }, () => {
  it("shows the hub's warm-up since its start and whether the cockpit's figures are current", async () => {
    const admin = await loginAs(hub, itDevice, 'it');
    // As the hub reports it once it has read its cases and summed them.
    const health = await waitUntil(async () => {
      const h = (await http<ItHealth>(`${hub.url}/api/it/health`, { token: admin.token })).body;
      return h.warmUp.ready && h.figures.state === 'current' ? h : null;
    }, 60_000);
    asIt(<HealthTab />);
    const warm = await screen.findByTestId('it-warm-up');
    expect(warm.textContent).toContain('已完成');
    expect(warm.textContent).toContain(
      `读取 ${health.warmUp.casesRead.toLocaleString('zh-CN')} 件办件`,
    );
    expect(screen.getByTestId('it-figures').textContent).toBe('已是最新');
    expect(screen.getByTestId('it-runtime').textContent).toContain(
      `（上限 ${health.runtime.heapLimitMb.toLocaleString('zh-CN')} MB）`,
    );
    expect(screen.queryByTestId('it-health-auto')).toBeNull();
  });

  it("follows a rebuild of the cockpit's figures by itself until they are current", async () => {
    // Another hub process keeps the figures and has read a quarter of its rebuild.
    await rivalTakesFiguresLease(hub);
    await rivalRebuilding(hub, 250, 1000);
    asIt(<HealthTab />);
    const figures = await screen.findByTestId('it-figures');
    await waitFor(() => expect(figures.textContent).toContain('已完成 25%'));
    expect(screen.getByTestId('it-health-auto')).toBeTruthy();
    // Half way: the tab shows it without a click.
    await rivalRebuilding(hub, 500, 1000);
    await waitFor(
      () => expect(screen.getByTestId('it-figures').textContent).toContain('已完成 50%'),
      {
        timeout: 12_000,
      },
    );
    // The rival stops; this hub rebuilds, and the tab settles on 已是最新 and stops refreshing.
    await rivalReleasesFiguresLease(hub);
    await waitFor(() => expect(screen.getByTestId('it-figures').textContent).toBe('已是最新'), {
      timeout: 60_000,
    });
    expect(screen.queryByTestId('it-health-auto')).toBeNull();
  });

  it("shows a PC's reported version and pending uploads, and 未报告 for a PC that never reported", async () => {
    const [pc] = (await enrolDevices(hub, 'village-dq-01', 1)) as [EnrollResponse];
    registerDevice(pc.deviceId, 'v.dq01', pc.deviceSecret);
    const pcCfg = await deviceConfigFrom(hub.url, pc, true);
    // The PC's database: one case the hub has stamped, one with a step it has not.
    const db = await testDb.open('dev-report');
    const h = new History().add(helper, 'receive', receive([])).add(helper, 'accept', {});
    await db.cases.insert(h.doc({ id: 'k-synced' }));
    const waiting = h.doc({ id: 'k-waiting' });
    await db.cases.insert({
      ...waiting,
      events: waiting.events.map((e, i) => (i === 1 ? { ...e, hubTime: undefined } : e)),
    });

    expect(await currentReport(db, '1.4.2')).toEqual({ appVersion: '1.4.2', pendingUploads: 1 });
    // A version the hub would refuse is left out; the count still goes.
    expect(await currentReport(db, 'dev build')).toEqual({ pendingUploads: 1 });
    expect(await sendDeviceReport(db, pcCfg, '1.4.2')).toBe(true);

    asIt(<DevicesTab units={null} />);
    const row = await screen.findByTestId(`device-${pc.deviceId}`);
    expect(within(row).getByText('1.4.2')).toBeTruthy();
    expect(within(row).getByText('1 件')).toBeTruthy();
    expect(within(row).getByText(/报告于/)).toBeTruthy();
    const silent = screen.getByTestId(`device-${itDevice.deviceId}`);
    expect(within(silent).getAllByText('未报告')).toHaveLength(2);
    const headers = screen.getAllByRole('columnheader').map((c) => c.textContent);
    expect(headers).toEqual(expect.arrayContaining(['版本', '待上传']));
  });

  it('a signed-in PC reports on its own; without a known version it still reports its pending count', async () => {
    const [pc] = (await enrolDevices(hub, 'village-dq-02', 1)) as [EnrollResponse];
    registerDevice(pc.deviceId, 'v.dq02', pc.deviceSecret);
    const pcCfg = await deviceConfigFrom(hub.url, pc, true);
    const db = await testDb.open('dev-report-timer');
    const h = new History().add(helper, 'receive', receive([]));
    const waiting = h.doc({ id: 'k-new' });
    await db.cases.insert({
      ...waiting,
      events: waiting.events.map((e) => ({ ...e, hubTime: undefined })),
    });
    // This jsdom "PC" has no Electron bridge: no version to report.
    const stop = startDeviceReports(db, pcCfg, { firstMs: 0, everyMs: 60_000 });
    try {
      asIt(<DevicesTab units={null} />);
      await waitFor(
        async () => {
          fireEvent.click(screen.getByRole('button', { name: /刷\s*新/ }));
          const row = await screen.findByTestId(`device-${pc.deviceId}`);
          expect(within(row).getByText('1 件')).toBeTruthy();
        },
        { timeout: 15_000, interval: 500 },
      );
      const row = screen.getByTestId(`device-${pc.deviceId}`);
      expect(within(row).getAllByText('未报告')).toHaveLength(1);
    } finally {
      stop();
    }
  });

  it('retries a dead letter: 仍失败 while the cause stays, processed and gone once fixed', async () => {
    const village: TestClient = await loginAs(
      hub,
      (await enrolDevices(hub, 'village-dq-01', 1))[0]!,
      'v.dq01',
    );
    const admin = await loginAs(hub, itDevice, 'it');
    // A broken record in the hub's store (an official-number reservation without the number)
    // makes the numbering job fail on this case until it is removed.
    const doc: CaseDoc = await newCase(village);
    const store = storeAdmin(hub);
    const poison = `/${store.db('hub')}/${encodeURIComponent(`officialno:${doc.id}`)}`;
    expect((await store.put(poison, { type: 'official_no', caseId: doc.id })).status).toBe(201);
    const [pushed] = await pushVersions(village, [[null, doc]]);
    expect(pushed?.status).toBe('accepted');
    const letter = await waitUntil(async () => {
      const r = await http<ItHealth>(`${hub.url}/api/it/health`, { token: admin.token });
      return r.body.deadLetters.find((l) => l.caseId === doc.id);
    }, 30_000);

    asIt(<HealthTab />);
    fireEvent.click(await screen.findByTestId(`retry-${letter.id}`));
    await waitFor(() =>
      expect(screen.getByTestId('it-retry-outcome').textContent).toContain('重试仍失败'),
    );
    expect(screen.getByTestId(`retry-${letter.id}`)).toBeTruthy();

    const rev = ((await store.get(poison)).body as { _rev: string })._rev;
    expect((await store.del(`${poison}?rev=${rev}`)).status).toBe(200);
    fireEvent.click(screen.getByTestId(`retry-${letter.id}`));
    await waitFor(() =>
      expect(screen.getByTestId('it-retry-outcome').textContent).toContain('已重新处理成功'),
    );
    await waitFor(() => expect(screen.queryByTestId(`retry-${letter.id}`)).toBeNull());
  });
});
