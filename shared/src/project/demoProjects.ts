/**
 * Three demo projects of 示县 at different stages, written as the people who would write
 * them (a village helper registers, the centre agent builds the team, list and timetable,
 * members log work), through the same event rules as real edits. Dates are relative to
 * `today`, so the demo always shows one project at risk, one mid-way, one near the end.
 */
import {
  DEMO_MATTERS_WITH_PROJECTS,
  PROJECT_MATTER_PROFILES,
} from '../catalogue/demoProjectMatters.js';
import { DEMO_USERS } from '../catalogue/demoCounty.js';
import { dayNumberToIsoDate, requireDayNumber } from '../calendar/isoDate.js';
import { DomainError } from '../errors/domainError.js';
import type { Actor } from '../org/orgTypes.js';
import { usccCheckChar } from '../identity/uscc.js';
import { createProjectEvent } from './newProjectEvent.js';
import { listedMatterPayload } from './projectCatalogue.js';
import { weekOf } from './projectPlan.js';
import { deriveProjectState } from './projectMachine.js';
import { projectDocOf } from './projectMerge.js';
import type {
  ProjectDoc,
  ProjectEvent,
  ProjectEventPayloads,
  ProjectEventType,
  ProjectStage,
  TeamMember,
} from './projectTypes.js';

export type DemoActorLookup = (username: string) => Actor;

/** Demo users as the hub creates them (`u-<username>`). */
export const demoActor: DemoActorLookup = (username) => {
  const user = DEMO_USERS.find((u) => u.username === username);
  if (!user) throw new DomainError('DEMO_USER_UNKNOWN', `演示用户 ${username} 不存在`);
  return { userId: `u-${username}`, name: user.name, role: user.role, orgUnitId: user.orgUnitId };
};

const DEVICE = 'demo-seed';

function shift(iso: string, days: number): string {
  return dayNumberToIsoDate(requireDayNumber(iso) + days);
}

function demoUscc(first17: string): string {
  return first17 + usccCheckChar(first17);
}

class ProjectScript {
  readonly events: ProjectEvent[] = [];
  private counter = 0;
  constructor(private readonly projectId: string) {}

  add<T extends ProjectEventType>(
    actor: Actor,
    type: T,
    payload: ProjectEventPayloads[T],
    day: string,
  ): void {
    this.counter += 1;
    this.events.push(
      createProjectEvent<T>({
        projectEvents: this.events,
        projectId: this.projectId,
        type,
        payload,
        actor,
        deviceId: DEVICE,
        counter: this.counter,
        now: `${day}T01:30:00.000Z`,
      }) as unknown as ProjectEvent,
    );
  }

  /** Lists every catalogue project matter of the given stages, prerequisites wired. */
  listStages(
    actor: Actor,
    stages: readonly ProjectStage[],
    day: string,
    skip: string[] = [],
  ): void {
    const profiles = PROJECT_MATTER_PROFILES.filter(
      (p) => stages.includes(p.stage) && !skip.includes(p.basicCode),
    );
    const chosen = new Map(profiles.map((p) => [p.basicCode, p]));
    const listed = new Set<string>();
    // Prerequisites first, so every edge to a listed matter is kept.
    const visit = (code: string): void => {
      const profile = chosen.get(code);
      if (!profile || listed.has(code)) return;
      profile.prerequisites.forEach(visit);
      const matter = DEMO_MATTERS_WITH_PROJECTS.find((m) => m.basicCode === code)!;
      this.add(actor, 'add_matter', listedMatterPayload(matter, profile, listed), day);
      listed.add(code);
    };
    profiles.forEach((p) => visit(p.basicCode));
  }

  doc(updatedAt: string): ProjectDoc {
    const state = deriveProjectState(this.events);
    if (state.voidEvents.length > 0) {
      // Demo data that breaks the rules would teach the wrong thing: fail loudly.
      throw new DomainError('DEMO_PROJECT_INVALID', '演示项目数据不符合项目规则', {
        projectId: this.projectId,
        voidEvents: state.voidEvents,
      });
    }
    return projectDocOf(this.projectId, this.events, updatedAt);
  }
}

const member = (a: Actor): TeamMember => ({
  userId: a.userId,
  name: a.name,
  role: a.role,
  orgUnitId: a.orgUnitId,
});

// Matter keys (basic codes) used below.
const FILING = '000010010000';
const SITING = '010010020000';
const LAND_PLANNING = '010010030000';
const EIA = '010090010000';
const ENERGY = '000020010000';
const SOIL = '010100010000';
const BUILDING_PLANNING = '010010040000';
const DRAWINGS = '200080010000';
const FIRE_DESIGN = '010040030000';
const CIVIL_DEFENCE = '010110010000';
const PERMIT = '010040010000';
const APPROVAL_ALTERNATIVES = ['000010020000', '000010030000'];

