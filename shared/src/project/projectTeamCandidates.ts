/**
 * Who a centre agent may pick for a project's 1+1+N team (the team picker, `set_team`): the
 * active users of the agent's county whose role and unit fit a slot, by the same rule the
 * team check applies (`memberFits`). The hub answers the list (it holds the users); the
 * client only shows it, and the hub judges the `set_team` again on push.
 */
import type { OrgDirectory } from '../org/orgDirectory.js';
import type { Actor, Role } from '../org/orgTypes.js';
import { memberFits } from './projectPayloadChecks.js';
import { LEADER_ROLES, MEMBER_DUTY_OF_ROLE, type TeamMember } from './projectTypes.js';

export type TeamSlot = 'leader' | 'lead' | 'member';

export interface TeamCandidate extends TeamMember {
  /** The slots this person may hold. */
  slots: TeamSlot[];
  /** Name of the person's unit (village, town, department, centre). */
  unitName: string;
}

export interface TeamCandidatesResponse {
  candidates: TeamCandidate[];
}

const MEMBER_ROLES = Object.keys(MEMBER_DUTY_OF_ROLE) as Role[];

/** The slots a user may hold, empty when none (pure; `org` is the hub's tree). */
export function teamSlotsOf(person: TeamMember, org: OrgDirectory): TeamSlot[] {
  const slots: TeamSlot[] = [];
  if (memberFits(person, LEADER_ROLES, org)) slots.push('leader');
  if (memberFits(person, ['centre_agent'], org)) slots.push('lead');
  if (memberFits(person, MEMBER_ROLES, org)) slots.push('member');
  return slots;
}

/**
 * The candidates for `actor` (a centre agent at a county; anyone else gets none): users of the
 * same county holding at least one slot, ordered by unit then name.
 */
export function teamCandidatesFor(
  actor: Pick<Actor, 'role' | 'orgUnitId'>,
  users: readonly TeamMember[],
  org: OrgDirectory,
): TeamCandidate[] {
  if (actor.role !== 'centre_agent' || !org.isLevel(actor.orgUnitId, 'county')) return [];
  const county = org.countyOf(actor.orgUnitId)?.id;
  if (county === undefined) return [];
  return users
    .filter((u) => org.countyOf(u.orgUnitId)?.id === county)
    .map((u) => ({
      userId: u.userId,
      name: u.name,
      role: u.role,
      orgUnitId: u.orgUnitId,
      slots: teamSlotsOf(u, org),
      unitName: org.unit(u.orgUnitId)?.name ?? u.orgUnitId,
    }))
    .filter((c) => c.slots.length > 0)
    .sort((a, b) =>
      a.orgUnitId === b.orgUnitId
        ? a.name.localeCompare(b.name, 'zh-CN')
        : a.orgUnitId < b.orgUnitId
          ? -1
          : 1,
    );
}
