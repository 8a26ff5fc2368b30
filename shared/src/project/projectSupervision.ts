/**
 * 督办 records for a project's timetable (issue 11, item 4): a listed matter whose latest start
 * has passed without a start (`start_overdue`), that runs past its latest finish
 * (`finish_overdue`), or whose linked case is promised after the matter's slot ends
 * (`case_beyond_slot`) gets a supervision record of kind `overdue` in the hub's `supervision`
 * database, next to the cases' 督办 records. Pure: the hub computes the schedule on its
 * calendar and date and writes what this returns.
 *
 * One record per project, matter, warning kind and date passed (deterministic id), so running
 * the scan again never duplicates one; a record whose warning is gone is resolved.
 */
import type { OrgDirectory } from '../org/orgDirectory.js';
import type { ProjectScheduleResult } from './projectProgress.js';
import type { ProjectState } from './projectState.js';

/** Warnings that are a 督办 of a matter (the project-wide `target_at_risk` is the risk tag). */
export const SUPERVISED_WARNING_KINDS = [
  'start_overdue',
  'finish_overdue',
  'case_beyond_slot',
] as const;
export type SupervisedWarningKind = (typeof SUPERVISED_WARNING_KINDS)[number];

export interface ProjectSupervisionRecord {
  id: string;
  /** The matter's latest linked case, or the project's id when no case runs it. */
  caseId: string;
  kind: 'overdue';
  /** The date that passed (latest start or finish). */
  dueDate: string;
  issuedAt: string;
  /** Unit supervised: the lead agent's (the centre). */
  unitId: string;
  resolved: boolean;
  note: string;
  projectId: string;
  matterKey: string;
  warning: SupervisedWarningKind;
  /**
   * hub-only: units whose users see the record — the site's village and town, the leadership
   * member's and the lead's units (county roles see every record of the county anyway).
   */
  hubScope: string[];
}

export function projectSupervisionId(
  projectId: string,
  warning: SupervisedWarningKind,
  matterKey: string,
  due: string,
): string {
  return `sv:project:${warning}:${due}:${matterKey}:${projectId}`;
}

const isSupervised = (k: string): k is SupervisedWarningKind =>
  (SUPERVISED_WARNING_KINDS as readonly string[]).includes(k);

/** The records the schedule's warnings call for (unresolved, `issuedAt` = now). */
export function projectSupervisionRecords(
  state: ProjectState,
  schedule: ProjectScheduleResult | null,
  org: OrgDirectory,
  now: string,
): ProjectSupervisionRecord[] {
  if (!schedule || !state.projectId || !state.info || state.status !== 'active') return [];
  const projectId = state.projectId;
  const site = state.info.siteUnitId;
  const scope = new Set<string>([site]);
  const town = org.townOf(site)?.id;
  if (town) scope.add(town);
  if (state.team?.leader) scope.add(state.team.leader.orgUnitId);
  if (state.team) scope.add(state.team.lead.orgUnitId);
  const unitId = state.team?.lead.orgUnitId ?? org.countyOf(site)?.id ?? site;
  const records: ProjectSupervisionRecord[] = [];
  for (const w of schedule.warnings) {
    if (!isSupervised(w.kind) || w.matterKey === null) continue;
    const matter = state.matters.find((m) => m.matterKey === w.matterKey);
    if (!matter) continue;
    const id = projectSupervisionId(projectId, w.kind, w.matterKey, w.due);
    records.push({
      id,
      caseId: matter.caseIds.at(-1) ?? projectId,
      kind: 'overdue',
      dueDate: w.due,
      issuedAt: now,
      unitId,
      resolved: false,
      note: `重点项目“${state.info.name}”·${matter.name}：${w.messageZh}`,
      projectId,
      matterKey: w.matterKey,
      warning: w.kind,
      hubScope: [...scope],
    });
  }
  return records;
}
