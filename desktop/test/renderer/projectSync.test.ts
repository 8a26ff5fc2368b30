// @vitest-environment node
/**
 * The projects' local writes and replication (db/projectWrites.ts, sync/projectReplication.ts)
 * with real RxDB against a real hub process seeded with the three demo projects.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  appendProjectEvent,
  demoActor,
  deriveProjectState,
  type MatterDoc,
  DEMO_PROJECT_IDS,
  type ProjectDoc,
  type ProjectPushResponse,
} from '@sibantong/shared';
import type { HubHandle } from '../../../sync-server/test/helpers/hubProcess';
import './support/nodeWindow';
import { SimDesktop, hubClient, startSeededHub, until } from './support/liveHub';
import { http } from '../../../sync-server/test/helpers/client';
import {
  addProjectCollections,
  requireProjectStore,
} from '../../src/renderer/db/projectsCollection';
import { writeProjectEvent } from '../../src/renderer/db/projectWrites';
import { LocalWriteRefused, insertCase } from '../../src/renderer/db/caseWrites';
import {
  pendingCaseLinks,
  requestCaseLink,
  settleCaseLinks,
} from '../../src/renderer/db/projectCaseLinks';
import { buildNewCase } from '../../src/renderer/features/village/acceptCase';
import { toCatalogueMatter } from '../../src/renderer/hooks/useReference';
import { usccCheckChar } from '@sibantong/shared/identity/uscc';

vi.mock('../../src/renderer/auth/sessionStore', () => import('./support/deviceSessions'));

let hub: HubHandle;
const desktops: SimDesktop[] = [];
const PARK = DEMO_PROJECT_IDS[0];

beforeAll(async () => {
  hub = await startSeededHub();
}, 120_000);
// One desktop at a time: 8 collections each, RxDB free keeps 13 open per process.
afterEach(async () => {
  for (const d of desktops.splice(0)) await d.stop(true).catch(() => undefined);
});
afterAll(async () => {
  await hub?.stop();
});

async function desktopOf(unit: string, username: string): Promise<SimDesktop> {
  const pc = await SimDesktop.enrol(hub, unit, username);
  desktops.push(pc);
  // As the app does (App.tsx): the project collections are added before the engine starts.
  await pc.start();
  await pc.stop();
  await addProjectCollections(pc.db!);
  await pc.start();
  return pc;
}

async function localProject(pc: SimDesktop, id: string): Promise<ProjectDoc | null> {
  const d = await requireProjectStore(pc.db!).projects.findOne(id).exec();
  return d ? (d.toJSON() as unknown as ProjectDoc) : null;
}

async function hubProject(unit: string, username: string, id: string): Promise<ProjectDoc> {
  const client = await hubClient(hub, unit, username);
  const all = await client.pullAll<ProjectDoc>('projects');
  return all.get(id)!;
}

describe('projects on the desktop', () => {
  it('pulls the demo projects, writes a log entry offline-first and pushes it', async () => {
    const pc = await desktopOf('county-sx', 'c.agent');
    await until(async () => (await localProject(pc, PARK)) !== null, 20_000, 'demo project');
    const writer = { actor: demoActor('c.agent'), deviceId: pc.deviceId };
    const doc = await writeProjectEvent(
      pc.db!,
      PARK,
      'log_entry',
      {
        date: '2026-12-01',
        matterKey: null,
        done: '与自然资源局会商用地预审',
        problem: '缺红线图',
      },
      writer,
    );
    const mine = doc.events[doc.events.length - 1]!;
    expect(mine.type).toBe('log_entry');
    pc.engine?.syncNow();
    await until(
      async () =>
        (await hubProject('county-sx', 'c.agent', PARK)).events.some((e) => e.id === mine.id),
      20_000,
      'log entry on the hub',
    );
    // The device takes the hub's stamped copy back.
    await until(
      async () =>
        (await localProject(pc, PARK))?.events.some((e) => e.id === mine.id && !!e.hubTime) ??
        false,
      20_000,
      'stamped copy',
    );
  }, 90_000);

  it('refuses locally what the hub would refuse, storing nothing', async () => {
    const pc = await desktopOf('village-dq-01', 'v.dq01');
    await until(async () => (await localProject(pc, PARK)) !== null, 20_000, 'area project');
    const before = (await localProject(pc, PARK))!.events.length;
    const writer = { actor: demoActor('v.dq01'), deviceId: pc.deviceId };
    await expect(
      writeProjectEvent(
        pc.db!,
        PARK,
        'set_target',
        { startDate: '2027-03-01', completionDate: null },
        writer,
      ),
    ).rejects.toBeInstanceOf(LocalWriteRefused);
    expect((await localProject(pc, PARK))!.events.length).toBe(before);
  }, 90_000);

  it('keeps a refused push visibly and drops its event from the local copy', async () => {
    const pc = await desktopOf('county-sx', 'c.agent');
    await until(async () => (await localProject(pc, PARK)) !== null, 20_000, 'demo project');
    const writer = { actor: demoActor('c.agent'), deviceId: pc.deviceId };
    const current = (await localProject(pc, PARK))!;
    const matterKey = current.events.flatMap((e) =>
      e.type === 'add_matter' ? [e.payload.matterKey] : [],
    )[0]!;
    // Only the hub knows its cases: a link to a case it does not hold passes here, not there.
    const doc = await writeProjectEvent(
      pc.db!,
      PARK,
      'link_case',
      { matterKey, caseId: 'case-that-the-hub-never-saw' },
      writer,
    );
    const linked = doc.events[doc.events.length - 1]!;
    pc.engine?.syncNow();
    const refusals = requireProjectStore(pc.db!).projectRefusals;
    await until(async () => (await refusals.find().exec()).length > 0, 20_000, 'refusal');
    const [r] = await refusals.find().exec();
    expect(r!.code).toMatch(/^PROJECT_/);
    expect(r!.refusedEventIds).toContain(linked.id);
    await until(
      async () => !(await localProject(pc, PARK))!.events.some((e) => e.id === linked.id),
      20_000,
      'refused event out of the local copy',
    );
  }, 90_000);

  it('merges a log written offline here with one the town lead pushed meanwhile', async () => {
    const pc = await desktopOf('county-sx', 'c.agent');
    await until(async () => (await localProject(pc, PARK)) !== null, 20_000, 'demo project');
    pc.setOnline(false);
    const mine = await writeProjectEvent(
      pc.db!,
      PARK,
      'log_entry',
      { date: '2026-12-02', matterKey: null, done: '中心离线记录：整理环评材料' },
      { actor: demoActor('c.agent'), deviceId: pc.deviceId },
    );
    const mineId = mine.events[mine.events.length - 1]!.id;

    const town = await hubClient(hub, 'town-dq', 't.dq');
    const held = await hubProject('town-dq', 't.dq', PARK);
    const theirs = appendProjectEvent(held, {
      projectId: PARK,
      type: 'log_entry',
      payload: { date: '2026-12-02', matterKey: null, done: '镇街：协调村集体土地意见' },
      actor: town.actor,
      deviceId: town.deviceId,
      counter: town.nextCounter(),
      now: new Date(),
    });
    const theirsId = theirs.events[theirs.events.length - 1]!.id;
    const r = await http<ProjectPushResponse>(`${hub.url}/api/sync/projects/push`, {
      token: town.token,
      body: { rows: [{ assumedMasterState: held, newDocumentState: theirs }] },
    });
    expect(r.body.results[0]?.status).toBe('accepted');

    pc.setOnline(true);
    const both = (d: ProjectDoc | null) =>
      !!d && [mineId, theirsId].every((id) => d.events.some((e) => e.id === id && !!e.hubTime));
    await until(async () => both(await localProject(pc, PARK)), 30_000, 'both logs on the PC');
    await until(
      async () => both(await hubProject('county-sx', 'c.agent', PARK)),
      30_000,
      'both logs on the hub',
    );
    expect(await requireProjectStore(pc.db!).projectRefusals.count().exec()).toBe(0);
  }, 90_000);

  it('takes a log entry the town lead pushed as the live stream announces it, with no syncNow and no timer', async () => {
    const town = await hubClient(hub, 'town-dq', 't.dq');
    // No interval runs on this PC: whatever pulls the entry, it is not a periodic pull.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const pc = await desktopOf('county-sx', 'c.agent');
      await until(async () => (await localProject(pc, PARK)) !== null, 20_000, 'demo project');
      const held = await hubProject('town-dq', 't.dq', PARK);
      const theirs = appendProjectEvent(held, {
        projectId: PARK,
        type: 'log_entry',
        payload: { date: '2026-12-02', matterKey: null, done: '镇街：现场踏勘完成' },
        actor: town.actor,
        deviceId: town.deviceId,
        counter: town.nextCounter(),
        now: new Date(),
      });
      const theirsId = theirs.events[theirs.events.length - 1]!.id;
      const r = await http<ProjectPushResponse>(`${hub.url}/api/sync/projects/push`, {
        token: town.token,
        body: { rows: [{ assumedMasterState: held, newDocumentState: theirs }] },
      });
      expect(r.body.results[0]?.status).toBe('accepted');
      // Generous for a loaded machine, yet short of the 20 s the old periodic pull took.
      await until(
        async () => (await localProject(pc, PARK))?.events.some((e) => e.id === theirsId) ?? false,
        12_000,
        'the town lead’s entry on the PC',
      );
    } finally {
      vi.useRealTimers();
    }
  }, 90_000);

  it('links a case a village helper applied offline for a listed matter once the hub holds it', async () => {
    const pc = await desktopOf('village-dq-01', 'v.dq01');
    await until(async () => (await localProject(pc, PARK)) !== null, 20_000, 'area project');
    const state = deriveProjectState((await localProject(pc, PARK))!.events);
    const listed = state.matters.find((m) => m.caseIds.length === 0 && !m.manualProgress)!;
    expect(listed).toBeDefined();
    await until(
      async () => (await pc.db!.matters.findOne(listed.matterCode).exec()) !== null,
      20_000,
      'catalogue',
    );
    const rxMatter = await pc.db!.matters.findOne(listed.matterCode).exec();
    const matter = toCatalogueMatter(rxMatter!.toJSON() as unknown as MatterDoc);
    const actor = demoActor('v.dq01');
    pc.setOnline(false);
    const uscc = `91330999MA2DQ7703${usccCheckChar('91330999MA2DQ7703')}`;
    const theCase = await buildNewCase(
      {
        matter,
        applicantKind: 'enterprise',
        name: '东桥智造科技有限公司',
        idNumber: uscc,
        phone: '13800138000',
        legalRepresentative: '陈立新',
        byAgent: false,
        agentName: '',
        agentIdNumber: '',
        agentPhone: '',
        agentLetterSigned: false,
        materials: matter.materials.map((x) => ({
          materialId: x.id,
          name: x.name,
          necessity: x.necessity,
          originals: Math.max(1, x.originals),
          copies: x.copies,
          state: 'received' as const,
        })),
        commitmentDate: null,
        commitmentSigned: false,
        promisedDue: null,
      },
      'accept',
      {
        actor,
        deviceId: pc.deviceId,
        townId: 'town-dq',
        provisionalNo: `T-${Date.now()}`,
        countyKey: null,
      },
    );
    await insertCase(pc.db!, theCase, { actor, deviceId: pc.deviceId });
    requestCaseLink({
      projectId: PARK,
      matterKey: listed.matterKey,
      caseId: theCase.id,
      actor,
      deviceId: pc.deviceId,
    });
    // Offline, the case is not on the hub: the link waits (a link pushed first would be refused).
    expect(await settleCaseLinks(pc.db!, pc.deviceId)).toBe(0);
    expect(pendingCaseLinks(pc.deviceId)).toHaveLength(1);

    pc.setOnline(true);
    pc.engine?.syncNow();
    const linkedOnHub = async () =>
      deriveProjectState((await hubProject('county-sx', 'c.agent', PARK)).events).matters.some(
        (m) => m.matterKey === listed.matterKey && m.caseIds.includes(theCase.id),
      );
    await until(linkedOnHub, 45_000, 'link on the hub');
    expect(pendingCaseLinks(pc.deviceId)).toHaveLength(0);
    expect(await requireProjectStore(pc.db!).projectRefusals.count().exec()).toBe(0);
    // Progress is read from the case: the hub's timetable says so.
    const centre = await hubClient(hub, 'county-sx', 'c.agent');
    const r = await http<{ schedule: { progress: Array<{ matterKey: string; source: string }> } }>(
      `${hub.url}/api/projects/${PARK}/schedule`,
      { token: centre.token },
    );
    expect(r.body.schedule.progress.find((p) => p.matterKey === listed.matterKey)).toMatchObject({
      source: 'case',
    });
  }, 120_000);
});
