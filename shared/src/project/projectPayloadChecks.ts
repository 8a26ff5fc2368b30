/**
 * What an event's payload must satisfy at its place in the history, beyond its JSON shape:
 * dates that exist, a valid USCC and project code, listed matters, no dependency cycle, a
 * team whose people can hold their slots, no typed dates on a case-backed matter.
 */
import { isIsoDate } from '../calendar/isoDate.js';
import { checkUscc } from '../identity/uscc.js';
import type { OrgDirectory } from '../org/orgDirectory.js';
import type { Role } from '../org/orgTypes.js';
import { checkProjectCode } from './projectCode.js';
import { projectRefusal, type ProjectRefusal } from './projectErrors.js';
import { checkRegisterSite } from './projectScope.js';
import type { ProjectMatter, ProjectState } from './projectState.js';
import { matterModesAllowed } from './projectCatalogue.js';
import {
  LEADER_ROLES,
  MATTER_MODE_LABELS_ZH,
  MEMBER_DUTY_OF_ROLE,
  type MatterMode,
  type ProjectEvent,
  type ProjectInfo,
  type ProjectTargets,
  type ProjectTeam,
  type TeamMember,
} from './projectTypes.js';

export interface ProjectMachineContext {
  org?: OrgDirectory;
  /**
   * The matter code of a stored case, or undefined when the hub holds no such case. Only the
   * hub knows every case, so only the hub passes it.
   */
  caseMatterCode?: (caseId: string) => string | undefined;
  /** True when the catalogue (as the hub holds it) has a matter with this 实施编码. */
  matterInCatalogue?: (matterCode: string) => boolean;
}

const invalid = (messageZh: string, details?: Record<string, unknown>): ProjectRefusal =>
  projectRefusal('PROJECT_INVALID_PAYLOAD', messageZh, details);

/** 开工 and 竣工 each a date, and 竣工 not before 开工 (the 倒排时间表 runs back from both). */
function checkTargets(t: ProjectTargets): ProjectRefusal | null {
  const dates =
    checkDate(t.startDate, '目标开工日期') ?? checkDate(t.completionDate, '目标竣工日期');
  if (dates) return dates;
  if (t.startDate && t.completionDate && t.completionDate < t.startDate) {
    return projectRefusal(
      'PROJECT_TARGETS_INVALID',
      `目标竣工日期（${t.completionDate}）不能早于目标开工日期（${t.startDate}）`,
      { startDate: t.startDate, completionDate: t.completionDate },
    );
  }
  return null;
}

/** A 办理方式 mark only where the matter's catalogue profile says it applies. */
function checkModes(
  matter: Pick<ProjectMatter, 'matterKey' | 'name' | 'modes'>,
  modes: readonly MatterMode[],
): ProjectRefusal | null {
  const allowed = matterModesAllowed(matter);
  const wrong = modes.filter((m) => !allowed.includes(m));
  if (wrong.length === 0) return null;
  return projectRefusal(
    'PROJECT_MODE_NOT_ALLOWED',
    `事项“${matter.name}”不适用${wrong.map((m) => `「${MATTER_MODE_LABELS_ZH[m]}」`).join('')}`,
    { matterKey: matter.matterKey, modes: wrong },
  );
}

function checkDate(value: string | null | undefined, label: string): ProjectRefusal | null {
  if (value === null || value === undefined) return null;
  return isIsoDate(value) ? null : invalid(`${label}“${String(value)}”不是有效日期`);
}

function findMatter(state: ProjectState, key: string): ProjectMatter | undefined {
  return state.matters.find((m) => m.matterKey === key);
}

function requireMatter(state: ProjectState, key: string): ProjectRefusal | null {
  return findMatter(state, key)
    ? null
    : projectRefusal('PROJECT_MATTER_UNKNOWN', `审批事项清单中没有事项 ${key}`, { matterKey: key });
}

function checkInfo(info: Partial<ProjectInfo>, ctx: ProjectMachineContext): ProjectRefusal | null {
  if (info.name !== undefined && info.name.trim() === '') return invalid('项目名称不能为空');
  if (info.owner !== undefined) {
    const uscc = checkUscc(info.owner.uscc);
    if (!uscc.ok) {
      return projectRefusal('PROJECT_OWNER_USCC_INVALID', `建设单位${uscc.messageZh}`);
    }
  }
  if (info.projectCode !== undefined && info.projectCode !== null) {
    const county =
      ctx.org && info.siteUnitId !== undefined
        ? ctx.org.countyOf(info.siteUnitId)?.divisionCode
        : undefined;
    const code = checkProjectCode(info.projectCode, county);
    if (!code.ok) return projectRefusal('PROJECT_CODE_INVALID', code.messageZh);
  }
  if (info.investmentWan !== undefined) {
    if (!Number.isFinite(info.investmentWan) || info.investmentWan < 0) {
      return invalid('投资额应为不小于 0 的数（万元）');
    }
  }
  return null;
}

