/**
 * Legal and promised deadlines of an accepted case, on hub time: counting starts the working
 * day after acceptance (China date of the accept event's hubTime), suspensions (特别程序) stop
 * the clock, extensions (延期) add working days. Pure: the processor decides what to write.
 */
import type { CaseDeadlines, CaseDoc } from '@sibantong/shared';
import { deriveCaseState } from '../domain/caseRules.js';
import type { RefSnapshot } from '../domain/refData.js';
import {
  addWorkingDays,
  countWorkingDays,
  type SuspensionInterval,
} from '../domain/sharedCompat.js';
import { chinaDate } from './hubDates.js';

export function computeDeadlines(doc: CaseDoc, ref: RefSnapshot, now: Date): CaseDeadlines | null {
  const state = deriveCaseState(doc.events);
  if (!state.acceptedAt) return null;
  const matter = ref.matters.get(doc.matterCode);
  if (!matter || typeof matter.legalDays !== 'number' || typeof matter.promisedDays !== 'number') {
    return null;
  }
  const today = chinaDate(now);
  const startDate = chinaDate(state.acceptedAt);
  const suspensions: SuspensionInterval[] = state.suspensions.map((s) => ({
    from: chinaDate(s.startedAt),
    to: s.endedAt ? chinaDate(s.endedAt) : today,
  }));
  const extra = state.extensionDaysTotal;
  const opts = { suspensions };
  const legalDue = addWorkingDays(startDate, matter.legalDays + extra, ref.calendar, opts);
  const promisedDue = addWorkingDays(startDate, matter.promisedDays + extra, ref.calendar, opts);
  return {
    startDate,
    legalDue,
    promisedDue,
    promisedDaysLeft: countWorkingDays(today, promisedDue, ref.calendar),
    computedAt: now.toISOString(),
  };
}

/** Same deadlines apart from when they were computed (avoids rewriting a case every scan). */
export function sameDeadlines(a: CaseDeadlines | null, b: CaseDeadlines | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.startDate === b.startDate && a.legalDue === b.legalDue && a.promisedDue === b.promisedDue
  );
}
