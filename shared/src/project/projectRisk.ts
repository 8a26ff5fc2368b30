/**
 * Risk of a project for the lists of the centre, the leadership member and the supervisor:
 * one level and a sort order computed from the 倒排时间表, so every screen and the hub rank
 * projects alike.
 */
import type { WorkingCalendar } from '../calendar/calendarTypes.js';
import { DomainError } from '../errors/domainError.js';
import { projectSchedule, type LinkedCase } from './projectProgress.js';
import type { ProjectState } from './projectState.js';
import type { ScheduleWarning } from './reverseSchedule.js';

/** overdue: a 督办 warning is raised; at_risk: slack of 5 working days or less; on_track; … */
export type ProjectRiskLevel = 'overdue' | 'at_risk' | 'on_track' | 'no_target' | 'invalid';

export const PROJECT_RISK_LABELS_ZH: Readonly<Record<ProjectRiskLevel, string>> = {
  overdue: '已超期（督办）',
  at_risk: '临近最迟时间',
  on_track: '正常推进',
  no_target: '未设目标日期',
  invalid: '时间表有误',
};

/** Slack at or below which a project shows as at risk (one working week). */
export const AT_RISK_SLACK_DAYS = 5;

export interface ProjectRisk {
  level: ProjectRiskLevel;
  /** Least slack of any undone matter; null without a timetable. */
  slackDays: number | null;
  warnings: ScheduleWarning[];
  /** The timetable reaches a year without a holiday table. */
  provisional: boolean;
  messageZh: string | null;
}

const RANK: Readonly<Record<ProjectRiskLevel, number>> = {
  overdue: 0,
  invalid: 1,
  at_risk: 2,
  on_track: 3,
  no_target: 4,
};

export function projectRisk(
  state: ProjectState,
  cases: ReadonlyMap<string, LinkedCase>,
  today: string,
  calendar?: WorkingCalendar,
): ProjectRisk {
  const none = { slackDays: null, warnings: [], provisional: false };
  if (state.status === 'completed' || state.status === 'cancelled') {
    return { level: 'on_track', ...none, messageZh: null };
  }
  let schedule;
  try {
    schedule = projectSchedule(state, cases, today, calendar);
  } catch (err) {
    if (err instanceof DomainError) return { level: 'invalid', ...none, messageZh: err.messageZh };
    throw err;
  }
  if (schedule === null) return { level: 'no_target', ...none, messageZh: null };
  const slackDays = schedule.projectSlackDays;
  const level: ProjectRiskLevel =
    schedule.warnings.length > 0
      ? 'overdue'
      : slackDays <= AT_RISK_SLACK_DAYS
        ? 'at_risk'
        : 'on_track';
  return {
    level,
    slackDays,
    warnings: schedule.warnings,
    provisional: schedule.provisional,
    messageZh: schedule.warnings[0]?.messageZh ?? null,
  };
}

/** Riskiest first: level, then least slack, then most warnings. */
export function compareProjectRisk(a: ProjectRisk, b: ProjectRisk): number {
  if (RANK[a.level] !== RANK[b.level]) return RANK[a.level] - RANK[b.level];
  const slackA = a.slackDays ?? Number.POSITIVE_INFINITY;
  const slackB = b.slackDays ?? Number.POSITIVE_INFINITY;
  if (slackA !== slackB) return slackA < slackB ? -1 : 1;
  return b.warnings.length - a.warnings.length;
}