/**
 * Dependencies name listed matters, never the matter itself, and close no cycle. A matter
 * being added has no dependents yet, so only an edge to itself can close a cycle
 * (`isNew`): a list of hundreds of matters folds without walking the graph per matter.
 */
function checkDependencies(
  state: ProjectState,
  matterKey: string,
  dependsOn: readonly string[],
  isNew = false,
): ProjectRefusal | null {
  const keys = new Set(state.matters.map((m) => m.matterKey));
  keys.add(matterKey);
  for (const dep of dependsOn) {
    if (!keys.has(dep)) {
      return projectRefusal('PROJECT_DEPENDENCY_UNKNOWN', `前置事项 ${dep} 不在审批事项清单中`, {
        matterKey,
        dependsOn: dep,
      });
    }
  }
  if (isNew && !dependsOn.includes(matterKey)) return null;
  const edges = new Map(state.matters.map((m) => [m.matterKey, m.dependsOn]));
  edges.set(matterKey, [...dependsOn]);
  // Walk back from the matter's prerequisites: reaching the matter again is a cycle.
  const seen = new Set<string>();
  const stack = [...dependsOn];
  while (stack.length > 0) {
    const key = stack.pop()!;
    if (key === matterKey) {
      // The name, when listed, is what the user reads in the list and the flow chart.
      const name = findMatter(state, matterKey)?.name;
      return projectRefusal(
        'PROJECT_DEPENDENCY_CYCLE',
        `事项${name ? `“${name}”` : ` ${matterKey} `}的前置关系会形成循环，请检查流程图`,
        { matterKey },
      );
    }
    if (seen.has(key)) continue;
    seen.add(key);
    stack.push(...(edges.get(key) ?? []));
  }
  return null;
}

/**
 * What a `set_dependency` of `dependsOn` on a listed matter would be refused for on `state`
 * (an unlisted matter or prerequisite, a cycle), or null: the same check the fold and the hub
 * run, for a form to show before anything is written.
 */
export function dependencyRefusal(
  state: ProjectState,
  matterKey: string,
  dependsOn: readonly string[],
): ProjectRefusal | null {
  return requireMatter(state, matterKey) ?? checkDependencies(state, matterKey, dependsOn);
}

function checkDuration(days: number): ProjectRefusal | null {
  return Number.isSafeInteger(days) && days >= 0 && days <= 1000
    ? null
    : invalid('办理时限应为 0–1000 之间的整数（工作日）');
}

export function memberFits(
  member: TeamMember,
  roles: readonly Role[],
  org?: OrgDirectory,
): boolean {
  if (!roles.includes(member.role)) return false;
  if (!org) return true;
  const level = org.unit(member.orgUnitId)?.level;
  switch (member.role) {
    case 'village_helper':
      return level === 'village';
    case 'town_lead':
      return level === 'town';
    case 'dept_assistant':
      return level === 'department';
    case 'centre_agent':
    case 'supervisor':
      return level === 'county';
    default:
      return false;
  }
}

function checkTeam(team: ProjectTeam, org?: OrgDirectory): ProjectRefusal | null {
  const bad = (messageZh: string, userId: string) =>
    projectRefusal('PROJECT_TEAM_INVALID', messageZh, { userId });
  if (!memberFits(team.lead, ['centre_agent'], org)) {
    return bad('牵头代办员应为中心代办员', team.lead.userId);
  }
  if (team.leader && !memberFits(team.leader, LEADER_ROLES, org)) {
    return bad('班子成员应为县级或镇（街道）领导岗位人员', team.leader.userId);
  }
  const memberRoles = Object.keys(MEMBER_DUTY_OF_ROLE) as Role[];
  const ids = new Set<string>([team.lead.userId]);
  for (const m of team.members) {
    if (!memberFits(m, memberRoles, org)) {
      return bad(`${m.name} 的岗位或单位不能担任团队成员`, m.userId);
    }
    if (ids.has(m.userId)) return bad(`${m.name} 在团队中重复出现`, m.userId);
    ids.add(m.userId);
  }
  return null;
}