export const DEMO_PROJECT_IDS = [
  'project-demo-dq-smart-park',
  'project-demo-xh-culture-centre',
  'project-demo-dq-cold-chain',
] as const;

/**
 * The three demo projects, as of `today` (ISO date). `actor` maps demo usernames to the
 * hub's users (defaults to `u-<username>`).
 */
export function buildDemoProjects(today: string, actor: DemoActorLookup = demoActor): ProjectDoc[] {
  const centre = actor('c.agent');
  const sup = actor('sup');
  const updatedAt = `${today}T00:00:00.000Z`;

  // 1. 东桥镇: registered by the village helper three weeks ago, code not issued yet, a tight
  //    开工 target — 用地预审 is past its latest start (督办).
  const park = new ProjectScript(DEMO_PROJECT_IDS[0]);
  {
    const v = actor('v.dq01');
    const town = actor('t.dq');
    const zrzy = actor('d.zrzy');
    const zj = actor('d.zj');
    const registered = shift(today, -21);
    park.add(
      v,
      'register',
      {
        name: '东桥智能制造产业园一期',
        projectCode: null,
        owner: {
          name: '示县东桥智造科技有限公司',
          uscc: demoUscc('91330999MA2DQ0001'),
          contactName: '钱志远',
          contactPhone: '13905760101',
        },
        siteUnitId: 'village-dq-01',
        siteAddress: '东桥村工业功能区 3 号地块',
        category: 'industrial',
        investmentWan: 52000,
        targets: { startDate: null, completionDate: null },
        stage: 'land_planning',
      },
      registered,
    );
    park.add(
      centre,
      'set_team',
      { leader: member(sup), lead: member(centre), members: [town, v, zrzy, zj].map(member) },
      shift(registered, 1),
    );
    park.add(
      centre,
      'set_target',
      { startDate: shift(today, 45), completionDate: shift(today, 45 + 540) },
      shift(registered, 1),
    );
    park.listStages(
      centre,
      ['land_planning', 'building_planning', 'construction_permit'],
      shift(registered, 2),
      APPROVAL_ALTERNATIVES,
    );
    park.add(
      centre,
      'set_mode',
      { matterKey: EIA, modes: ['simulated', 'joint'] },
      shift(registered, 2),
    );
    park.add(
      v,
      'set_matter_progress',
      {
        matterKey: FILING,
        startedOn: shift(registered, 3),
        finishedOn: shift(registered, 3),
        note: '在线平台备案，已取得项目代码',
      },
      shift(registered, 3),
    );
    park.add(
      centre,
      'update_info',
      { projectCode: '2026-330999-34-03-080017' },
      shift(registered, 4),
    );
    park.add(
      town,
      'log_entry',
      {
        date: shift(today, -6),
        matterKey: SITING,
        done: '陪同企业踏勘 3 号地块，核对永久基本农田边界',
        problem: '地块西侧约 2 亩涉及基本农田，须调整红线',
        nextStep: '请自然资源局出具红线调整意见',
      },
      shift(today, -6),
    );
    park.add(
      zrzy,
      'log_entry',
      {
        date: shift(today, -3),
        matterKey: SITING,
        done: '预审红线调整方案，已反馈企业修改',
        nextStep: '企业提交修改后的选址论证报告',
      },
      shift(today, -3),
    );
    const monday = weekOf(today);
    park.add(
      centre,
      'plan_item',
      {
        itemId: 'park-w1-siting',
        weekOf: shift(monday, -7),
        text: '督促企业完成选址论证报告修改',
        matterKey: SITING,
        responsibleUserId: v.userId,
        responsibleName: v.name,
        dueDate: shift(monday, -3),
      },
      shift(monday, -7),
    );
    park.add(
      v,
      'plan_review',
      { itemId: 'park-w1-siting', outcome: 'not_done', note: '报告仍在编制' },
      shift(monday, -2),
    );
    park.add(
      centre,
      'plan_item',
      {
        itemId: 'park-w2-eia',
        weekOf: monday,
        text: '环评报告表模拟审批预审',
        matterKey: EIA,
        responsibleUserId: centre.userId,
        responsibleName: centre.name,
        dueDate: shift(monday, 4),
      },
      monday,
    );
  }

  // 2. 西湖街道: a 市级重点 project in 施工许可; stages 1–2 done (some at the province), drawings under review.
  const culture = new ProjectScript(DEMO_PROJECT_IDS[1]);
  {
    const town = actor('t.xh');
    const v = actor('v.xh01');
    const zj = actor('d.zj');
    const zrzy = actor('d.zrzy');
    const registered = shift(today, -150);
    culture.add(
      centre,
      'register',
      {
        name: '湖滨文体中心',
        projectCode: '2026-330999-89-01-000123',
        owner: {
          name: '示县城市建设投资集团有限公司',
          uscc: demoUscc('91330999MA2XH0002'),
          contactName: '孔令华',
          contactPhone: '13905760202',
        },
        siteUnitId: 'village-xh-01',
        siteAddress: '湖滨社区滨湖路 18 号',
        category: 'city_key',
        investmentWan: 38000,
        targets: { startDate: shift(today, 30), completionDate: shift(today, 30 + 720) },
        stage: 'land_planning',
      },
      registered,
    );
    culture.add(
      centre,
      'set_team',
      { leader: member(sup), lead: member(centre), members: [town, v, zj, zrzy].map(member) },
      registered,
    );
    culture.listStages(
      centre,
      ['land_planning', 'building_planning', 'construction_permit'],
      registered,
      [FILING, '000010020000'],
    );
    const done: Array<[string, number, number]> = [
      [SITING, -140, -131],
      ['000010030000', -130, -121],
      [LAND_PLANNING, -120, -115],
      [EIA, -140, -126],
      [ENERGY, -140, -128],
      [SOIL, -140, -130],
      ['100010010000', -140, -118],
      [BUILDING_PLANNING, -100, -90],
      [CIVIL_DEFENCE, -85, -78],
    ];
    for (const [key, from, to] of done) {
      culture.add(
        zrzy,
        'set_matter_progress',
        { matterKey: key, startedOn: shift(today, from), finishedOn: shift(today, to) },
        shift(today, to),
      );
    }
    culture.add(
      zj,
      'set_matter_progress',
      {
        matterKey: DRAWINGS,
        startedOn: shift(today, -12),
        finishedOn: null,
        note: '消防、人防一并送审',
      },
      shift(today, -12),
    );
    culture.add(centre, 'set_stage', { stage: 'construction_permit' }, shift(today, -12));
    culture.add(
      zj,
      'log_entry',
      {
        date: shift(today, -2),
        matterKey: DRAWINGS,
        done: '组织施工图联合审查第一轮意见汇总',
        problem: '消防疏散宽度不足',
        nextStep: '设计院 3 日内修改回复',
      },
      shift(today, -2),
    );
    culture.add(
      town,
      'log_entry',
      {
        date: shift(today, -1),
        matterKey: null,
        done: '协调周边居民关于施工噪声的意见',
        nextStep: '开工前召开居民说明会',
      },
      shift(today, -1),
    );
  }

  // 3. 东桥镇南岭村: an 省重点 cold-chain centre built and waiting for 竣工验收.
  const coldChain = new ProjectScript(DEMO_PROJECT_IDS[2]);
  {
    const town = actor('t.dq');
    const v = actor('v.dq02');
    const zj = actor('d.zj');
    const zrzy = actor('d.zrzy');
    const registered = shift(today, -600);
    coldChain.add(
      v,
      'register',
      {
        name: '南岭农产品冷链物流中心',
        projectCode: '2025-330999-59-03-000456',
        owner: {
          name: '示县南岭冷链物流有限公司',
          uscc: demoUscc('91330999MA2NL0003'),
          contactName: '许文杰',
          contactPhone: '13905760303',
        },
        siteUnitId: 'village-dq-02',
        siteAddress: '南岭村 318 国道东侧',
        category: 'province_key',
        investmentWan: 26000,
        targets: { startDate: shift(today, -420), completionDate: shift(today, 40) },
        stage: 'land_planning',
      },
      registered,
    );
    coldChain.add(
      centre,
      'set_team',
      { leader: member(sup), lead: member(centre), members: [town, v, zj, zrzy].map(member) },
      registered,
    );
    coldChain.listStages(
      centre,
      ['land_planning', 'building_planning', 'construction_permit', 'completion_acceptance'],
      registered,
      [...APPROVAL_ALTERNATIVES, EIA, ENERGY, '100010010000', CIVIL_DEFENCE],
    );
    const done: Array<[string, number, number]> = [
      [FILING, -590, -590],
      [SITING, -585, -570],
      [SOIL, -580, -566],
      [LAND_PLANNING, -560, -552],
      [BUILDING_PLANNING, -540, -528],
      [DRAWINGS, -520, -505],
      [FIRE_DESIGN, -520, -508],
      [PERMIT, -500, -496],
    ];
    for (const [key, from, to] of done) {
      coldChain.add(
        centre,
        'set_matter_progress',
        { matterKey: key, startedOn: shift(today, from), finishedOn: shift(today, to) },
        shift(today, to),
      );
    }
    coldChain.add(centre, 'set_stage', { stage: 'completion_acceptance' }, shift(today, -10));
    coldChain.add(
      zj,
      'log_entry',
      {
        date: shift(today, -4),
        matterKey: '010040040000',
        done: '指导企业准备消防设施检测',
        nextStep: '检测报告出具后申请消防验收',
      },
      shift(today, -4),
    );
  }

  return [park.doc(updatedAt), culture.doc(updatedAt), coldChain.doc(updatedAt)];
}
