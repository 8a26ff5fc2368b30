/**
 * Every 差评 (level 4 不满意 or 5 非常不满意) opens a follow-up ticket (verify → rectify →
 * feedback → call back) due a configurable number of working days after the rating reached
 * the hub. The ticket id derives from the rating event, so it is opened exactly once.
 */
import type { CaseDoc } from '@sibantong/shared';
import { hubNowIso } from '../clock.js';
import type { RefSnapshot } from '../domain/refData.js';
import { addWorkingDays } from '../domain/sharedCompat.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
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

export async function openBadRatingTickets(
  store: Store,
  ref: RefSnapshot,
  doc: CaseDoc,
  followUpDays: number,
): Promise<number> {
  let opened = 0;
  for (const e of doc.events) {
    if (e.type !== 'rate' || (e.payload.level !== 4 && e.payload.level !== 5)) continue;
    const id = `ticket:${e.id}`;
    const now = hubNowIso();
    const ticket: TicketRecord = {
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
    };
    try {
      await withStoreRetry(() => store.db<TicketRecord>('tickets').insert(ticket));
      opened += 1;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }
  return opened;
}
