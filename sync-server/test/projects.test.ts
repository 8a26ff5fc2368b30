/**
 * Major projects against a real hub over HTTP: who pulls which project (membership and area),
 * member and non-member pushes, forged team changes and forged dates of a case-backed matter
 * refused with their own codes, concurrent offline log entries by two members both kept,
 * the pull checkpoint, removals for people taken out of the team, and the hub's timetable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrollResponse } from '@sibantong/shared';
import {
  createProjectEvent,
  deriveProjectState,
  DEMO_PROJECT_IDS,
  projectDocOf,
  type ProjectDoc,
  type ProjectEvent,
  type ProjectEventPayloads,
  type ProjectEventType,
  type ProjectPushResponse,
  type ProjectPushRowResult,
  type ProjectScheduleResult,
  type TeamMember,
} from '@sibantong/shared/project/index';
import { usccCheckChar } from '@sibantong/shared/identity/uscc';
import { enrolDevices, http, loginAs, type TestClient } from './helpers/client.js';
import { MATTER_LEGAL_AID, MATTER_PENSION, newCase, pushVersions } from './helpers/cases.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';

const OWNER_USCC = `91330999MA2DQ7702${usccCheckChar('91330999MA2DQ7702')}`;

/** The client's next version of a project: one more event by this client. */
function withProjectEvent<T extends ProjectEventType>(
  client: TestClient,
  doc: ProjectDoc | null,
  projectId: string,
  type: T,
  payload: ProjectEventPayloads[T],
): ProjectDoc {
  const history = doc?.events ?? [];
  const event = createProjectEvent<T>({
    projectEvents: history,
    projectId,
    type,
    payload,
    actor: client.actor,
    deviceId: client.deviceId,
    counter: client.nextCounter(),
    now: new Date(),
  }) as unknown as ProjectEvent;
  return projectDocOf(projectId, [...history, event], new Date().toISOString());
}

