import { useMemo } from 'react';
import {
  addWorkingDaysDetailed,
  chinaDate,
  type CaseDoc,
  type MatterLimits,
  type WorkingCalendar,
} from '@sibantong/shared';
import { deadlineViewOf, type DeadlineView } from './deadlineView';
import { useCalendar, useMatters } from './useReference';

export { deadlineViewOf, type DeadlineView };

/** `(doc) => DeadlineView` with the synced calendar and catalogue, for lists and details. */
export function useDeadlineViewer(): (doc: CaseDoc, now?: Date) => DeadlineView {
  const calendar = useCalendar();
  const matters = useMatters();
  return useMemo(
    () => (doc: CaseDoc, now?: Date) => {
      const m = matters.byCode.get(doc.matterCode);
      const limits = m ? { legalDays: m.legalDays, promisedDays: m.promisedDays } : undefined;
      return deadlineViewOf(doc, limits, calendar, now);
    },
    [calendar, matters.byCode],
  );
}

/** The promised date a case accepted today would get (shown on the accept form). */
export function promisedDueIfAcceptedNow(
  limits: MatterLimits | undefined,
  calendar: WorkingCalendar,
  now: Date = new Date(),
): { date: string; provisional: boolean } | null {
  if (!limits) return null;
  try {
    const due = addWorkingDaysDetailed(chinaDate(now), limits.promisedDays, calendar);
    return { date: due.date, provisional: due.provisional };
  } catch {
    return null;
  }
}
