import { describe, expect, it } from 'vitest';
import {
  appendProjectEvent,
  buildDemoProjects,
  checkProjectCode,
  compareProjectRisk,
  projectRisk,
  compareProjectEvents,
  deriveProjectState,
  planForWeek,
  weeklyReport,
  weekOf,
  projectAccess,
  validateProjectDoc,
  validateProjectEvents,
  type ProjectEvent,
} from '../../src/project/index.js';
import {
  asMember,
  baseHistory,
  centre,
  deptZj,
  deptZrzy,
  Device,
  it as itAdmin,
  matter,
  org,
  REGISTER,
  sup,
  townDq,
  townXh,
  villageDq01,
  villageDq02,
  villageXh01,
} from './fixtures.js';

/** Judges `write` by `actor` on top of the base history, as the hub does with the org tree. */
function judge(
  actor: typeof centre,
  write: (d: Device) => ProjectEvent,
  history = baseHistory(),
  extra: Parameters<typeof validateProjectEvents>[2] = {},
) {
  const device = new Device(`dev-${actor.userId}`, actor, history);
  const event = write(device);
  return validateProjectEvents(history, [event], {
    org,
    pushedBy: actor,
    deviceId: device.deviceId,
    ...extra,
  });
}

const logEntry = (d: Device) =>
  d.write('log_entry', { date: '2026-03-02', matterKey: 'A', done: '踏勘现场' });