async function pushProject(
  client: TestClient,
  assumed: ProjectDoc | null,
  doc: ProjectDoc,
): Promise<ProjectPushRowResult> {
  const r = await http<ProjectPushResponse>(`${client.hub.url}/api/sync/projects/push`, {
    token: client.token,
    body: { rows: [{ assumedMasterState: assumed, newDocumentState: doc }] },
  });
  if (r.status !== 200) throw new Error(`project push: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.results[0]!;
}

const accepted = (r: ProjectPushRowResult): ProjectDoc => {
  if (r.status !== 'accepted') throw new Error(`refused: ${r.code} ${r.message}`);
  return r.document;
};

const member = (c: TestClient): TeamMember => ({ ...c.actor });

describe.each(storeModes())('major projects on the %s store', (mode) => {
  let hub: HubHandle;
  const c: Record<string, TestClient> = {};
  let project: ProjectDoc;
  const PROJECT = 'project-http-1';

  beforeAll(async () => {
    hub = await startHub({ mode });
    const seeded = await hub.cli(['seed-demo']);
    expect(seeded.code, seeded.stderr).toBe(0);
    const names = ['v.dq01', 'v.xh02', 't.dq', 't.xh', 'c.agent', 'd.zrzy', 'd.zj', 'd.sj', 'sup'];
    const devices: EnrollResponse[] = await enrolDevices(hub, 'village-dq-01', names.length);
    for (const [i, name] of names.entries()) c[name] = await loginAs(hub, devices[i]!, name);
    // Nine logins (password hashing) and a hub start: minutes on a loaded 2-core machine.
  }, 300_000);

  afterAll(async () => {
    await hub?.stop();
  });

  const pullIds = async (name: string) =>
    [...(await c[name]!.pullAll<ProjectDoc>('projects')).keys()].sort();

  it('seeds three demo projects, each pulled only by those its team and area allow', async () => {
    expect(await pullIds('c.agent')).toEqual([...DEMO_PROJECT_IDS].sort());
    expect(await pullIds('sup')).toEqual([...DEMO_PROJECT_IDS].sort());
    // 西湖街道's town lead is in the culture centre's team only.
    expect(await pullIds('t.xh')).toEqual(['project-demo-xh-culture-centre']);
    // 市场监管 is in no team; 荷塘社区 hosts no project.
    expect(await pullIds('d.sj')).toEqual([]);
    expect(await pullIds('v.xh02')).toEqual([]);
    const park = (await c['c.agent']!.pullAll<ProjectDoc>('projects')).get(DEMO_PROJECT_IDS[0])!;
    expect(park.name).toBe('东桥智能制造产业园一期');
    expect(deriveProjectState(park.events).voidEvents).toEqual([]);
  });

  it('lets a village helper register a project and the centre build its team and list', async () => {
    const v = c['v.dq01']!;
    const registered = withProjectEvent(v, null, PROJECT, 'register', {
      name: '东桥新材料项目',
      projectCode: null,
      owner: {
        name: '示县新材料有限公司',
        uscc: OWNER_USCC,
        contactName: '冯立',
        contactPhone: '13905760404',
      },
      siteUnitId: 'village-dq-01',
      siteAddress: '东桥村 5 号地块',
      category: 'industrial',
      investmentWan: 8000,
      targets: { startDate: null, completionDate: null },
      stage: 'land_planning',
    });
    project = accepted(await pushProject(v, null, registered));
    expect(project.events[0]!.hubTime).toBeDefined();

    const centre = c['c.agent']!;
    let next = withProjectEvent(centre, project, PROJECT, 'set_team', {
      leader: member(c.sup!),
      lead: member(centre),
      members: [member(c['t.dq']!), member(v), member(c['d.zrzy']!)],
    });
    next = withProjectEvent(centre, next, PROJECT, 'add_matter', {
      matterKey: 'legal-aid',
      matterCode: MATTER_LEGAL_AID,
      name: '法律援助咨询（测试用）',
      stage: 'land_planning',
      durationDays: 3,
      dependsOn: [],
      modes: ['deferred'],
      warningZh: '',
    });
    next = withProjectEvent(centre, next, PROJECT, 'add_matter', {
      matterKey: 'pension',
      matterCode: MATTER_PENSION,
      name: '养老保险参保（测试用）',
      stage: 'land_planning',
      durationDays: 1,
      dependsOn: ['legal-aid'],
      modes: [],
      warningZh: '',
    });
    const invented = withProjectEvent(centre, next, PROJECT, 'add_matter', {
      matterKey: 'invented',
      matterCode: 'NOT-A-CATALOGUE-CODE',
      name: '目录外事项',
      stage: 'land_planning',
      durationDays: 1,
      dependsOn: [],
      modes: [],
      warningZh: '',
    });
    expect(await pushProject(centre, project, invented)).toMatchObject({
      status: 'refused',
      code: 'PROJECT_MATTER_NOT_IN_CATALOGUE',
    });
    project = accepted(await pushProject(centre, project, next));
    expect(project.teamUserIds).toContain(c['d.zrzy']!.actor.userId);
    expect(await pullIds('d.zrzy')).toContain(PROJECT);
    expect(await pullIds('d.zj')).not.toContain(PROJECT);
  });

  it('refuses non-members: out of scope for outsiders, PROJECT_NOT_MEMBER for readers', async () => {
    const log = (who: TestClient) =>
      withProjectEvent(who, project, PROJECT, 'log_entry', {
        date: '2026-03-02',
        matterKey: null,
        done: '冒名记录',
      });
    const outsider = await pushProject(c['d.zj']!, project, log(c['d.zj']!));
    expect(outsider).toMatchObject({
      status: 'refused',
      code: 'PROJECT_OUT_OF_SCOPE',
      master: null,
    });
    const leader = await pushProject(c.sup!, project, log(c.sup!));
    expect(leader).toMatchObject({ status: 'refused', code: 'PROJECT_NOT_MEMBER' });
    if (leader.status === 'refused') expect(leader.message).toContain('班子成员');
    const stored = (await c['c.agent']!.pullAll<ProjectDoc>('projects')).get(PROJECT)!;
    expect(stored.events.map((e) => e.id)).toEqual(project.events.map((e) => e.id));
  });

  it('lists team candidates of the county to the centre agent only, with their slots', async () => {
    type Answer = { candidates: Array<TeamMember & { slots: string[]; unitName: string }> };
    const url = `${hub.url}/api/projects/team-candidates`;
    const r = await http<Answer>(url, { token: c['c.agent']!.token });
    expect(r.status).toBe(200);
    const byId = new Map(r.body.candidates.map((x) => [x.userId, x]));
    expect(byId.get(c.sup!.actor.userId)?.slots).toEqual(['leader']);
    expect(byId.get(c['c.agent']!.actor.userId)?.slots).toEqual(['leader', 'lead', 'member']);
    expect(byId.get(c['t.dq']!.actor.userId)?.slots).toEqual(['leader', 'member']);
    expect(byId.get(c['v.dq01']!.actor.userId)?.slots).toEqual(['member']);
    expect(byId.get(c['d.zrzy']!.actor.userId)?.slots).toEqual(['member']);
    expect(r.body.candidates.some((x) => x.role === 'it_admin')).toBe(false);
    expect(JSON.stringify(r.body)).not.toMatch(/passwordHash|username/);
    expect((await http(url, { token: c['t.dq']!.token })).status).toBe(403);
  });

  it('refuses a team changed by a member who is not the centre (PROJECT_TEAM_FORBIDDEN)', async () => {
    const town = c['t.dq']!;
    const forged = withProjectEvent(town, project, PROJECT, 'set_team', {
      leader: null,
      lead: member(c['c.agent']!),
      members: [member(town), member(c['d.zj']!)],
    });
    const r = await pushProject(town, project, forged);
    expect(r).toMatchObject({ status: 'refused', code: 'PROJECT_TEAM_FORBIDDEN' });
    if (r.status === 'refused') expect(r.refusedEventIds).toEqual([forged.events.at(-1)!.id]);
    expect(await pullIds('d.zj')).not.toContain(PROJECT);
  });

  it('keeps both log entries two members wrote offline on the same base', async () => {
    const town = c['t.dq']!;
    const dept = c['d.zrzy']!;
    const base = project;
    const byTown = withProjectEvent(town, base, PROJECT, 'log_entry', {
      date: '2026-03-03',
      matterKey: 'legal-aid',
      done: '陪同企业踏勘',
      problem: '红线涉及基本农田',
    });
    const byDept = withProjectEvent(dept, base, PROJECT, 'log_entry', {
      date: '2026-03-03',
      matterKey: 'legal-aid',
      done: '预审红线调整方案',
    });
    accepted(await pushProject(town, base, byTown));
    // The department pushes on the stale base: nothing is lost, nothing conflicts.
    project = accepted(await pushProject(dept, base, byDept));
    const log = deriveProjectState(project.events).log.map((l) => [l.by.userId, l.done]);
    expect(log).toEqual(
      expect.arrayContaining([
        [town.actor.userId, '陪同企业踏勘'],
        [dept.actor.userId, '预审红线调整方案'],
      ]),
    );
    const pulled = (await c['c.agent']!.pullAll<ProjectDoc>('projects')).get(PROJECT)!;
    expect(deriveProjectState(pulled.events).log).toHaveLength(2);
  });

  it('links a case the hub holds for a listed matter, and refuses forged dates on it', async () => {
    const v = c['v.dq01']!;
    const theCase = await newCase(v, { matterCode: MATTER_LEGAL_AID });
    expect((await pushVersions(v, [[null, theCase]]))[0]?.status).toBe('accepted');

    const unknown = withProjectEvent(v, project, PROJECT, 'link_case', {
      matterKey: 'legal-aid',
      caseId: 'case-nowhere',
    });
    expect(await pushProject(v, project, unknown)).toMatchObject({
      status: 'refused',
      code: 'PROJECT_CASE_UNKNOWN',
    });
    const wrongMatter = withProjectEvent(v, project, PROJECT, 'link_case', {
      matterKey: 'pension',
      caseId: theCase.id,
    });
    expect(await pushProject(v, project, wrongMatter)).toMatchObject({
      status: 'refused',
      code: 'PROJECT_CASE_MATTER_MISMATCH',
    });
    // A case of another village exists on the hub but is outside this helper's scope: it is
    // answered as unknown (the link neither reveals nor borrows it).
    const other = c['v.xh02']!;
    const theirCase = await newCase(other, { matterCode: MATTER_LEGAL_AID });
    expect((await pushVersions(other, [[null, theirCase]]))[0]?.status).toBe('accepted');
    const borrowed = withProjectEvent(v, project, PROJECT, 'link_case', {
      matterKey: 'legal-aid',
      caseId: theirCase.id,
    });
    expect(await pushProject(v, project, borrowed)).toMatchObject({
      status: 'refused',
      code: 'PROJECT_CASE_UNKNOWN',
    });
    const link = withProjectEvent(v, project, PROJECT, 'link_case', {
      matterKey: 'legal-aid',
      caseId: theCase.id,
    });
    project = accepted(await pushProject(v, project, link));

    const forged = withProjectEvent(c['t.dq']!, project, PROJECT, 'set_matter_progress', {
      matterKey: 'legal-aid',
      startedOn: '2026-01-05',
      finishedOn: '2026-01-06',
    });
    expect(await pushProject(c['t.dq']!, project, forged)).toMatchObject({
      status: 'refused',
      code: 'PROJECT_CASE_BACKED_DATES',
    });

    // The hub's timetable reads the matter's progress from the case.
    const target = withProjectEvent(c['c.agent']!, project, PROJECT, 'set_target', {
      startDate: '2027-06-30',
      completionDate: null,
    });
    project = accepted(await pushProject(c['c.agent']!, project, target));
    const r = await http<{ schedule: ProjectScheduleResult }>(
      `${hub.url}/api/projects/${PROJECT}/schedule`,
      {
        token: c['t.dq']!.token,
      },
    );
    expect(r.status).toBe(200);
    const progress = r.body.schedule.progress.find((p) => p.matterKey === 'legal-aid')!;
    expect(progress).toMatchObject({ source: 'case', caseId: theCase.id, status: 'in_progress' });
  });

  it('raises a 督办 record for the late demo matter, seen by the supervisor and the leadership member', async () => {
    const park = DEMO_PROJECT_IDS[0];
    const held = (await c['c.agent']!.pullAll<ProjectDoc>('projects')).get(park)!;
    // Any accepted write makes the hub recompute the project's timetable and its 督办 records.
    const logged = withProjectEvent(c['c.agent']!, held, park, 'log_entry', {
      date: '2026-12-01',
      matterKey: null,
      done: '召开项目推进会',
    });
    accepted(await pushProject(c['c.agent']!, held, logged));
    type Record = {
      id: string;
      projectId?: string;
      warning?: string;
      kind: string;
      resolved: boolean;
    };
    const late = (recs: Map<string, Record>) =>
      [...recs.values()].filter((r) => r.projectId === park && !r.resolved);
    const bySup = late(await c.sup!.pullAll<Record>('supervision'));
    expect(bySup.map((r) => r.warning)).toContain('start_overdue');
    expect(bySup.every((r) => r.kind === 'overdue')).toBe(true);
    // The leadership member of the park is the supervisor (a county role); the site's town
    // lead sees it through the record's scope, another town's does not.
    expect(late(await c['t.dq']!.pullAll<Record>('supervision')).length).toBe(bySup.length);
    expect(late(await c['t.xh']!.pullAll<Record>('supervision'))).toEqual([]);
    // Pushing again raises nothing twice.
    const again = withProjectEvent(
      c['c.agent']!,
      accepted(await pushProject(c['c.agent']!, held, logged)),
      park,
      'log_entry',
      {
        date: '2026-12-02',
        matterKey: null,
        done: '跟进用地预审',
      },
    );
    accepted(await pushProject(c['c.agent']!, null, again));
    expect(late(await c.sup!.pullAll<Record>('supervision')).length).toBe(bySup.length);
  });

  it('answers the hub timetable with 督办 warnings to readers, and nothing to outsiders', async () => {
    const url = `${hub.url}/api/projects/${DEMO_PROJECT_IDS[0]}/schedule`;
    const r = await http<{ schedule: ProjectScheduleResult }>(url, { token: c.sup!.token });
    expect(r.status).toBe(200);
    expect(r.body.schedule.warnings.map((w) => w.kind)).toContain('start_overdue');
    expect((await http(url, { token: c['d.sj']!.token })).status).toBe(404);
  });

  it('lists the projects a reader sees riskiest first, the late demo project on top', async () => {
    type Risks = { projects: Array<{ id: string; risk: { level: string } }> };
    const sup = await http<Risks>(`${hub.url}/api/projects/risks`, { token: c.sup!.token });
    expect(sup.status).toBe(200);
    expect(sup.body.projects[0]).toMatchObject({
      id: DEMO_PROJECT_IDS[0],
      risk: { level: 'overdue' },
    });
    expect(sup.body.projects.map((p) => p.id)).toEqual(
      expect.arrayContaining([...DEMO_PROJECT_IDS]),
    );
    const outsider = await http<Risks>(`${hub.url}/api/projects/risks`, {
      token: c['d.sj']!.token,
    });
    expect(outsider.body.projects).toEqual([]);
  });

  it('pulls from a checkpoint without skipping, and removes a project from someone taken out of the team', async () => {
    const dept = c['d.zrzy']!;
    const first = await dept.pull<ProjectDoc>('projects', null, 1000);
    expect(first.status).toBe(200);
    const checkpoint = first.body.checkpoint;
    // Nothing new: an empty page at the same place.
    const again = await dept.pull<ProjectDoc>('projects', checkpoint, 1000);
    expect(again.body.documents).toEqual([]);

    const centre = c['c.agent']!;
    const reteam = withProjectEvent(centre, project, PROJECT, 'set_team', {
      leader: member(c.sup!),
      lead: member(centre),
      members: [member(c['t.dq']!), member(c['v.dq01']!), member(c['d.zj']!)],
    });
    project = accepted(await pushProject(centre, project, reteam));
    const after = await dept.pull<{ id: string; _deleted?: boolean }>('projects', checkpoint, 1000);
    expect(after.body.documents).toEqual([
      expect.objectContaining({ id: PROJECT, _deleted: true }),
    ]);
    // The new member finds it from the start of the feed.
    expect(await pullIds('d.zj')).toContain(PROJECT);
    // The removed member's pushes are refused as out of scope from now on.
    const late = withProjectEvent(dept, project, PROJECT, 'log_entry', {
      date: '2026-03-04',
      matterKey: null,
      done: '离队后补记',
    });
    expect(await pushProject(dept, project, late)).toMatchObject({
      status: 'refused',
      code: 'PROJECT_OUT_OF_SCOPE',
    });
  });

  it('seeds the demo projects once: a second seed-demo changes nothing', async () => {
    const before = await c['c.agent']!.pullAll<ProjectDoc>('projects');
    const again = await hub.cli(['seed-demo']);
    expect(again.code, again.stderr).toBe(0);
    const after = await c['c.agent']!.pullAll<ProjectDoc>('projects');
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const id of DEMO_PROJECT_IDS) expect(after.get(id)).toEqual(before.get(id));
  });

  it('refuses malformed and deleting pushes with their own codes', async () => {
    const v = c['v.dq01']!;
    const broken = {
      ...project,
      events: [{ ...project.events[0]!, type: 'nonsense' }],
    } as unknown as ProjectDoc;
    expect(await pushProject(v, project, broken)).toMatchObject({
      status: 'refused',
      code: 'PROJECT_SCHEMA_INVALID',
    });
    const deleting = { ...project, _deleted: true };
    expect(await pushProject(v, project, deleting)).toMatchObject({
      status: 'refused',
      code: 'PROJECT_DELETE_FORBIDDEN',
    });
    const notMine = withProjectEvent(c['t.dq']!, project, PROJECT, 'log_entry', {
      date: '2026-03-05',
      matterKey: null,
      done: '代他人提交',
    });
    expect(await pushProject(v, project, notMine)).toMatchObject({
      status: 'refused',
      code: 'PROJECT_ACTOR_MISMATCH',
    });
  });
});
