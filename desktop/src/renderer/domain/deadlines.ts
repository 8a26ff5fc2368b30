import { addWorkingDays, countWorkingDays, type CaseDoc } from '@sibantong/shared';
import type { MatterView } from './matters';

export interface DeadlineView {
  legalDue: string | null;
  promisedDue: string | null;
  daysLeft: number | null;
  /** 'hub' when the hub computed it on its clock; 'local' is an offline estimate. */
  source: 'hub' | 'local' | 'none';
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Deadlines run on hub time: show the hub's when present. Before the first sync we estimate
 * from the acceptance date on this device, clearly marked as an estimate.
 */
export function deadlineView(
  doc: CaseDoc,
  matter: MatterView | undefined,
  today = new Date(),
): DeadlineView {
  try {
    if (doc.deadlines) {
      return {
        legalDue: doc.deadlines.legalDue,
        promisedDue: doc.deadlines.promisedDue,
        daysLeft: countWorkingDays(isoDay(today), doc.deadlines.promisedDue),
        source: 'hub',
      };
    }
    const acc =
      doc.events.find((e) => e.type === 'accept') ?? doc.events.find((e) => e.type === 'receive');
    if (!acc || !matter)
      return { legalDue: null, promisedDue: null, daysLeft: null, source: 'none' };
    const start = (acc.hubTime ?? acc.deviceTime).slice(0, 10);
    const extra = doc.events.reduce(
      (n, e) => n + (e.type === 'extend' ? e.payload.extraDays : 0),
      0,
    );
    const promisedDue = addWorkingDays(start, matter.promisedDays + extra);
    return {
      legalDue: addWorkingDays(start, matter.legalDays + extra),
      promisedDue,
      daysLeft: countWorkingDays(isoDay(today), promisedDue),
      source: 'local',
    };
  } catch {
    return { legalDue: null, promisedDue: null, daysLeft: null, source: 'none' };
  }
}

export function promisedDueFor(matter: MatterView, from = new Date()): string | null {
  try {
    return addWorkingDays(isoDay(from), matter.promisedDays);
  } catch {
    return null;
  }
}

/** Today (as `deadlineView` counts it) and the last day that is "due soon" (3 working days). */
export interface DeadlineWindow {
  today: string;
  soonThrough: string;
}

export function deadlineWindow(now = new Date()): DeadlineWindow {
  const today = isoDay(now);
  try {
    return { today, soonThrough: addWorkingDays(today, 3) };
  } catch {
    // Outside the calendar's years: "due soon" shrinks to today rather than guessing.
    return { today, soonThrough: today };
  }
}

/** Overdue before today; due soon from today through the window's last day. */
export function dueBucket(
  promisedDue: string | null,
  w: DeadlineWindow,
): 'overdue' | 'soon' | null {
  if (!promisedDue) return null;
  if (promisedDue < w.today) return 'overdue';
  return promisedDue <= w.soonThrough ? 'soon' : null;
}
