// @vitest-environment node
/**
 * The renderer's sync engine (real RxDB, sync/replication.ts and its handlers) against a real
 * hub process over HTTP and server-sent events.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CaseDoc } from '@sibantong/shared';
import type { HubHandle } from '../../../sync-server/test/helpers/hubProcess';
import type { TestClient } from '../../../sync-server/test/helpers/client';
import { http } from '../../../sync-server/test/helpers/client';
import {
  MATTER_PENSION,
  newCase,
  pushVersions,
  withEvent,
} from '../../../sync-server/test/helpers/cases';
import { MAX_NEW_EVENTS_PER_ROW, createEvent, deriveCaseFields } from '@sibantong/shared';
import { createRevision, getAssumedMasterState, now, randomToken } from 'rxdb';
import './support/nodeWindow';
import { SimDesktop, hubClient, startSeededHub, until } from './support/liveHub';
import { readWalkCheckpoint, writeWalkCheckpoint } from '../../src/renderer/sync/unrecordedCases';

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
// RxDB's open-source build keeps at most 13 collections open per process (6 per device).
afterEach(async () => {
  for (const d of desktops.splice(0)) await d.stop(true).catch(() => undefined);
});
afterAll(async () => {
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
    await until(async () => (await hubCase(received.id)).officialNo !== null, 30_000, 'number');
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
    await until(async () => (await pc.case(received.id)) === null, 30_000, 'the removal');
  }, 90_000);
});

describe("a case without RxDB's record of the hub's copy", () => {
  /**
   * The state a PC is in after the pull-only first download of earlier versions (fault 1), or
   * after the app was closed while RxDB stored a downloaded page (it writes the cases first,
   * its records of the hub's copy after): the case is there, the record is not, and the
   * replication's checkpoints are past it. RxDB then skipped every later hub version of it.
   */
  async function forgetHubCopies(pc: SimDesktop, ids: string[]): Promise<void> {
    const internal = pc.engine!.cases()!.internalReplicationState!;
    const meta = internal.input.metaInstance;
    const recorded = await getAssumedMasterState(internal, ids);
    const rows = ids.map((id) => {
      const previous = recorded[id]!.metaDocument;
      return {
        previous,
        document: {
          ...previous,
          _deleted: true,
          _meta: { lwt: now() },
          _rev: createRevision(randomToken(10), previous),
        },
      };
    });
    const res = await meta.bulkWrite(rows, 'test-forget');
    expect(res.error).toEqual([]);
    // Purged, not only marked deleted: the PC never had a record of these.
    await meta.cleanup(0);
    expect(Object.keys(await getAssumedMasterState(internal, ids))).toEqual([]);
  }

  /** A PC of an earlier version (fault 1) has no checkpoint of the walk either. */
  async function forgetWalk(pc: SimDesktop): Promise<void> {
    const internal = pc.engine!.cases()!.internalReplicationState!;
    const last = await readWalkCheckpoint(internal);
    if (!last) return;
    const res = await internal.input.metaInstance.bulkWrite(
      [
        {
          previous: last.doc,
          document: {
            ...last.doc,
            _deleted: true,
            _meta: { lwt: now() },
            _rev: createRevision(randomToken(10), last.doc),
          },
        },
      ],
      'test-forget',
    );
    expect(res.error).toEqual([]);
  }

  it('is refreshed from the hub at the next start: later changes and removals arrive', async () => {
    const a = await pushAccepted(null as unknown as CaseDoc, await newCase(village));
    const b0 = await pushAccepted(null as unknown as CaseDoc, await newCase(village));
    const b = await pushAccepted(
      b0,
      withEvent(village, b0, 'forward', { toUnitId: 'town-dq', materials: [] }),
    );

    const pc = await SimDesktop.enrol(hub, 'village-dq-01', 'v.dq01');
    desktops.push(pc);
    await (
      await pc.start()
    ).ready;
    await until(async () => (await pc.case(b.id))?.events.length === 2, 15_000, 'both cases');
    await pc.engine!.cases()!.awaitInSync();
    expect(await pc.engine!.refreshed()).toBe(0);
    await forgetHubCopies(pc, [a.id, b.id]);
    await forgetWalk(pc);
    await pc.stop(true);

    // While the PC is closed: the village's other PC accepts case a (the hub numbers it), the
    // centre moves case b to another village.
    await pushAccepted(a, withEvent(village, a, 'accept', {}));
    await until(async () => (await hubCase(a.id)).officialNo !== null, 30_000, 'number');
    const moved = await http(`${hub.url}/api/admin/cases/${b.id}/move`, {
      token: centre.token,
      body: { toUnitId: 'village-dq-02', reason: '申请人户籍迁至二村' },
    });
    expect(moved.status).toBe(200);
    const numbered = await hubCase(a.id);

    const engine = await pc.start();
    await engine.ready;
    // Both are sent to the hub, unless the downstream got to one first (a removal of a case
    // RxDB itself had updated carries its own marker): the end state is what counts.
    expect(await engine.refreshed()).toBeGreaterThan(0);
    await until(
      async () => {
        const c = await pc.case(a.id);
        return c?.events.length === 2 && c.officialNo === numbered.officialNo;
      },
      15_000,
      'the accept and the official number of case a',
    );
    await until(async () => (await pc.case(b.id)) === null, 15_000, 'the removal of case b');
    expect(await pc.db!.refusals.count().exec()).toBe(0);

    // From now on the record is there: a further change arrives by the stream, no refresh.
    const logged = await pushAccepted(
      numbered,
      withEvent(village, numbered, 'log', { text: '电话联系申请人' }),
    );
    await until(
      async () => (await pc.case(a.id))?.events.length === logged.events.length,
      15_000,
      'the log line',
    );
    await pc.restart();
    expect(await pc.engine!.refreshed()).toBe(0);
  }, 90_000);
  it('is looked for at a start among the cases stored since the last complete walk, and among all once the clock was set back', async () => {
    const old = await pushAccepted(null as unknown as CaseDoc, await newCase(village));
    const pc = await SimDesktop.enrol(hub, 'village-dq-01', 'v.dq01');
    desktops.push(pc);
    await (
      await pc.start()
    ).ready;
    await until(async () => (await pc.case(old.id)) !== null, 15_000, 'the first case');
    const walkOf = () => readWalkCheckpoint(pc.engine!.cases()!.internalReplicationState!);

    // The download stored every case with its record: the walk will start after them.
    expect(await pc.engine!.refreshed()).toBe(0);
    const first = (await walkOf())!;
    expect(first.walk.fullAt).toBe(first.walk.until);
    await pc.restart();
    expect(await pc.engine!.refreshed()).toBe(0);

    // A case stored after that walk loses its record (the app closed between RxDB's two
    // writes). The old case loses its record too, which no real fault does to a case already
    // walked: the next start must find the later one and need not look at the old one.
    const later = await pushAccepted(null as unknown as CaseDoc, await newCase(village));
    await until(async () => (await pc.case(later.id)) !== null, 15_000, 'the later case');
    await pc.engine!.cases()!.awaitInSync();
    await forgetHubCopies(pc, [old.id, later.id]);
    await pc.restart();
    expect(await pc.engine!.refreshed()).toBe(1);
    const second = (await walkOf())!;
    expect(second.walk.until).toBeGreaterThan(first.walk.until);
    expect(second.walk.fullAt).toBe(first.walk.fullAt);
    const internal = pc.engine!.cases()!.internalReplicationState!;
    await until(
      async () => Object.keys(await getAssumedMasterState(internal, [later.id])).length === 1,
      15_000,
      "the hub's copy of the later case recorded",
    );

    // The PC's clock was set back (the last walk seems to lie ahead): a start walks every case
    // again, and the old case is sent for the hub's copy too.
    await writeWalkCheckpoint(internal, pc.db!.token, second.doc, {
      until: now() + 86_400_000,
      id: '',
      fullAt: second.walk.fullAt,
    });
    await pc.restart();
    expect(await pc.engine!.refreshed()).toBe(1);
    const third = (await walkOf())!;
    expect(third.walk.until).toBeLessThan(now());
    expect(third.walk.fullAt).toBe(third.walk.until);
    const again = pc.engine!.cases()!.internalReplicationState!;
    await until(
      async () => Object.keys(await getAssumedMasterState(again, [old.id])).length === 1,
      15_000,
      "the hub's copy of the old case recorded",
    );
  }, 90_000);
});