describe('who may act on a project', () => {
  it('lets team members and the centre log work, and refuses everyone else with PROJECT_NOT_MEMBER', () => {
    for (const member of [centre, townDq, villageDq01, deptZrzy]) {
      expect(judge(member, logEntry).ok, member.userId).toBe(true);
    }
    for (const outsider of [deptZj, townXh, villageDq02, sup]) {
      const verdict = judge(outsider, logEntry);
      expect(verdict.ok, outsider.userId).toBe(false);
      if (!verdict.ok) expect(verdict.code).toBe('PROJECT_NOT_MEMBER');
    }
  });

  it('keeps the leadership member read-only, with a message that says so', () => {
    const verdict = judge(sup, logEntry);
    expect(verdict).toMatchObject({ ok: false, code: 'PROJECT_NOT_MEMBER' });
    if (!verdict.ok) expect(verdict.messageZh).toContain('班子成员');
  });

  it('refuses a team set by anyone but the centre (PROJECT_TEAM_FORBIDDEN)', () => {
    const forged = (d: Device) =>
      d.write('set_team', { leader: null, lead: asMember(centre), members: [asMember(deptZj)] });
    for (const actor of [townDq, villageDq01, deptZrzy, sup]) {
      expect(judge(actor, forged), actor.userId).toMatchObject({
        ok: false,
        code: 'PROJECT_TEAM_FORBIDDEN',
      });
    }
    expect(judge(centre, forged).ok).toBe(true);
  });

  it('refuses a team whose people cannot hold their slots (PROJECT_TEAM_INVALID)', () => {
    const leadNotCentre = (d: Device) =>
      d.write('set_team', { leader: null, lead: asMember(townDq), members: [] });
    expect(judge(centre, leadNotCentre)).toMatchObject({ ok: false, code: 'PROJECT_TEAM_INVALID' });
    const wrongUnit = (d: Device) =>
      d.write('set_team', {
        leader: null,
        lead: asMember(centre),
        members: [{ ...asMember(deptZj), orgUnitId: 'town-dq' }],
      });
    expect(judge(centre, wrongUnit)).toMatchObject({ ok: false, code: 'PROJECT_TEAM_INVALID' });
  });

  it('lets only the centre change the list and timetable (PROJECT_ROLE_FORBIDDEN)', () => {
    const addMatter = (d: Device) => d.write('add_matter', matter('C', ['B']));
    expect(judge(townDq, addMatter)).toMatchObject({ ok: false, code: 'PROJECT_ROLE_FORBIDDEN' });
    expect(judge(centre, addMatter).ok).toBe(true);
    const target = (d: Device) =>
      d.write('set_target', { startDate: '2026-12-01', completionDate: null });
    expect(judge(deptZrzy, target)).toMatchObject({ ok: false, code: 'PROJECT_ROLE_FORBIDDEN' });
  });

  it('refuses typed dates on a matter backed by a case (PROJECT_CASE_BACKED_DATES)', () => {
    const history = baseHistory();
    const member = new Device('dev-t', townDq, history);
    member.write('link_case', { matterKey: 'A', caseId: 'case-1' });
    const forged = (d: Device) =>
      d.write('set_matter_progress', {
        matterKey: 'A',
        startedOn: '2026-02-01',
        finishedOn: '2026-02-02',
      });
    expect(judge(townDq, forged, member.history)).toMatchObject({
      ok: false,
      code: 'PROJECT_CASE_BACKED_DATES',
    });
    // A matter without a case takes typed dates.
    const fine = (d: Device) =>
      d.write('set_matter_progress', { matterKey: 'B', startedOn: '2026-02-01', finishedOn: null });
    expect(judge(townDq, fine, member.history).ok).toBe(true);
  });

  it('checks a linked case on the hub: it exists and is for the listed matter', () => {
    const link = (d: Device) => d.write('link_case', { matterKey: 'A', caseId: 'case-9' });
    expect(
      judge(villageDq01, link, baseHistory(), { caseMatterCode: () => undefined }),
    ).toMatchObject({
      ok: false,
      code: 'PROJECT_CASE_UNKNOWN',
    });
    expect(
      judge(villageDq01, link, baseHistory(), { caseMatterCode: () => 'CODE-B' }),
    ).toMatchObject({
      ok: false,
      code: 'PROJECT_CASE_MATTER_MISMATCH',
    });
    expect(judge(villageDq01, link, baseHistory(), { caseMatterCode: () => 'CODE-A' }).ok).toBe(
      true,
    );
  });

  it('refuses a 办理方式 the matter’s catalogue profile does not allow (PROJECT_MODE_NOT_ALLOWED)', () => {
    // 建设工程规划许可 (profile 010010040000): 模拟审批 and 容缺受理 apply, 联合审批 does not.
    const planning = { ...matter('010010040000'), name: '建设工程规划许可证核发' };
    const listed = (d: Device) => d.write('add_matter', { ...planning, modes: ['deferred'] });
    expect(judge(centre, listed).ok).toBe(true);
    expect(
      judge(centre, (d) => d.write('add_matter', { ...planning, modes: ['joint'] })),
    ).toMatchObject({
      ok: false,
      code: 'PROJECT_MODE_NOT_ALLOWED',
      messageZh: '事项“建设工程规划许可证核发”不适用「联合审批」',
    });
    const history = baseHistory();
    history.push(listed(new Device('dev-centre-2', centre, history)));
    const mark = (modes: ('simulated' | 'deferred' | 'joint')[]) => (d: Device) =>
      d.write('set_mode', { matterKey: '010010040000', modes });
    expect(judge(centre, mark(['simulated', 'deferred']), history).ok).toBe(true);
    expect(judge(centre, mark(['joint']), history)).toMatchObject({
      ok: false,
      code: 'PROJECT_MODE_NOT_ALLOWED',
    });
  });

  it('refuses a 竣工 target before the 开工 target (PROJECT_TARGETS_INVALID)', () => {
    const targets = (startDate: string, completionDate: string) => (d: Device) =>
      d.write('set_target', { startDate, completionDate });
    expect(judge(centre, targets('2027-03-01', '2028-06-30')).ok).toBe(true);
    expect(judge(centre, targets('2027-03-01', '2027-02-28'))).toMatchObject({
      ok: false,
      code: 'PROJECT_TARGETS_INVALID',
      messageZh: '目标竣工日期（2027-02-28）不能早于目标开工日期（2027-03-01）',
    });
  });

  it('refuses a dependency that closes a cycle (PROJECT_DEPENDENCY_CYCLE)', () => {
    const cycle = (d: Device) => d.write('set_dependency', { matterKey: 'A', dependsOn: ['B'] });
    expect(judge(centre, cycle)).toMatchObject({ ok: false, code: 'PROJECT_DEPENDENCY_CYCLE' });
  });

  it("refuses events written in someone else's name (PROJECT_ACTOR_MISMATCH)", () => {
    const history = baseHistory();
    const device = new Device('dev-x', townDq, history);
    const event = logEntry(device);
    const verdict = validateProjectEvents(history, [event], {
      org,
      pushedBy: deptZrzy,
      deviceId: 'dev-x',
    });
    expect(verdict).toMatchObject({
      ok: false,
      code: 'PROJECT_ACTOR_MISMATCH',
      refusedEventIds: [event.id],
    });
  });

  it("registers only inside the registrant's own area, with a valid USCC", () => {
    const register =
      (payload = REGISTER) =>
      (d: Device) =>
        d.write('register', payload);
    const fresh = (actor: typeof centre, payload = REGISTER) => judge(actor, register(payload), []);
    expect(fresh(villageDq01).ok).toBe(true);
    expect(fresh(townDq).ok).toBe(true);
    expect(fresh(centre).ok).toBe(true);
    expect(fresh(villageDq02)).toMatchObject({ ok: false, code: 'PROJECT_REGISTER_FORBIDDEN' });
    expect(fresh(townXh)).toMatchObject({ ok: false, code: 'PROJECT_REGISTER_FORBIDDEN' });
    expect(fresh(deptZrzy)).toMatchObject({ ok: false, code: 'PROJECT_REGISTER_FORBIDDEN' });
    const badUscc = { ...REGISTER, owner: { ...REGISTER.owner, uscc: '91330999MA2DQ7701X' } };
    expect(fresh(villageDq01, badUscc)).toMatchObject({
      ok: false,
      code: 'PROJECT_OWNER_USCC_INVALID',
    });
    const otherRegion = { ...REGISTER, projectCode: '2026-110101-34-03-000001' };
    expect(fresh(villageDq01, otherRegion)).toMatchObject({
      ok: false,
      code: 'PROJECT_CODE_INVALID',
    });
  });
});

