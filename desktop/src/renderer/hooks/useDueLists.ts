import type { CaseDoc } from '@sibantong/shared';
import { useApp } from '../appContext';
import { dueListQueries } from '../db/caseQueries';
import { deadlineView, deadlineWindow, dueBucket } from '../domain/deadlines';
import { useMatters } from './useReference';
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
 * Overdue and due-soon open cases, read as index ranges on the stored promised date (hub
 * time), a page at a time, with exact counts from the same index — never a pass over every
 * open case. Cases accepted here and not yet dated by the hub are few; their deadline is
 * the on-screen estimate (`deadlineView`) and they are placed by the same rule.
 */
export function useDueLists(limit: number): DueLists {
  const { db } = useApp();
  const matters = useMatters();
  const w = deadlineWindow();
  const q = dueListQueries(w, limit);
  const { docs: overdueHub } = useRxQueries(db.cases, [q.overdue]);
  const { docs: soonHub } = useRxQueries(db.cases, [q.soon]);
  const overdueHubCount = useRxCounts(db.cases, [q.overdueCount]);
  const soonHubCount = useRxCounts(db.cases, [q.soonCount]);
  const { docs: awaiting } = useRxQueries(db.cases, [q.awaiting]);
  const estimated = new Map(
    awaiting.map((c) => [c.id, deadlineView(c, matters.byCode.get(c.matterCode)).promisedDue]),
  );
  const estOverdue = awaiting.filter((c) => dueBucket(estimated.get(c.id)!, w) === 'overdue');
  const estSoon = awaiting.filter((c) => dueBucket(estimated.get(c.id)!, w) === 'soon');
  const byDue = (a: CaseDoc, b: CaseDoc) =>
    promisedOf(a, estimated) < promisedOf(b, estimated) ? -1 : 1;
  return {
    overdue: [...estOverdue, ...overdueHub].sort(byDue),
    soon: [...estSoon, ...soonHub].sort(byDue),
    overdueCount: overdueHubCount + estOverdue.length,
    soonCount: soonHubCount + estSoon.length,
  };
}
