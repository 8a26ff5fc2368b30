import type { RxConflictHandler } from 'rxdb';
import {
  validateNewEvents,
  type CaseDoc,
  type CaseEvent,
  type NewEventsContext,
} from '@sibantong/shared';
import { deriveCaseFields as deriveFields } from '@sibantong/shared';
import { unionEvents } from '../db/caseWrites';
import { isEventRefused, reportLocalRefusal, type LocalRefusal } from './refusedEvents';
import { withLocalFields, withoutLocalFields } from '../db/localFields';
import { conflictContext } from './conflictRules';

/**
 * A removal (`{ id, _deleted, updatedAt }`, a case that left this device's scope) carries no
 * events: RxDB compares it with the next version of the case when it comes back into scope
 * (moved back). Reading `events` of it threw, and the replication stopped taking anything
 * from the hub on that device for good (found by the convergence test).
 */
function eventsOf(d: CaseDoc): readonly CaseEvent[] {
  return Array.isArray(d.events) ? d.events : [];
}

/** The case's events with their hub stamps, in one string (what `isEqual` compares of them). */
export function eventKey(d: CaseDoc): string {
  return eventsOf(d)
    .map((e) => `${e.id}@${e.hubTime ?? ''}`)
    .sort()
    .join('|');
}

/**
 * Splits this device's unsent events into those the hub's copy still admits and those it
 * does not, by the shared rule the hub applies to a push (`validateNewEvents`), in the
 * context the hub applies it with (`ctx`, conflictRules.ts), so the verdict is the hub's. The rule
 * refuses the first event that no longer fits and every later one of the same push (they
 * were made on top of it); the earlier ones are judged again without them.
 */
export function fitLocalEvents(
  master: CaseDoc,
  local: readonly CaseEvent[],
  ctx: NewEventsContext = { caseId: master.id },
): { fitting: CaseEvent[]; refusals: Omit<LocalRefusal, 'caseSnapshot'>[] } {
  let remaining = [...local];
  const refusals: Omit<LocalRefusal, 'caseSnapshot'>[] = [];
  while (remaining.length > 0) {
    const verdict = validateNewEvents(master.events, remaining, ctx);
    if (verdict.ok) break;
    const out = new Set(verdict.refusedEventIds);
    // A verdict naming none of them cannot shrink the set: refuse them all rather than loop.
    if (!remaining.some((e) => out.has(e.id))) for (const e of remaining) out.add(e.id);
    refusals.push({
      code: verdict.code,
      message: verdict.messageZh,
      refusedEventIds: remaining.filter((e) => out.has(e.id)).map((e) => e.id),
    });
    remaining = remaining.filter((e) => !out.has(e.id));
  }
  return { fitting: remaining, refusals };
}

/**
 * Cases are append-only histories, so a conflict resolves as the hub's copy plus this
 * device's events it lacks — but only those the hub's copy still admits. Merged unchecked,
 * an offline event sorted into the hub's history can void events the hub accepted and show
 * a state the hub never had (a village PC showed "withdrawn" for a case the hub had
 * concluded; issue 19, fault 2), and its re-push is refused forever. Events that no longer
 * fit leave the case and are kept visibly in `refusals` with the rule's reason (never
 * dropped); refused events (by the hub or here) are never merged back. A removal (deleted
 * master) always wins: the case left this device's scope.
 */
export const caseConflictHandler: RxConflictHandler<CaseDoc> = {
  isEqual(a, b) {
    return (
      !!a._deleted === !!b._deleted &&
      a.updatedAt === b.updatedAt &&
      a.officialNo === b.officialNo &&
      a.holderUnitId === b.holderUnitId &&
      JSON.stringify(a.deadlines) === JSON.stringify(b.deadlines) &&
      eventKey(a) === eventKey(b)
    );
  },
  async resolve(i) {
    // The result is written to the local store as it is: it carries the local index fields.
    const master = i.realMasterState;
    if (master._deleted) return master;
    const known = new Set(master.events.map((m) => m.id));
    const localOnly = eventsOf(i.newDocumentState).filter(
      (e) => !isEventRefused(e.id) && !known.has(e.id),
    );
    if (localOnly.length === 0) return withLocalFields(master);
    const ctx = await conflictContext(master, localOnly);
    const { fitting, refusals } = fitLocalEvents(master, localOnly, ctx);
    for (const r of refusals) {
      await reportLocalRefusal({ ...r, caseSnapshot: stripLocal(i.newDocumentState) });
    }
    if (fitting.length === 0) return withLocalFields(master);
    const events = unionEvents(master.events, fitting);
    return withLocalFields({ ...master, events, ...deriveFields(events) });
  },
};

function stripLocal(doc: CaseDoc): CaseDoc {
  const { _deleted: _, ...rest } = withoutLocalFields(doc) as CaseDoc & { _deleted?: boolean };
  return rest as CaseDoc;
}