describe('who sees a project', () => {
  const state = deriveProjectState(baseHistory());
  it('gives act to the centre and members, read to the leader, supervisor and the site area', () => {
    expect(projectAccess(centre, state, org)).toBe('act');
    expect(projectAccess(deptZrzy, state, org)).toBe('act');
    expect(projectAccess(townDq, state, org)).toBe('act');
    expect(projectAccess(sup, state, org)).toBe('read');
    expect(projectAccess(villageDq02, state, org)).toBe('none');
    expect(projectAccess(townXh, state, org)).toBe('none');
    expect(projectAccess(deptZj, state, org)).toBe('none');
    expect(projectAccess(villageXh01, state, org)).toBe('none');
    expect(projectAccess(itAdmin, state, org)).toBe('none');
  });

  it('lets the site town read a project it is not a member of, and the registrant keep reading it', () => {
    const v = new Device('dev-v', villageDq01);
    v.write('register', REGISTER);
    const c = new Device('dev-c', centre, v.history);
    c.write('set_team', { leader: null, lead: asMember(centre), members: [asMember(deptZj)] });
    const s = deriveProjectState(c.history);
    expect(projectAccess(townDq, s, org)).toBe('read');
    expect(projectAccess(villageDq01, s, org)).toBe('read');
    expect(projectAccess(deptZrzy, s, org)).toBe('none');
  });
});

describe('投资项目统一代码', () => {
  it('checks the broad shape and the 6-digit region, not the opaque parts', () => {
    expect(checkProjectCode('2026-330999-34-03-080017', '330999000000').ok).toBe(true);
    expect(checkProjectCode('2026-330900-34-03-080017', '330999000000').ok).toBe(true);
    expect(checkProjectCode('2026-330000-34-03-08001A', '330999000000').ok).toBe(true);
    expect(checkProjectCode('2026-440300-34-03-080017', '330999000000')).toMatchObject({
      ok: false,
      code: 'PROJECT_CODE_REGION',
    });
    expect(checkProjectCode('2026-990999-34-03-080017')).toMatchObject({
      ok: false,
      code: 'PROJECT_CODE_REGION',
    });
    expect(checkProjectCode('2026330999340308001')).toMatchObject({
      ok: false,
      code: 'PROJECT_CODE_FORMAT',
    });
    expect(checkProjectCode(' 2026-330999-34-03-080017 ').ok).toBe(true);
  });
});

describe('demo projects', () => {
  it('are three valid projects at different stages, built without a void event', () => {
    const docs = buildDemoProjects('2026-12-02');
    expect(docs).toHaveLength(3);
    expect(new Set(docs.map((d) => d.stage)).size).toBe(3);
    for (const doc of docs) {
      const checked = validateProjectDoc(doc);
      expect(checked.ok, checked.ok ? '' : checked.messageZh).toBe(true);
      expect(deriveProjectState(doc.events).voidEvents).toEqual([]);
    }
  });
});

describe('周工作计划', () => {
  it("carries last week's unfinished items over, and not the done or dropped ones", () => {
    const c = new Device('dev-plan', centre, baseHistory());
    const item = (itemId: string, week: string) =>
      c.write('plan_item', {
        itemId,
        weekOf: week,
        text: itemId,
        matterKey: null,
        responsibleUserId: townDq.userId,
        responsibleName: townDq.name,
        dueDate: week,
      });
    item('open-old', '2026-03-02');
    item('not-done', '2026-03-02');
    item('done', '2026-03-02');
    item('dropped', '2026-03-02');
    item('this-week', '2026-03-09');
    c.write('plan_review', { itemId: 'not-done', outcome: 'not_done' });
    c.write('plan_review', { itemId: 'done', outcome: 'done' });
    c.write('plan_review', { itemId: 'dropped', outcome: 'dropped' });
    const plan = planForWeek(deriveProjectState(c.history), '2026-03-12');
    expect(plan.weekOf).toBe('2026-03-09');
    expect(plan.items.map((i) => i.itemId)).toEqual(['this-week']);
    expect(plan.carriedOver.map((i) => i.itemId).sort()).toEqual(['not-done', 'open-old']);
    expect(weekOf('2026-03-15')).toBe('2026-03-09');
    expect(weekOf('2026-03-16')).toBe('2026-03-16');

    // The weekly report: the week's items and carried ones, their review, the week's log.
    c.write('plan_review', { itemId: 'this-week', outcome: 'done' });
    c.write('log_entry', { date: '2026-03-10', matterKey: null, done: '本周：报送环评' });
    c.write('log_entry', { date: '2026-03-06', matterKey: null, done: '上周：踏勘' });
    c.write('log_entry', { date: '2026-03-15', matterKey: null, done: '周日：整理材料' });
    const report = weeklyReport(deriveProjectState(c.history), '2026-03-11');
    expect(report).toMatchObject({ weekOf: '2026-03-09', weekEnd: '2026-03-15' });
    expect(report.review).toEqual({ done: 1, notDone: 1, dropped: 0, open: 1 });
    expect(report.log.map((e) => e.done)).toEqual(['本周：报送环评', '周日：整理材料']);
  });
});