describe('a conflict answer', () => {
  it('never shows a state the hub did not have; the unsent event that no longer fits is kept as refused', async () => {
    let hubDoc = await pushAccepted(
      null as unknown as CaseDoc,
      await newCase(village, { matterCode: MATTER_PENSION }),
    );
    hubDoc = await pushAccepted(hubDoc, withEvent(village, hubDoc, 'accept', {}));

    const pc = await SimDesktop.enrol(hub, 'village-dq-01', 'v.dq01');
    desktops.push(pc);
    await (
      await pc.start()
    ).ready;
    await until(async () => (await pc.case(hubDoc.id))?.events.length === 2, 30_000, 'download');

    // Offline, the PC records the applicant's withdrawal; meanwhile the village's other PC
    // concludes the case on the hub.
    pc.setOnline(false);
    const local = (await pc.db!.cases.findOne(hubDoc.id).exec())!;
    const mine = local.toJSON() as unknown as CaseDoc;
    const withdraw = createEvent({
      caseEvents: mine.events,
      caseId: mine.id,
      type: 'withdraw',
      payload: { reason: '申请人撤回申请' },
      actor: village.actor,
      deviceId: pc.deviceId,
      counter: 1,
      now: new Date(),
    });
    const events = [...mine.events, withdraw] as CaseDoc['events'];
    await local.incrementalModify((d) => ({ ...d, events, ...deriveCaseFields(events) }));
    expect((await pc.case(hubDoc.id))?.status).toBe('withdrawn');
    const concluded = await pushAccepted(
      hubDoc,
      withEvent(village, hubDoc, 'conclude', {
        outcome: 'approved',
        opinion: '符合条件，准予登记',
      }),
    );

    // Every state the PC shows from now on.
    const seen: CaseDoc[] = [];
    const watch = pc.db!.cases.findOne(hubDoc.id).$.subscribe((d) => {
      if (d) seen.push(d.toJSON() as unknown as CaseDoc);
    });

    // Back online: the hub answers `conflict`; the PC shows the hub's history, and the
    // withdrawal waits visibly among the refusals with the rule's reason.
    pc.setOnline(true);
    await until(
      async () =>
        (await pc.db!.refusals.find({ selector: { caseId: hubDoc.id } }).exec()).length > 0,
      20_000,
      'the refusal record',
    );
    await until(
      async () => {
        const c = await pc.case(hubDoc.id);
        return !!c && c.events.some((e) => e.type === 'conclude');
      },
      20_000,
      'the hub copy on the PC',
    );
    const shown = (await pc.case(hubDoc.id))!;
    expect(shown.status).toBe(concluded.status);
    expect(shown.events.map((e) => e.id).sort()).toEqual(concluded.events.map((e) => e.id).sort());
    const [refusal] = (await pc.db!.refusals.find({ selector: { caseId: hubDoc.id } }).exec()).map(
      (r) => r.toJSON(),
    );
    expect(refusal).toMatchObject({ state: 'open', refusedEventIds: [withdraw.id] });
    expect(refusal!.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(refusal!.caseSnapshot.events.map((e) => e.id)).toContain(withdraw.id);
    // The hub never stored the withdrawal.
    expect((await hubCase(hubDoc.id)).events.some((e) => e.id === withdraw.id)).toBe(false);
    // At no moment did the PC show the withdrawal merged into the hub's concluded history
    // (a state the hub never had), and it did not push it again to be refused.
    await new Promise((r) => setTimeout(r, 1500));
    watch.unsubscribe();
    const conclude = concluded.events.find((e) => e.type === 'conclude')!;
    const merged = seen.filter(
      (d) =>
        d.events.some((e) => e.id === conclude.id) && d.events.some((e) => e.id === withdraw.id),
    );
    expect(merged.map((d) => d.status)).toEqual([]);
    const sup = await hubClient(hub, 'county-sx', 'sup');
    const hubRefusals = await http<{ refusals: { caseId: string }[] }>(
      `${hub.url}/api/refusals?limit=200`,
      { token: sup.token },
    );
    expect(hubRefusals.body.refusals.filter((r) => r.caseId === hubDoc.id)).toEqual([]);
  }, 90_000);
});

describe('a long offline period', () => {
  it('pushes more new events than one row may carry in slices, and keeps going', async () => {
    const hubDoc = await pushAccepted(null as unknown as CaseDoc, await newCase(village));
    const pc = await SimDesktop.enrol(hub, 'village-dq-01', 'v.dq01');
    desktops.push(pc);
    await (
      await pc.start()
    ).ready;
    await until(async () => !!(await pc.case(hubDoc.id)), 30_000, 'download');
    pc.setOnline(false);
    const local = (await pc.db!.cases.findOne(hubDoc.id).exec())!;
    const events = [...(local.toJSON() as unknown as CaseDoc).events];
    for (let i = 0; i < MAX_NEW_EVENTS_PER_ROW * 2 + 100; i += 1) {
      events.push(
        createEvent({
          caseEvents: events,
          caseId: hubDoc.id,
          type: 'log',
          payload: { text: `第${i + 1}次电话联系申请人` },
          actor: village.actor,
          deviceId: pc.deviceId,
          counter: i + 1,
          now: new Date(),
        }),
      );
    }
    await local.incrementalModify((d) => ({ ...d, events: events as CaseDoc['events'] }));
    // And a new case made meanwhile goes up beside it.
    let counter = 5000;
    const asPc = { actor: village.actor, deviceId: pc.deviceId, nextCounter: () => ++counter };
    const other = await newCase(asPc as unknown as TestClient);
    await pc.db!.cases.insert(other);
    pc.setOnline(true);
    await until(
      async () => (await hubCase(hubDoc.id))?.events.length === events.length,
      60_000,
      'every log line on the hub',
    );
    await until(async () => !!(await hubCase(other.id)), 30_000, 'the new case on the hub');
    expect((await pc.db!.refusals.find({ selector: { caseId: hubDoc.id } }).exec()).length).toBe(0);
  }, 120_000);
});

describe('a checkpoint the hub store cannot use', () => {
  it('restarts the pull from the beginning and keeps the unpushed local work', async () => {
    const first = await pushAccepted(null as unknown as CaseDoc, await newCase(village));
    const pc = await SimDesktop.enrol(hub, 'village-dq-01', 'v.dq01');
    desktops.push(pc);
    await (
      await pc.start()
    ).ready;
    await until(async () => !!(await pc.case(first.id)), 30_000, 'download');

    // Offline, the PC notes a call on the case; meanwhile the village's other PC adds a case.
    pc.setOnline(false);
    const local = (await pc.db!.cases.findOne(first.id).exec())!;
    const note = createEvent({
      caseEvents: (local.toJSON() as unknown as CaseDoc).events,
      caseId: first.id,
      type: 'log',
      payload: { text: '电话联系申请人' },
      actor: village.actor,
      deviceId: pc.deviceId,
      counter: 1,
      now: new Date(),
    });
    await local.incrementalModify((d) => ({
      ...d,
      events: [...d.events, note] as CaseDoc['events'],
    }));
    const second = await pushAccepted(null as unknown as CaseDoc, await newCase(village));

    // The PC's checkpoint is one the store cannot use (as after the county moved from the
    // embedded store to CouchDB): every pull it sends carries a foreign sequence.
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      if (url.pathname === '/api/sync/cases/pull' && url.searchParams.has('checkpoint'))
        url.searchParams.set('checkpoint', JSON.stringify({ seq: '99999999' }));
      return realFetch(url, init);
    }) as typeof fetch;
    try {
      await pc.stop(true);
      pc.setOnline(true);
      await (
        await pc.start()
      ).ready;
      await until(async () => !!(await pc.case(second.id)), 30_000, 'the new case');
      await until(
        async () => (await hubCase(first.id)).events.some((e) => e.id === note.id),
        20_000,
        'the local note on the hub',
      );
    } finally {
      globalThis.fetch = realFetch;
    }
    // A pull answer read before the push landed may briefly show the hub's older copy; the
    // hub's announcement of the pushed note then brings the PC back. What must hold is that
    // the note is never lost: the PC ends with it, as the hub does.
    await until(
      async () => !!(await pc.case(first.id))?.events.some((e) => e.id === note.id),
      20_000,
      'the local note kept on the PC',
    );
    const kept = (await pc.case(first.id))!;
    expect(kept.events.map((e) => e.id)).toEqual((await hubCase(first.id)).events.map((e) => e.id));
  }, 90_000);
});
