/**
 * Who sees a project and who may act on it. Membership of the 1+1+N team drives both; the
 * hub decides pulls and judges pushes with these functions and the client hides what they
 * refuse, so there is one rule.
 *
 * - The centre (中心代办, the project's county) sees and works every project: it registers,
 *   sets the team, builds the list and the timetable.
 * - Team members (lead agent, 镇街领办员, 村居帮办员, 部门协办员) see the project and write the
 *   log, the weekly plan, progress of matters handled outside a case, and link cases.
 * - The leadership member (班子成员) and the supervisor (督办) read.
 * - The site's town lead and village helper read the projects in their area (area view),
 *   and whoever registered a project keeps reading it.
 */
import type { OrgDirectory } from '../org/orgDirectory.js';
import type { Actor } from '../org/orgTypes.js';
import { projectRefusal, type ProjectRefusal } from './projectErrors.js';
import type { ProjectState } from './projectState.js';
import type { ProjectEventType, ProjectTeam } from './projectTypes.js';

export type ProjectAccess = 'act' | 'read' | 'none';

/** The fields of a project the scope rule reads (a ProjectState satisfies it). */
export interface ScopedProject {
  info: { siteUnitId: string } | null;
  team: ProjectTeam | null;
  registeredBy: Pick<Actor, 'userId'> | null;
}

/** Event types only the centre may record: the record, team, list, timetable, stage. */
export const CENTRE_EVENT_TYPES: readonly ProjectEventType[] = [
  'update_info',
  'add_matter',
  'remove_matter',
  'set_dependency',
  'set_mode',
  'set_duration',
  'set_target',
  'set_stage',
  'set_status',
];

/** Event types every acting team member may record. */
export const MEMBER_EVENT_TYPES: readonly ProjectEventType[] = [
  'log_entry',
  'plan_item',
  'plan_review',
  'link_case',
  'set_matter_progress',
];

/** Roles that may register a project (a village helper takes a firm's request in, too). */
const REGISTER_ROLES = new Set(['village_helper', 'town_lead', 'centre_agent']);

function sameCounty(a: string, b: string, org: OrgDirectory): boolean {
  const county = org.countyOf(a)?.id;
  return county !== undefined && county === org.countyOf(b)?.id;
}

/** A centre agent, and (when the tree is known) one at the county of the project's site. */
export function isCentreFor(actor: Actor, siteUnitId: string | null, org?: OrgDirectory): boolean {
  if (actor.role !== 'centre_agent') return false;
  if (!org) return true;
  if (!org.isLevel(actor.orgUnitId, 'county')) return false;
  return siteUnitId !== null && sameCounty(actor.orgUnitId, siteUnitId, org);
}

/** The lead agent or one of the N members (not the leadership member: it reads only). */
export function isActingMember(actor: Pick<Actor, 'userId'>, team: ProjectTeam | null): boolean {
  if (!team) return false;
  return team.lead.userId === actor.userId || team.members.some((m) => m.userId === actor.userId);
}

/** What the actor may do with the project: act on it, read it, or nothing (not even see it). */
export function projectAccess(
  actor: Actor,
  project: ScopedProject,
  org: OrgDirectory,
): ProjectAccess {
  if (actor.role === 'it_admin') return 'none';
  const site = project.info?.siteUnitId ?? null;
  if (isCentreFor(actor, site, org)) return 'act';
  if (isActingMember(actor, project.team)) return 'act';
  if (project.team?.leader?.userId === actor.userId) return 'read';
  if (project.registeredBy?.userId === actor.userId) return 'read';
  if (site === null) return 'none';
  switch (actor.role) {
    case 'supervisor':
      return org.isLevel(actor.orgUnitId, 'county') && sameCounty(actor.orgUnitId, site, org)
        ? 'read'
        : 'none';
    case 'town_lead':
      return org.townOf(site)?.id === actor.orgUnitId ? 'read' : 'none';
    case 'village_helper':
      return site === actor.orgUnitId ? 'read' : 'none';
    default:
      return 'none';
  }
}

export function canSeeProject(actor: Actor, project: ScopedProject, org: OrgDirectory): boolean {
  return projectAccess(actor, project, org) !== 'none';
}

/** May the actor register a project sited at `siteUnitId`? Null when yes. */
export function checkRegisterSite(
  actor: Actor,
  siteUnitId: string,
  org: OrgDirectory,
): ProjectRefusal | null {
  const site = org.unit(siteUnitId);
  if (!site || (site.level !== 'village' && site.level !== 'town')) {
    return projectRefusal('PROJECT_SITE_INVALID', '项目所在地应为本县的镇（街道）或村（社区）', {
      siteUnitId,
    });
  }
  const mine =
    actor.role === 'village_helper'
      ? siteUnitId === actor.orgUnitId
      : actor.role === 'town_lead'
        ? org.townOf(siteUnitId)?.id === actor.orgUnitId
        : isCentreFor(actor, siteUnitId, org);
  return mine
    ? null
    : projectRefusal('PROJECT_REGISTER_FORBIDDEN', '只能登记本辖区内的项目', { siteUnitId });
}

/**
 * The authority rule of one event type, judged on the state before the event. Without the
 * org tree (a client folding offline) units are not checked; the hub always passes it.
 */
export function checkProjectAuthority(
  state: Pick<ProjectState, 'info' | 'team' | 'registeredBy'>,
  type: ProjectEventType,
  actor: Actor,
  org?: OrgDirectory,
): ProjectRefusal | null {
  if (type === 'register') {
    if (state.info !== null) {
      return projectRefusal('PROJECT_REGISTER_DUPLICATED', '该项目已登记，不能重复登记');
    }
    if (!REGISTER_ROLES.has(actor.role)) {
      return projectRefusal(
        'PROJECT_REGISTER_FORBIDDEN',
        '只有村（社区）、镇（街道）和中心人员可以登记项目',
      );
    }
    return null;
  }
  if (state.info === null) {
    return projectRefusal('PROJECT_NOT_REGISTERED', '项目尚未登记，请先登记项目');
  }
  const site = state.info.siteUnitId;
  const centre = isCentreFor(actor, site, org);
  if (type === 'set_team') {
    return centre
      ? null
      : projectRefusal('PROJECT_TEAM_FORBIDDEN', '只有中心代办员可以组建或调整项目服务团队');
  }
  if (CENTRE_EVENT_TYPES.includes(type)) {
    return centre
      ? null
      : projectRefusal(
          'PROJECT_ROLE_FORBIDDEN',
          '项目信息、审批事项清单和时间表只能由中心代办员调整',
          { type },
        );
  }
  // Member events: the centre, the team, and before any team exists the person who registered.
  if (centre || isActingMember(actor, state.team)) return null;
  if (state.team === null && state.registeredBy?.userId === actor.userId) return null;
  const leader = state.team?.leader?.userId === actor.userId;
  return projectRefusal(
    'PROJECT_NOT_MEMBER',
    leader ? '班子成员对项目只读，不能记录日志或计划' : '您不是本项目服务团队成员，不能记录',
    { type },
  );
}

/** Convenience for a button: may the actor record an event of this type now? */
export function mayActOnProject(
  actor: Actor,
  state: Pick<ProjectState, 'info' | 'team' | 'registeredBy'>,
  type: ProjectEventType,
  org?: OrgDirectory,
): boolean {
  return checkProjectAuthority(state, type, actor, org) === null;
}
