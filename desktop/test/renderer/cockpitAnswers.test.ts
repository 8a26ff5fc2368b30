/**
 * The cockpit reads only figures the shared schema admits: a real hub's answers pass, an
 * answer of another shape (an older hub, a proxy's page) is a clear Chinese error with a
 * stable code instead of a cockpit of blanks, and an offline copy that no longer fits is
 * dropped rather than shown.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EnrollResponse } from '@sibantong/shared';
import type { HubHandle } from '../../../sync-server/test/helpers/hubProcess';
import { enrolDevices } from '../../../sync-server/test/helpers/client';
import { deviceConfigFrom, type DeviceConfig } from '../../src/renderer/auth/deviceConfig';
import {
  FIGURES_ANSWER_INVALID,
  fetchFigureCases,
  fetchFigures,
  fetchSupervisionLedger,
  keepFigures,
  lastFigures,
} from '../../src/renderer/features/cockpit/cockpitApi';
import { registerDevice } from './support/deviceSessions';
import { startSeededHub } from './support/liveHub';

vi.mock('../../src/renderer/auth/sessionStore', () => import('./support/deviceSessions'));

let hub: HubHandle;
let cfg: DeviceConfig;
let odd: Server;
let oddUrl: string;
const today = new Date().toISOString().slice(0, 10);
const range = { from: today, to: today, grain: 'day' as const };

beforeAll(async () => {
  hub = await startSeededHub();
  const [device] = (await enrolDevices(hub, 'county-sx', 1)) as [EnrollResponse];
  registerDevice(device.deviceId, 'sup', device.deviceSecret);
  cfg = await deviceConfigFrom(hub.url, device, true);
  // Answers as an older hub without breakdowns, or with counts as text, would give them.
  odd = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url?.startsWith('/api/figures/cases'))
      res.end(JSON.stringify({ metric: 'received', total: '3', cases: [], truncated: false }));
    else if (req.url?.startsWith('/api/figures/supervision')) res.end(JSON.stringify({ rows: [] }));
    else res.end(JSON.stringify({ totals: { received: 3 }, trend: [] }));
  });
  await new Promise<void>((r) => odd.listen(0, '127.0.0.1', r));
  oddUrl = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  odd?.closeAllConnections();
  await new Promise((r) => odd?.close(r));
  await hub?.stop();
});

describe('figure answers', () => {
  it("the real hub's answers are read", async () => {
    const f = await fetchFigures(cfg, range);
    expect(f.scope).toMatchObject({ kind: 'county', unitId: 'county-sx' });
    expect(f).toMatchObject({ from: today, to: today, grain: 'day', staleDevices: [] });
    const c = await fetchFigureCases(cfg, { metric: 'received', ...range, title: '收件' });
    expect(c).toMatchObject({ metric: 'received', total: 0, truncated: false });
    const l = await fetchSupervisionLedger(cfg, today, today);
    expect(l.records).toEqual([]);
  });

  it('an answer of another shape is refused with a code and a Chinese message', async () => {
    await fetchFigures(cfg, range); // signed in on the real hub first
    const other = { ...cfg, hubUrl: oddUrl };
    for (const call of [
      () => fetchFigures(other, range),
      () => fetchFigureCases(other, { metric: 'received', ...range, title: '收件' }),
      () => fetchSupervisionLedger(other, today, today),
    ]) {
      const e = await call().then(
        () => null,
        (x: unknown) => x as { code: string; message: string },
      );
      expect(e?.code).toBe(FIGURES_ANSWER_INVALID);
      expect(e?.message).toMatch(/^中心服务器返回的统计数据无法识别（.*格式不正确：/);
    }
  });

  it('the offline copy is kept when it fits and dropped when it does not', async () => {
    const f = await fetchFigures(cfg, range);
    keepFigures('sup', f);
    expect(lastFigures('sup')).toEqual(f);
    localStorage.setItem('sbt.cockpit.sup', JSON.stringify({ ...f, totals: { received: -1 } }));
    expect(lastFigures('sup')).toBeNull();
  });
});
