/**
 * Every 差评 (level 4 不满意 or 5 非常不满意) opens a follow-up ticket (verify → rectify →
 * feedback → call back) due a configurable number of working days after the rating reached
 * the hub. The ticket id derives from the rating event, so it is opened exactly once.
 */
import type { CaseDoc } from '@sibantong/shared';
import { hubNowIso } from '../clock.js';
import type { RefSnapshot } from '../domain/refData.js';
import { addWorkingDays } from '../domain/sharedCompat.js';
import { chinaDate } from './hubDates.js';

export interface TicketRecord {
  _id: string;
  id: string;
  caseId: string;
  ratingEventId: string;
  level: 4 | 5;
  status: 'open';
  dueDate: string;
  createdAt: string;
  updatedAt: string;
  steps: [];
  hubScope: string[];
}

/** The tickets a case's 差评 ratings call for (pure; written by the caller). */
export function badRatingTicketsOf(
  ref: RefSnapshot,
  doc: CaseDoc,
  followUpDays: number,
): TicketRecord[] {
  const out: TicketRecord[] = [];
  for (const e of doc.events) {
    if (e.type !== 'rate' || (e.payload.level !== 4 && e.payload.level !== 5)) continue;
    const id = `ticket:${e.id}`;
    const now = hubNowIso();
    out.push({
      _id: id,
      id,
      caseId: doc.id,
      ratingEventId: e.id,
      level: e.payload.level,
      status: 'open',
      dueDate: addWorkingDays(chinaDate(e.hubTime ?? now), followUpDays, ref.calendar),
      createdAt: now,
      updatedAt: now,
      steps: [],
      hubScope: [...new Set([doc.originUnitId, doc.townId, doc.holderUnitId])],
    });
  }
  return out;
}
