import type { Actor, CaseDoc, CaseEvent } from '@sibantong/shared';
import type { AppDatabase } from '../../db/database';
import type { RefusalDoc } from '../../db/docTypes';
import { applyEvents, nextEventId, nextLamport } from '../../domain/caseLogic';

/**
 * 重新提交: re-append the refused events with fresh ids (the hub remembers the old ids as
 * refused) on top of the current case, or re-create the case when the hub never had it.
 * Used after the cause is fixed (e.g. the case came back into this unit's scope).
 */
export async function resubmitRefusal(
  db: AppDatabase,
  r: RefusalDoc,
  actor: Actor,
  deviceId: string,
): Promise<void> {
  const current = await db.cases.findOne(r.caseId).exec();
  const base: CaseDoc = current
    ? (current.toMutableJSON() as CaseDoc)
    : {
        ...r.caseSnapshot,
        events: r.caseSnapshot.events.filter((e) => !r.refusedEventIds.includes(e.id)),
      };
  let lamport = nextLamport(base.events);
  const again: CaseEvent[] = r.caseSnapshot.events
    .filter((e) => r.refusedEventIds.includes(e.id))
    .map(
      (e) =>
        ({
          ...e,
          id: nextEventId(deviceId),
          lamport: lamport++,
          deviceTime: new Date().toISOString(),
          actor: e.actor ?? actor,
          hubTime: undefined,
        }) as CaseEvent,
    );
  const next = applyEvents(base, again);
  if (current) await current.incrementalModify(() => next);
  else await db.cases.insert(next);
  await markRefusal(db, r, 'resubmitted');
}

export async function markRefusal(
  db: AppDatabase,
  r: RefusalDoc,
  state: RefusalDoc['state'],
): Promise<void> {
  const doc = await db.refusals.findOne(r.id).exec();
  await doc?.incrementalPatch({ state, resolvedAt: new Date().toISOString() });
}
