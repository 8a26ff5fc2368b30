// @vitest-environment node
/**
 * The renderer's sync engine (real RxDB, sync/replication.ts and its handlers) against a real
 * hub process over HTTP and server-sent events.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CaseDoc } from '@sibantong/shared';
import type { HubHandle } from '../../../sync-server/test/helpers/hubProcess';
import type { TestClient } from '../../../sync-server/test/helpers/client';
import { http } from '../../../sync-server/test/helpers/client';
import { newCase, pushVersions, withEvent } from '../../../sync-server/test/helpers/cases';
import './support/nodeWindow';
import { SimDesktop, hubClient, startSeededHub, until } from './support/liveHub';

vi.mock('../../src/renderer/auth/sessionStore', () => import('./support/deviceSessions'));

let hub: HubHandle;
let village: TestClient;
let centre: TestClient;
const desktops: SimDesktop[] = [];

beforeAll(async () => {
  hub = await startSeededHub();
  village = await hubClient(hub, 'village-dq-01', 'v.dq01');
  centre = await hubClient(hub, 'county-sx', 'c.agent');
}, 120_000);
afterAll(async () => {
  for (const d of desktops) await d.stop(true).catch(() => undefined);
  await hub?.stop();
});

async function hubCase(id: string): Promise<CaseDoc> {
  const all = await centre.pullAll('cases');
  return all.get(id)!;
}

async function pushAccepted(doc: CaseDoc, next: CaseDoc): Promise<CaseDoc> {
  const [r] = await pushVersions(village, [[doc, next]]);
  expect(r?.status).toBe('accepted');
  return (r as { document: CaseDoc }).document;
}

describe('a PC set up after the cases exist', () => {
  it('receives later changes to them and their removal, also after an app restart', async () => {
    const received = await newCase(village);
    const stored = await pushAccepted(null as unknown as CaseDoc, received);

    // A new village PC: its first start downloads the case (the pull-only catch-up).
    const pc = await SimDesktop.enrol(hub, 'village-dq-01', 'v.dq01');
    desktops.push(pc);
    const engine = await pc.start();
    await engine.ready;
    expect(engine.firstRound()).toMatchObject({ fresh: true });
    expect((await pc.case(received.id))?.events).toHaveLength(1);

    // The village's other PC accepts it; the hub binds the official number; the stream tells
    // the new PC, which must show both.
    await pushAccepted(stored, withEvent(village, stored, 'accept', {}));
    await until(async () => (await hubCase(received.id)).officialNo !== null, 15_000, 'number');
    const numbered = await hubCase(received.id);
    await until(
      async () => {
        const c = await pc.case(received.id);
        return c?.events.length === 2 && c.officialNo === numbered.officialNo;
      },
      15_000,
      'the accept and the official number on the new PC',
    );

    // After an app restart a further change still arrives.
    await pc.restart();
    await pc.engine!.ready;
    const logged = await pushAccepted(
      numbered,
      withEvent(village, numbered, 'log', { text: '电话联系申请人补正材料' }),
    );
    await until(
      async () => (await pc.case(received.id))?.events.length === logged.events.length,
      15_000,
      'the log line after a restart',
    );

    // The village hands the case to its town and the centre moves it to another village: it
    // must leave this PC.
    const forwarded = await pushAccepted(
      logged,
      withEvent(village, logged, 'forward', { toUnitId: 'town-dq', materials: [] }),
    );
    expect(forwarded.holderUnitId).toBe('town-dq');
    const moved = await http(`${hub.url}/api/admin/cases/${received.id}/move`, {
      token: centre.token,
      body: { toUnitId: 'village-dq-02', reason: '申请人户籍迁至二村' },
    });
    expect(moved.status).toBe(200);
    await until(async () => (await pc.case(received.id)) === null, 15_000, 'the removal');
  }, 90_000);
});
