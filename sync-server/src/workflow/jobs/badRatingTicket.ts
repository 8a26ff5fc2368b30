/**
 * Job `badRatingTicket`: every 差评 (level 4 不满意 or 5 非常不满意) opens a follow-up ticket
 * (verify → rectify → feedback → call back) due a configurable number of working days after
 * the rating reached the hub. The ticket id derives from the rating event, so it is opened
 * exactly once (a second write answers 409 and the first is kept).
 */
import { chinaDate, type CaseDoc, type CaseEvent } from '@sibantong/shared';
import { hubNowIso } from '../../clock.js';
import type { RefSnapshot } from '../../domain/refData.js';
import { addWorkingDays } from '../../domain/sharedCompat.js';
import { withStoreRetry } from '../../store/store.js';
import { failureCollector, type WorkflowJob } from './jobTypes.js';

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

const isBadRating = (e: CaseEvent): boolean =>
  e.type === 'rate' && (e.payload.level === 4 || e.payload.level === 5);

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

export const badRatingTicketJob: WorkflowJob = {
  name: 'badRatingTicket',
  appliesTo: (doc) => doc.events.some(isBadRating),
  async run(docs, ctx) {
    const { failures, fail } = failureCollector();
    const tickets: TicketRecord[] = [];
    for (const doc of docs) {
      try {
        tickets.push(...badRatingTicketsOf(ctx.ref, doc, ctx.followUpDays));
      } catch (err) {
        fail(doc.id, err);
      }
    }
    if (tickets.length === 0) return { failures };
    const answers = await withStoreRetry(() =>
      ctx.store.db<TicketRecord>('tickets').bulk({ docs: tickets }),
    );
    for (const a of answers) {
      // 409: opened before (deterministic id), kept as it is.
      if (a.error && a.error !== 'conflict') {
        const caseId = tickets.find((t) => t._id === a.id)?.caseId ?? a.id;
        fail(caseId, new Error(`${a.error}: ${a.reason ?? ''}`));
      }
    }
    return { failures };
  },
};
