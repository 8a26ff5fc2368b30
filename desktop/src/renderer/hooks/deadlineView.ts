import {
  computeCaseDeadlines,
  daysLeft,
  deadlineClockRunning,
  type CaseDoc,
  type MatterLimits,
  type WorkingCalendar,
} from '@sibantong/shared';

/** What a screen shows of a case's deadlines. */
export interface DeadlineView {
  legalDue: string | null;
  promisedDue: string | null;
  /** Working days from today (China date) to the promised date; negative when overdue. */
  daysLeft: number | null;
  /** 暂估: the count reaches a year whose holiday table has not been imported yet. */
  provisional: boolean;
  /** False once concluded or while suspended: the countdown then means nothing. */
  clockRunning: boolean;
  /** 'hub' when the hub dated the case; 'local' is this PC's estimate before the first sync. */
  source: 'hub' | 'local' | 'none';
}

const NONE: Omit<DeadlineView, 'clockRunning'> = {
  legalDue: null,
  promisedDue: null,
  daysLeft: null,
  provisional: false,
  source: 'none',
};

/**
 * The hub's deadlines when it has dated the case; before that, the same shared computation the
 * hub runs (acceptance date in China time, suspensions, extensions) on this PC's synced
 * calendar, marked as an estimate. Days left always count from today's China date.
 */
export function deadlineViewOf(
  doc: CaseDoc,
  limits: MatterLimits | undefined,
  calendar: WorkingCalendar,
  now: Date = new Date(),
): DeadlineView {
  const clockRunning = deadlineClockRunning(doc.status);
  try {
    if (doc.deadlines) {
      const left = daysLeft(doc.deadlines.promisedDue, calendar, now);
      return {
        legalDue: doc.deadlines.legalDue,
        promisedDue: doc.deadlines.promisedDue,
        daysLeft: left.days,
        provisional: doc.deadlines.provisional === true || left.provisional,
        clockRunning,
        source: 'hub',
      };
    }
    const est = computeCaseDeadlines({ events: doc.events, limits, calendar, now });
    if (!est) return { ...NONE, clockRunning };
    return {
      legalDue: est.legalDue,
      promisedDue: est.promisedDue,
      daysLeft: est.promisedDaysLeft ?? null,
      provisional: est.provisional === true,
      clockRunning,
      source: 'local',
    };
  } catch {
    // A malformed stored date: show no deadline rather than break the list.
    return { ...NONE, clockRunning };
  }
}