describe('back-dated pushes', () => {
  it("refuses typed dates slipped before the link of the matter's case by a low lamport", () => {
    const history = baseHistory();
    const linker = new Device('dev-link', villageDq01, history);
    const link = linker.write('link_case', { matterKey: 'A', caseId: 'case-1' });
    // Written on the history from before the link: it sorts before the link_case event.
    const stale = new Device('dev-a', townDq, history);
    const forged = stale.write('set_matter_progress', {
      matterKey: 'A',
      startedOn: '2026-02-01',
      finishedOn: '2026-02-02',
    });
    expect(compareProjectEvents(forged, link)).toBeLessThan(0);
    const verdict = validateProjectEvents(linker.history, [forged], {
      org,
      pushedBy: townDq,
      deviceId: 'dev-a',
    });
    expect(verdict).toMatchObject({ ok: false, code: 'PROJECT_CASE_BACKED_DATES' });
  });

  it('still accepts events of one push that build on each other', () => {
    const history = baseHistory();
    const c = new Device('dev-c3', centre, history);
    const added = [
      c.write('add_matter', matter('C', ['B'])),
      c.write('set_mode', { matterKey: 'C', modes: ['joint'] }),
    ];
    const verdict = validateProjectEvents(history, added, {
      org,
      pushedBy: centre,
      deviceId: 'dev-c3',
    });
    expect(verdict.ok).toBe(true);
  });
});

describe('project risk', () => {
  it('ranks the demo projects: the one past a latest start first, as 督办', () => {
    const today = '2026-12-02';
    const ranked = buildDemoProjects(today)
      .map((doc) => ({
        id: doc.id,
        risk: projectRisk(deriveProjectState(doc.events), new Map(), today),
      }))
      .sort((a, b) => compareProjectRisk(a.risk, b.risk));
    expect(ranked[0]).toMatchObject({
      id: 'project-demo-dq-smart-park',
      risk: { level: 'overdue' },
    });
    expect(ranked[0]!.risk.warnings.map((w) => w.kind)).toContain('start_overdue');
    for (const { risk } of ranked.slice(1)) expect(risk.level).not.toBe('overdue');
  });

  it('says when a project has no target yet', () => {
    const v = new Device('dev-v9', villageDq01);
    v.write('register', { ...REGISTER, targets: { startDate: null, completionDate: null } });
    expect(projectRisk(deriveProjectState(v.history), new Map(), '2026-03-02').level).toBe(
      'no_target',
    );
  });
});

describe('a client writing a project', () => {
  it('appends an event to its local copy with the derived fields redone', () => {
    const registered = appendProjectEvent(null, {
      projectId: 'project-local-1',
      type: 'register',
      payload: REGISTER,
      actor: villageDq01,
      deviceId: 'dev-local',
      counter: 1,
      now: '2026-03-02T02:00:00.000Z',
    });
    expect(registered).toMatchObject({
      name: '测试产业园',
      siteUnitId: 'village-dq-01',
      teamUserIds: [],
    });
    const logged = appendProjectEvent(registered, {
      projectId: 'project-local-1',
      type: 'log_entry',
      payload: { date: '2026-03-02', matterKey: null, done: '接收企业申请材料' },
      actor: villageDq01,
      deviceId: 'dev-local',
      counter: 2,
      now: '2026-03-02T03:00:00.000Z',
    });
    expect(logged.events.map((e) => e.lamport)).toEqual([1, 2]);
    expect(logged.updatedAt).toBe('2026-03-02T03:00:00.000Z');
    expect(validateProjectDoc(logged).ok).toBe(true);
  });

  it('refuses moving the site out of the county or to a department', () => {
    const move = (siteUnitId: string) => (d: Device) => d.write('update_info', { siteUnitId });
    expect(judge(centre, move('village-xh-02')).ok).toBe(true);
    expect(judge(centre, move('dept-zj'))).toMatchObject({
      ok: false,
      code: 'PROJECT_SITE_INVALID',
    });
  });
});
