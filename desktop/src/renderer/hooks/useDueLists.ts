import type { CaseDoc } from '@sibantong/shared';
import { useApp } from '../appContext';
import { awaitingHubDeadline, dueCases, hubDue } from '../db/caseQueries';
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
  const overdueRange = { before: w.today };
  const soonRange = { from: w.today, through: w.soonThrough };
  const { docs: overdueHub } = useRxQueries(db.cases, [dueCases(overdueRange, limit)]);
  const { docs: soonHub } = useRxQueries(db.cases, [dueCases(soonRange, limit)]);
  const overdueHubCount = useRxCounts(db.cases, [{ selector: hubDue(overdueRange) }]);
  const soonHubCount = useRxCounts(db.cases, [{ selector: hubDue(soonRange) }]);
  const { docs: awaiting } = useRxQueries(db.cases, [awaitingHubDeadline()]);
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