/** Judges the payload of `event` on `state`; null when it may be applied. */
export function checkProjectPayload(
  event: ProjectEvent,
  state: ProjectState,
  ctx: ProjectMachineContext,
): ProjectRefusal | null {
  switch (event.type) {
    case 'register': {
      const p = event.payload;
      return (
        checkInfo(p, ctx) ??
        checkTargets(p.targets) ??
        (ctx.org ? checkRegisterSite(event.actor, p.siteUnitId, ctx.org) : null)
      );
    }
    case 'update_info': {
      const site = event.payload.siteUnitId ?? state.info?.siteUnitId;
      // A moved site must still be a village or town of the centre's county.
      const moved =
        event.payload.siteUnitId !== undefined && ctx.org
          ? checkRegisterSite(event.actor, event.payload.siteUnitId, ctx.org)
          : null;
      return moved ?? checkInfo({ ...event.payload, ...(site ? { siteUnitId: site } : {}) }, ctx);
    }
    case 'set_team':
      return checkTeam(event.payload, ctx.org);
    case 'add_matter': {
      const p = event.payload;
      if (findMatter(state, p.matterKey)) {
        return projectRefusal('PROJECT_MATTER_DUPLICATED', `事项 ${p.name} 已在清单中`, {
          matterKey: p.matterKey,
        });
      }
      if (ctx.matterInCatalogue && !ctx.matterInCatalogue(p.matterCode)) {
        return projectRefusal(
          'PROJECT_MATTER_NOT_IN_CATALOGUE',
          `事项“${p.name}”不在本县事项目录中，请从事项目录选择`,
          { matterCode: p.matterCode },
        );
      }
      return (
        checkModes({ matterKey: p.matterKey, name: p.name, modes: [] }, p.modes) ??
        checkDuration(p.durationDays) ??
        checkDependencies(state, p.matterKey, p.dependsOn, true)
      );
    }
    case 'remove_matter': {
      const matter = findMatter(state, event.payload.matterKey);
      if (!matter) return requireMatter(state, event.payload.matterKey);
      if (matter.caseIds.length > 0) {
        return projectRefusal(
          'PROJECT_MATTER_HAS_CASE',
          `事项 ${matter.name} 已关联办件，不能移出清单`,
        );
      }
      return null;
    }
    case 'set_dependency':
      return (
        requireMatter(state, event.payload.matterKey) ??
        checkDependencies(state, event.payload.matterKey, event.payload.dependsOn)
      );
    case 'set_mode': {
      const matter = findMatter(state, event.payload.matterKey);
      if (!matter) return requireMatter(state, event.payload.matterKey);
      return checkModes(matter, event.payload.modes);
    }
    case 'set_duration':
      return (
        requireMatter(state, event.payload.matterKey) ?? checkDuration(event.payload.durationDays)
      );
    case 'set_target':
      return checkTargets(event.payload);
    case 'set_stage':
    case 'set_status':
      return null;
    case 'set_matter_progress': {
      const p = event.payload;
      const matter = findMatter(state, p.matterKey);
      if (!matter) return requireMatter(state, p.matterKey);
      if (matter.caseIds.length > 0) {
        return projectRefusal(
          'PROJECT_CASE_BACKED_DATES',
          `事项 ${matter.name} 已关联办件，其办理日期以办件为准，不能手工填写`,
          { matterKey: p.matterKey },
        );
      }
      const dates = checkDate(p.startedOn, '开始日期') ?? checkDate(p.finishedOn, '完成日期');
      if (dates) return dates;
      if (p.startedOn && p.finishedOn && p.finishedOn < p.startedOn) {
        return invalid('完成日期不能早于开始日期');
      }
      return null;
    }
    case 'link_case': {
      const p = event.payload;
      const matter = findMatter(state, p.matterKey);
      if (!matter) return requireMatter(state, p.matterKey);
      if (state.matters.some((m) => m.caseIds.includes(p.caseId))) {
        return projectRefusal('PROJECT_CASE_ALREADY_LINKED', '该办件已关联到本项目的事项', {
          caseId: p.caseId,
        });
      }
      if (ctx.caseMatterCode) {
        const code = ctx.caseMatterCode(p.caseId);
        if (code === undefined) {
          return projectRefusal('PROJECT_CASE_UNKNOWN', '要关联的办件在中心不存在，请先同步办件', {
            caseId: p.caseId,
          });
        }
        if (code !== matter.matterCode) {
          return projectRefusal(
            'PROJECT_CASE_MATTER_MISMATCH',
            `办件所办事项与清单中的“${matter.name}”不一致`,
            { caseId: p.caseId, matterKey: p.matterKey },
          );
        }
      }
      return null;
    }
    case 'log_entry': {
      const p = event.payload;
      if (p.done.trim() === '') return invalid('日志须写明当天办理的工作');
      return (
        checkDate(p.date, '日志日期') ?? (p.matterKey ? requireMatter(state, p.matterKey) : null)
      );
    }
    case 'plan_item': {
      const p = event.payload;
      if (state.plan.some((i) => i.itemId === p.itemId)) {
        return projectRefusal('PROJECT_PLAN_ITEM_DUPLICATED', '计划条目编号重复', {
          itemId: p.itemId,
        });
      }
      return (
        checkDate(p.weekOf, '计划周') ??
        checkDate(p.dueDate, '完成期限') ??
        (p.matterKey ? requireMatter(state, p.matterKey) : null)
      );
    }
    case 'plan_review':
      return state.plan.some((i) => i.itemId === event.payload.itemId)
        ? null
        : projectRefusal('PROJECT_PLAN_ITEM_UNKNOWN', '要评议的计划条目不存在', {
            itemId: event.payload.itemId,
          });
  }
}
