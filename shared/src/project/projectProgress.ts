/**
 * Project progress is read from the linked cases, never typed twice: a listed matter is
 * started when its case was taken in and done when the case was concluded with approval.
 * Only a matter handled outside the county's cases (e.g. at the province) takes typed dates.
 */
import type { CaseDoc, CaseStatus } from '../case/caseTypes.js';
import { chinaDate } from '../calendar/chinaDate.js';
import { countWorkingDays } from '../calendar/workingDays.js';
import type { WorkingCalendar } from '../calendar/calendarTypes.js';
import type { ProjectMatter, ProjectState } from './projectState.js';
import { PROJECT_STAGES, type ProjectStage } from './projectTypes.js';
import {
  reverseSchedule,
  type ScheduleMatter,
  type ScheduleResult,
  type ScheduleWarning,
} from './reverseSchedule.js';

/** What a project needs of one case: a CaseDoc satisfies it. */
export type LinkedCase = Pick<CaseDoc, 'id' | 'status' | 'events' | 'deadlines'>;

export type MatterProgressStatus = 'not_started' | 'in_progress' | 'done' | 'failed';

export interface MatterProgress {
  matterKey: string;
  status: MatterProgressStatus;
  startedOn: string | null;
  finishedOn: string | null;
  /** The case the progress comes from (the latest linked one), if any. */
  caseId: string | null;
  caseStatus: CaseStatus | null;
  /** The case's promised date, as the hub computed it. */
  promisedDue: string | null;
  source: 'case' | 'manual' | 'none';
}

const APPROVED: ReadonlySet<CaseStatus> = new Set([
  'concluded_approved',
  'result_delivered',
  'evaluated',
]);
const FAILED: ReadonlySet<CaseStatus> = new Set([
  'concluded_denied',
  'not_accepted',
  'withdrawn',
  'terminated',
]);

const dayOf = (event: { hubTime?: string; deviceTime: string }) =>
  chinaDate(event.hubTime ?? event.deviceTime);

export function matterProgress(
  matter: ProjectMatter,
  cases: ReadonlyMap<string, LinkedCase>,
): MatterProgress {
  const base = { matterKey: matter.matterKey, caseId: null, caseStatus: null, promisedDue: null };
  const caseId = matter.caseIds[matter.caseIds.length - 1];
  if (caseId !== undefined) {
    const linked = cases.get(caseId);
    if (!linked) {
      // Linked but not on this device (yet): started, dates unknown.
      return {
        ...base,
        caseId,
        status: 'in_progress',
        startedOn: null,
        finishedOn: null,
        source: 'case',
      };
    }
    const first = linked.events[0];
    const conclusion = [...linked.events].reverse().find((e) => e.type === 'conclude');
    const status: MatterProgressStatus = APPROVED.has(linked.status)
      ? 'done'
      : FAILED.has(linked.status)
        ? 'failed'
        : 'in_progress';
    return {
      matterKey: matter.matterKey,
      caseId,
      caseStatus: linked.status,
      promisedDue: linked.deadlines?.promisedDue ?? null,
      status,
      startedOn: first ? dayOf(first) : null,
      finishedOn: status === 'done' && conclusion ? dayOf(conclusion) : null,
      source: 'case',
    };
  }
  const manual = matter.manualProgress;
  if (manual && (manual.startedOn || manual.finishedOn)) {
    return {
      ...base,
      status: manual.finishedOn ? 'done' : 'in_progress',
      startedOn: manual.startedOn,
      finishedOn: manual.finishedOn,
      source: 'manual',
    };
  }
  return { ...base, status: 'not_started', startedOn: null, finishedOn: null, source: 'none' };
}

export function projectProgress(
  state: ProjectState,
  cases: ReadonlyMap<string, LinkedCase>,
): MatterProgress[] {
  return state.matters.map((m) => matterProgress(m, cases));
}

/** The first stage with a listed matter not yet done; the declared stage when nothing is listed. */
export function progressStage(
  state: ProjectState,
  progress: readonly MatterProgress[],
): ProjectStage {
  if (state.matters.length === 0) return state.stage;
  const done = new Set(progress.filter((p) => p.status === 'done').map((p) => p.matterKey));
  for (const stage of PROJECT_STAGES) {
    if (state.matters.some((m) => m.stage === stage && !done.has(m.matterKey))) return stage;
  }
  return 'completion_acceptance';
}

export interface ProjectScheduleResult extends ScheduleResult {
  progress: MatterProgress[];
}

/**
 * The 倒排时间表 of a project: the list against its targets (stages 1–3 by 开工, 竣工验收 by
 * 竣工), progress from the cases, plus a warning for every case whose promised date lies past
 * its matter's slot. Null when the project has no target date yet.
 */
export function projectSchedule(
  state: ProjectState,
  cases: ReadonlyMap<string, LinkedCase>,
  today: string,
  calendar?: WorkingCalendar,
): ProjectScheduleResult | null {
  const { startDate, completionDate } = state.targets;
  const target = completionDate ?? startDate;
  if (target === null) return null;
  const progress = projectProgress(state, cases);
  const byKey = new Map(progress.map((p) => [p.matterKey, p]));
  const matters: ScheduleMatter[] = state.matters.map((m) => {
    const p = byKey.get(m.matterKey)!;
    const running = p.status === 'in_progress' || p.status === 'done';
    return {
      key: m.matterKey,
      durationDays: m.durationDays,
      dependsOn: m.dependsOn,
      deadline: m.stage === 'completion_acceptance' ? null : startDate,
      // A failed case starts over: the matter is scheduled as not started.
      startedOn: running ? (p.startedOn ?? today) : null,
      finishedOn: p.status === 'done' ? p.finishedOn : null,
    };
  });
  const result = reverseSchedule({
    matters,
    targetDate: target,
    today,
    ...(calendar ? { calendar } : {}),
  });
  const slots = new Map(result.matters.map((m) => [m.key, m]));
  const extra: ScheduleWarning[] = [];
  for (const p of progress) {
    const slot = slots.get(p.matterKey);
    if (!slot || p.status !== 'in_progress' || p.promisedDue === null) continue;
    if (p.promisedDue > slot.latestFinish) {
      extra.push({
        kind: 'case_beyond_slot',
        matterKey: p.matterKey,
        due: slot.latestFinish,
        daysLate: countWorkingDays(slot.latestFinish, p.promisedDue, calendar),
        messageZh: `办件承诺办结日 ${p.promisedDue} 晚于该事项最迟完成日 ${slot.latestFinish}，请协调提速`,
      });
    }
  }
  return { ...result, warnings: [...result.warnings, ...extra], progress };
}
