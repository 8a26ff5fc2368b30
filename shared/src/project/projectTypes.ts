/**
 * The major project (重点项目, 工程建设项目) as an append-only event history, like a case:
 * the record, its 1+1+N team, its tailored approval list, its work log and weekly plan are
 * all derived from events, so offline edits by several team members merge without loss.
 */
import type { EventEnvelope } from '../events/eventEnvelope.js';
import type { Role } from '../org/orgTypes.js';

/** The four stages of 工程建设项目审批 (national reform), in order. */
export const PROJECT_STAGES = [
  'land_planning', // 立项用地规划许可
  'building_planning', // 工程建设许可
  'construction_permit', // 施工许可
  'completion_acceptance', // 竣工验收
] as const;
export type ProjectStage = (typeof PROJECT_STAGES)[number];

export const PROJECT_STAGE_LABELS_ZH: Readonly<Record<ProjectStage, string>> = {
  land_planning: '立项用地规划许可',
  building_planning: '工程建设许可',
  construction_permit: '施工许可',
  completion_acceptance: '竣工验收',
};

export const PROJECT_CATEGORIES = ['city_key', 'province_key', 'industrial', 'other'] as const;
export type ProjectCategory = (typeof PROJECT_CATEGORIES)[number];

export const PROJECT_CATEGORY_LABELS_ZH: Readonly<Record<ProjectCategory, string>> = {
  city_key: '市级重点',
  province_key: '省重点',
  industrial: '工业项目',
  other: '其他',
};

