/** The state of a project as derived from its events (never stored as truth). */
import type { Actor } from '../org/orgTypes.js';
import type {
  MatterMode,
  ProjectInfo,
  ProjectStage,
  ProjectStatus,
  ProjectTargets,
  ProjectTeam,
} from './projectTypes.js';

/** A matter on the project's tailored approval list. */
export interface ProjectMatter {
  matterKey: string;
  matterCode: string;
  name: string;
  stage: ProjectStage;
  durationDays: number;
  dependsOn: string[];
  modes: MatterMode[];
  warningZh: string;
  /** Cases opened for the matter, in link order (a refused case may be followed by a new one). */
  caseIds: string[];
  /** Actual dates typed for a matter handled outside a case; ignored once a case is linked. */
  manualProgress: { startedOn: string | null; finishedOn: string | null } | null;
}

export interface ProjectLogEntry {
  eventId: string;
  date: string;
  matterKey: string | null;
  done: string;
  problem: string | null;
  nextStep: string | null;
  by: Actor;
  deviceTime: string;
}

export interface ProjectPlanItem {
  itemId: string;
  weekOf: string;
  text: string;
  matterKey: string | null;
  responsibleUserId: string;
  responsibleName: string;
  dueDate: string;
  by: Actor;
  review: { outcome: 'done' | 'not_done' | 'dropped'; note: string | null; by: Actor } | null;
}

export interface VoidProjectEvent {
  eventId: string;
  code: string;
  messageZh: string;
}

export interface ProjectState {
  projectId: string | null;
  info: ProjectInfo | null;
  targets: ProjectTargets;
  stage: ProjectStage;
  status: ProjectStatus;
  registeredBy: Actor | null;
  team: ProjectTeam | null;
  /** Everyone ever named in the team, sorted. */
  formerMemberIds: string[];
  /** Listed matters, in the order they were added. */
  matters: ProjectMatter[];
  log: ProjectLogEntry[];
  plan: ProjectPlanItem[];
  appliedEventIds: string[];
  voidEvents: VoidProjectEvent[];
  maxLamport: number;
}

export function initialProjectState(): ProjectState {
  return {
    projectId: null,
    info: null,
    targets: { startDate: null, completionDate: null },
    stage: 'land_planning',
    status: 'active',
    registeredBy: null,
    team: null,
    formerMemberIds: [],
    matters: [],
    log: [],
    plan: [],
    appliedEventIds: [],
    voidEvents: [],
    maxLamport: 0,
  };
}

/** User ids of the team as it stands (leader, lead, members). */
export function teamUserIds(team: ProjectTeam | null): string[] {
  if (!team) return [];
  const ids = [team.lead.userId, ...team.members.map((m) => m.userId)];
  if (team.leader) ids.push(team.leader.userId);
  return [...new Set(ids)].sort();
}
