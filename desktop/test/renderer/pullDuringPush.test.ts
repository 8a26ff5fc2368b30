// @vitest-environment node
/**
 * A hub version written right after this PC's push was answered, and pulled before RxDB has
 * stored that answer, must still reach the PC (sync/pulledVersions.ts). RxDB's downstream
 * skips it (the PC's copy still differs from its record of the hub's), and the pull
 * checkpoint is past it: without the refresh the PC stays one change behind for good — what
 * the convergence test saw (a village PC with three events of a case the hub held with four).
 *
 * Real RxDB, the renderer's sync engine and a real hub; the only thing the test adds is the
 * timing: it holds the push handler's answer until the other PC's change has been pulled.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createEvent, deriveCaseFields, type CaseDoc } from '@sibantong/shared';
import type { HubHandle } from '../../../sync-server/test/helpers/hubProcess';
import type { TestClient } from '../../../sync-server/test/helpers/client';
import { newCase, pushVersions, withEvent } from '../../../sync-server/test/helpers/cases';
import './support/nodeWindow';
import { SimDesktop, hubClient, startSeededHub, until } from './support/liveHub';

vi.mock('../../src/renderer/auth/sessionStore', () => import('./support/deviceSessions'));

/** Runs once after the push handler's next answer, before RxDB gets it. */
let afterAnswer: (() => Promise<void>) | null = null;
/** Case documents in every pull answer the PC received. */
const pulledDocs: CaseDoc[] = [];
/** While set, the PC's next case pull waits for it before it goes to the hub. */
let pullGate: Promise<void> | null = null;

vi.mock('../../src/renderer/sync/pushHandler', async (importOriginal) => {
  const push = await importOriginal<typeof import('../../src/renderer/sync/pushHandler')>();
  return {
    ...push,
    makePushHandler: (...args: Parameters<typeof push.makePushHandler>) => {
      const handler = push.makePushHandler(...args);
      return async (rows: Parameters<typeof handler>[0]) => {
        const answer = await handler(rows);
        const hold = afterAnswer;
        afterAnswer = null;
        if (hold) await hold();
        return answer;
      };
    },
  };
});
vi.mock('../../src/renderer/sync/hubSession', async (importOriginal) => {
  const session = await importOriginal<typeof import('../../src/renderer/sync/hubSession')>();
  return {
    ...session,
    authedFetch: async <T>(...args: Parameters<typeof session.authedFetch>) => {
      if (args[1].startsWith('/api/sync/cases/pull') && pullGate) {
        const gate = pullGate;
        pullGate = null;
        await gate;
      }
      const res = await session.authedFetch<T>(...args);
      if (args[1].startsWith('/api/sync/cases/pull'))
        pulledDocs.push(...((res as { documents: CaseDoc[] }).documents ?? []));
      return res;
    },
  };
});

let hub: HubHandle;
let otherPc: TestClient;
let pc: SimDesktop;

beforeAll(async () => {
  hub = await startSeededHub();
  otherPc = await hubClient(hub, 'village-dq-01', 'v.dq01');
}, 120_000);
afterAll(async () => {
  await pc?.stop(true).catch(() => undefined);
  await hub?.stop();
});

async function hubCase(id: string): Promise<CaseDoc> {
  return (await otherPc.pullAll('cases')).get(id)!;
}

it('a change the hub took after answering this PC, pulled before the answer was stored, reaches the PC', async () => {
  const [created] = await pushVersions(otherPc, [[null, await newCase(otherPc)]]);
  const received = (created as { document: CaseDoc }).document;

  pc = await SimDesktop.enrol(hub, 'village-dq-01', 'v.dq01');
  const engine = await pc.start();
  await engine.ready;
  await until(async () => (await pc.case(received.id)) !== null, 30_000, 'the download');

  // A pull starts (RxDB lets it start while nothing is being pushed) but reaches the hub only
  // after the other PC has logged a phone call, which the hub takes right after it answered
  // this PC's accept; RxDB gets that answer only once the pull has been handled.
  let openPull: () => void = () => undefined;
  pullGate = new Promise((r) => (openPull = r));
  engine.syncNow();
  await until(() => pullGate === null, 15_000, 'the pull to start');
  let logged: CaseDoc | null = null;
  afterAnswer = async () => {
    const atHub = await hubCase(received.id);
    const [r] = await pushVersions(otherPc, [
      [atHub, withEvent(otherPc, atHub, 'log', { text: '电话联系申请人补充材料' })],
    ]);
    expect(r?.status).toBe('accepted');
    logged = (r as { document: CaseDoc }).document;
    const logId = logged.events.at(-1)!.id;
    openPull();
    await until(
      () => pulledDocs.some((d) => d.id === received.id && d.events.some((e) => e.id === logId)),
      15_000,
      'the pull of the logged version',
    );
    // Let the downstream look at it (and skip it) before the answer is stored.
    await new Promise((r) => setTimeout(r, 500));
  };

  const local = (await pc.db!.cases.findOne(received.id).exec())!;
  const mine = local.toJSON() as unknown as CaseDoc;
  const accept = createEvent({
    caseEvents: mine.events,
    caseId: mine.id,
    type: 'accept',
    payload: {},
    actor: otherPc.actor,
    deviceId: pc.deviceId,
    counter: 1,
    now: new Date(),
  });
  const events = [...mine.events, accept] as CaseDoc['events'];
  await local.incrementalModify((d) => ({ ...d, events, ...deriveCaseFields(events) }));

  await until(() => logged !== null, 30_000, "the other PC's log entry at the hub");
  const atHub = await hubCase(received.id);
  expect(atHub.events.map((e) => e.type)).toEqual(['receive', 'accept', 'log']);
  await until(
    async () => (await pc.case(received.id))?.events.length === atHub.events.length,
    20_000,
    "the hub's three events on this PC",
  );
  const shown = (await pc.case(received.id))!;
  expect(shown.events.map((e) => e.id).sort()).toEqual(atHub.events.map((e) => e.id).sort());
  expect(shown.events.every((e) => typeof e.hubTime === 'string' && e.hubTime !== '')).toBe(true);
}, 120_000);
