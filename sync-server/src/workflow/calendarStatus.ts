/**
 * The hub's calendar status for IT: which years are covered, the November warning when next
 * year's table is missing (shared `calendarCoverage`, on the hub's China date), and how many
 * cases carry provisional (暂估) deadlines. For /api/health details, an IT screen, the hub's
 * log and `sibantong-hub calendar`.
 */
import { calendarCoverage, type CalendarCoverage } from '@sibantong/shared';
import { hubNow } from '../clock.js';
import type { RefSnapshot } from '../domain/refData.js';
import type { Store } from '../store/store.js';
import { provisionalCaseIds } from './provisionalMarks.js';

export interface HubCalendarStatus extends CalendarCoverage {
  /** Cases marked with provisional deadlines (recomputed when the missing year arrives). */
  provisionalCases: number;
}

export async function hubCalendarStatus(
  store: Store,
  ref: RefSnapshot,
  now: Date = hubNow(),
): Promise<HubCalendarStatus> {
  const coverage = calendarCoverage(ref.calendar, now);
  return { ...coverage, provisionalCases: (await provisionalCaseIds(store)).length };
}
