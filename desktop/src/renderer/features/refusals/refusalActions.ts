import {
  sortEvents,
  type CaseDoc,
  type CaseEvent,
  type EventPayloads,
  type SessionUser,
} from '@sibantong/shared';
import type { AppDatabase } from '../../db/database';
import type { RefusalDoc } from '../../db/docTypes';
import { appendCaseEvents, makeEvent } from '../../db/caseWrites';

/** The refused events of a refusal, in their order: the first is the one the hub judged. */
export function refusedEvents(r: RefusalDoc): CaseEvent[] {
  return sortEvents(r.caseSnapshot.events.filter((e) => r.refusedEventIds.includes(e.id)));
}

/**
 * The case to rebuild from when the hub never had it (its 收件 was refused): the snapshot
 * without what it refused. Null for a case the hub has: if it is no longer on this device it
 * went elsewhere (moved, handed on), and recreating it here would only be refused again.
 */
export function caseWithoutRefused(r: RefusalDoc): CaseDoc | null {
  if (!refusedEvents(r).some((e) => e.type === 'receive')) return null;
  return {
    ...r.caseSnapshot,
    events: r.caseSnapshot.events.filter((e) => !r.refusedEventIds.includes(e.id)),
  };
}

/**
 * 修正后重新提交: records the refused events again, the first with the corrected payload, as
 * new events by the person at the PC now (the hub only accepts a user's own events), on top
 * of the case's history as it is now, after the shared check of new events. Throws
 * LocalWriteRefused with the rule's Chinese message when the correction still breaks a rule;
 * the refusal stays open then.
 */
export async function resubmitCorrected(
  db: AppDatabase,
  r: RefusalDoc,
  corrected: EventPayloads[CaseEvent['type']],
  user: SessionUser,
  deviceId: string,
): Promise<void> {
  const [first, ...rest] = refusedEvents(r);
  if (!first) throw new Error('被拒记录中没有事件');
  const actor = {
    userId: user.userId,
    name: user.name,
    role: user.role,
    orgUnitId: user.orgUnitId,
  };
  await appendCaseEvents(
    db,
    r.caseId,
    { actor, deviceId },
    (current) => {
      const made: CaseEvent[] = [];
      const plan = [{ type: first.type, payload: corrected }, ...rest];
      for (const step of plan) {
        const base = { id: current.id, events: [...current.events, ...made] };
        made.push(makeEvent(base, step.type, step.payload as never, actor, deviceId));
      }
      return made;
    },
    caseWithoutRefused(r) ?? undefined,
  );
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