export const PROJECT_STATUSES = ['active', 'paused', 'completed', 'cancelled'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const PROJECT_STATUS_LABELS_ZH: Readonly<Record<ProjectStatus, string>> = {
  active: '推进中',
  paused: '暂缓',
  completed: '已完成',
  cancelled: '已终止',
};

/** Ways of working a listed matter may be marked with. */
export const MATTER_MODES = ['simulated', 'deferred', 'joint'] as const;
export type MatterMode = (typeof MATTER_MODES)[number];

export const MATTER_MODE_LABELS_ZH: Readonly<Record<MatterMode, string>> = {
  simulated: '模拟审批',
  deferred: '容缺受理',
  joint: '联合审批',
};

export const PROJECT_EVENT_TYPES = [
  'register', // 项目登记 (first event): the record as the firm states it
  'update_info', // corrections: code issued after 备案, contact changed, …
  'set_team', // 1+1+N: leadership member, lead agent, members (centre only)
  'add_matter', // tailored approval list: one matter from the catalogue
  'remove_matter',
  'set_dependency', // prerequisites of a listed matter (flow chart edges)
  'set_mode', // 模拟审批 / 容缺 / 联合审批 marks
  'set_duration', // planned working days of a listed matter
  'set_target', // target 开工 / 竣工 dates (倒排时间表 anchors)
  'set_stage',
  'set_status',
  'set_matter_progress', // actual dates of a matter handled outside a case (e.g. at the province)
  'link_case', // a case opened for a listed matter
  'log_entry', // 审批工作日志
  'plan_item', // 周工作计划 item
  'plan_review', // review of a plan item (done / not done / dropped)
] as const;
export type ProjectEventType = (typeof PROJECT_EVENT_TYPES)[number];

/** Roles that may sit in the team outside the leadership slot, and the duty they hold. */
export const MEMBER_DUTY_OF_ROLE: Readonly<Partial<Record<Role, string>>> = {
  centre_agent: '中心代办员',
  town_lead: '镇街领办员',
  village_helper: '村居帮办员',
  dept_assistant: '部门协办员',
};

/** Roles that may be the leadership member (班子成员): an attribute, not a role of its own. */
export const LEADER_ROLES: readonly Role[] = ['supervisor', 'centre_agent', 'town_lead'];

/** A person in the team, as the centre agent picked them (copied from the user list). */
export interface TeamMember {
  userId: string;
  name: string;
  role: Role;
  orgUnitId: string;
}

export interface ProjectTeam {
  /** 班子成员: reads the project, is told of risks; writes nothing. */
  leader: TeamMember | null;
  /** The lead 代办员 at the centre. */
  lead: TeamMember;
  /** N: 镇街领办员, 村居帮办员, 部门协办员 (one or more per department), other centre agents. */
  members: TeamMember[];
}

export interface ProjectOwner {
  /** Enterprise name (建设单位). */
  name: string;
  /** 统一社会信用代码, checked with shared/src/identity/uscc.ts. */
  uscc: string;
  contactName: string;
  contactPhone: string;
}

export interface ProjectInfo {
  name: string;
  /** 投资项目统一代码; null until the platform issues one (备案/核准 is among the first matters). */
  projectCode: string | null;
  owner: ProjectOwner;
  /** Village (or town) of the site: decides which town and village see the project. */
  siteUnitId: string;
  /** Free text: address within the village. */
  siteAddress: string;
  category: ProjectCategory;
  /** Total investment in 万元. */
  investmentWan: number;
}

export interface ProjectTargets {
  /** Target 开工 date: matters of stages 1–3 finish by it. */
  startDate: string | null;
  /** Target 竣工 date: 竣工验收 matters finish by it. */
  completionDate: string | null;
}

export interface ProjectEventPayloads {
  register: ProjectInfo & { targets: ProjectTargets; stage: ProjectStage };
  update_info: Partial<ProjectInfo>;
  set_team: ProjectTeam;
  add_matter: {
    /** Unique within the project; usually the matter's basic code. */
    matterKey: string;
    /** 实施编码 of the catalogue matter: a case for it carries the same code. */
    matterCode: string;
    name: string;
    stage: ProjectStage;
    durationDays: number;
    dependsOn: string[];
    modes: MatterMode[];
    warningZh: string;
  };
  remove_matter: { matterKey: string; reason: string };
  set_dependency: { matterKey: string; dependsOn: string[] };
  set_mode: { matterKey: string; modes: MatterMode[] };
  set_duration: { matterKey: string; durationDays: number };
  set_target: ProjectTargets;
  set_stage: { stage: ProjectStage };
  set_status: { status: ProjectStatus; reason?: string };
  set_matter_progress: {
    matterKey: string;
    startedOn: string | null;
    finishedOn: string | null;
    note?: string;
  };
  link_case: { matterKey: string; caseId: string };
  log_entry: {
    /** The day the work was done (ISO date). */
    date: string;
    matterKey: string | null;
    done: string;
    problem?: string;
    nextStep?: string;
  };
  plan_item: {
    itemId: string;
    /** Monday of the planned week (ISO date). */
    weekOf: string;
    text: string;
    matterKey: string | null;
    responsibleUserId: string;
    responsibleName: string;
    dueDate: string;
  };
  plan_review: { itemId: string; outcome: 'done' | 'not_done' | 'dropped'; note?: string };
}

/** The shared event envelope (events/eventEnvelope.ts) of a project: its subject is `projectId`. */
interface ProjectEventBase<T extends ProjectEventType> extends EventEnvelope<
  T,
  ProjectEventPayloads[T]
> {
  projectId: string;
}

export type ProjectEvent = { [T in ProjectEventType]: ProjectEventBase<T> }[ProjectEventType];
export type ProjectEventOf<T extends ProjectEventType> = ProjectEventBase<T>;

/**
 * The replicated project document. `events` is the truth; every other field is derived from
 * them by whoever writes the document (the hub authoritatively) and is there for lists and
 * indexes only.
 */
export interface ProjectDoc {
  id: string;
  /** derived */
  name: string;
  /** derived */
  projectCode: string | null;
  /** derived */
  category: ProjectCategory;
  /** derived */
  stage: ProjectStage;
  /** derived */
  status: ProjectStatus;
  /** derived: site village or town. */
  siteUnitId: string;
  /** derived: user ids of the leader, lead and members now. */
  teamUserIds: string[];
  /** derived: everyone who was ever in the team (their devices may need a removal). */
  formerMemberIds: string[];
  events: ProjectEvent[];
  /** Hub time on the hub, device time on a client's local edit. */
  updatedAt: string;
  _deleted?: boolean;
}
