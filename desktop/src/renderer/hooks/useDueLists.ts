import { dueBucket, dueWindow, type CaseDoc } from '@sibantong/shared';
import { useApp } from '../appContext';
import { dueListQueries } from '../db/caseQueries';
import { useDeadlineViewer } from './useDeadlines';
import { useCalendar } from './useReference';
import { useRxCounts, useRxQueries } from './useRx';

export interface DueLists {
  /** Earliest promised date first; at most the page limit of hub-dated cases. */
  overdue: CaseDoc[];
  soon: CaseDoc[];
  /** Every overdue / due-soon open case on the device, not just the page shown. */
  overdueCount: number;
  soonCount: number;
}

const promisedOf = (c: CaseDoc, est: Map<string, string | null>) =>
  c.deadlines?.promisedDue ?? est.get(c.id) ?? '';

/**
 * Overdue and due-soon open cases by the shared rule (`dueWindow`/`dueBucket`: today's China
 * date, the synced calendar, DUE_SOON_WORKING_DAYS — the same the hub raises its warnings
 * with), read as index ranges on the stored promised date (hub time), a page at a time, with
 * exact counts from the same index — never a pass over every open case. Cases accepted here
 * and not yet dated by the hub are few; their deadline is the on-screen estimate and they are
 * placed by the same rule.
 */
export function useDueLists(limit: number, now: Date = new Date()): DueLists {
  const { db } = useApp();
  const calendar = useCalendar();
  const viewOf = useDeadlineViewer();
  const w = dueWindow(calendar, now);
  const q = dueListQueries(w, limit);
  const { docs: overdueHub } = useRxQueries(db.cases, [q.overdue]);
  const { docs: soonHub } = useRxQueries(db.cases, [q.soon]);
  const overdueHubCount = useRxCounts(db.cases, [q.overdueCount]);
  const soonHubCount = useRxCounts(db.cases, [q.soonCount]);
  const { docs: awaiting } = useRxQueries(db.cases, [q.awaiting]);
  const estimated = new Map(awaiting.map((c) => [c.id, viewOf(c, now).promisedDue]));
  const estOverdue = awaiting.filter((c) => dueBucket(estimated.get(c.id), w) === 'overdue');
  const estSoon = awaiting.filter((c) => dueBucket(estimated.get(c.id), w) === 'due_soon');
  const byDue = (a: CaseDoc, b: CaseDoc) =>
    promisedOf(a, estimated) < promisedOf(b, estimated) ? -1 : 1;
  return {
    overdue: [...estOverdue, ...overdueHub].sort(byDue),
    soon: [...estSoon, ...soonHub].sort(byDue),
    overdueCount: overdueHubCount + estOverdue.length,
    soonCount: soonHubCount + estSoon.length,
  };
}
