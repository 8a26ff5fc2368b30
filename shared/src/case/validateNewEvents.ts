/**
 * The hub's check of a push: are the events a device adds to a case legal? Each new event is
 * judged at its place in the merged (lamport, id) order, with the org tree and catalogue as
 * they are now, and may not void an event the hub already holds as valid.
 */
import type { CaseEvent } from './caseTypes.js';
import { refusal, type CaseRefusal } from './caseErrors.js';
import { isCaseEventType } from './caseAuthority.js';
import { deriveCaseState, dedupeEvents, foldEvent } from './caseMachine.js';
import { initialCaseState, type CaseState } from './caseState.js';
import { eventContentKey } from './eventIdentity.js';
import { compareEvents, sortEvents } from './eventOrder.js';
import type { MachineContext } from './machineContext.js';

export interface NewEventsAccepted {
  /** State of the merged history. */
  state: CaseState;
  /** New events actually added, in order (resent copies of known events are left out). */
  added: CaseEvent[];
}

export type NewEventsVerdict =
  { ok: true; value: NewEventsAccepted } | ({ ok: false; refusedEventIds: string[] } & CaseRefusal);

export interface NewEventsContext extends MachineContext {
  /** The case the push is for; every event must belong to it. */
  caseId?: string;
}

function refuseFrom(
  problem: CaseRefusal,
  failing: CaseEvent,
  added: readonly CaseEvent[],
): NewEventsVerdict {
  // Later events of the same push were written on top of the refused one, so they go too.
  const refusedEventIds = added
    .filter((event) => compareEvents(event, failing) >= 0)
    .map((event) => event.id);
  return { ok: false, ...problem, refusedEventIds };
}

function checkIdentity(
  event: CaseEvent,
  known: ReadonlyMap<string, CaseEvent>,
  ctx: NewEventsContext,
): CaseRefusal | null {
  if (!isCaseEventType(event.type)) {
    return refusal('UNKNOWN_EVENT_TYPE', `未知的事件类型：${String(event.type)}`, {
      type: event.type,
    });
  }
  if (ctx.caseId !== undefined && event.caseId !== ctx.caseId) {
    return refusal('CASE_ID_MISMATCH', '事件不属于本办件', { caseId: event.caseId });
  }
  const existing = known.get(event.id);
  if (existing && eventContentKey(existing) !== eventContentKey(event)) {
    return refusal('EVENT_ID_CONFLICT', '同一事件编号已有不同内容的记录', { eventId: event.id });
  }
  if (ctx.pushedBy && event.actor?.userId !== ctx.pushedBy.userId) {
    return refusal('ACTOR_MISMATCH', '只能提交本人办理的事件', { eventId: event.id });
  }
  if (
    ctx.pushedBy &&
    (event.actor.role !== ctx.pushedBy.role || event.actor.orgUnitId !== ctx.pushedBy.orgUnitId)
  ) {
    return refusal('ACTOR_MISMATCH', '事件中的角色或单位与登录用户不符', { eventId: event.id });
  }
  if (ctx.deviceId !== undefined && event.deviceId !== ctx.deviceId) {
    return refusal('ACTOR_MISMATCH', '只能提交本设备记录的事件', { eventId: event.id });
  }
  return null;
}

/**
 * Judges `newEvents` against `existingEvents` (the hub's history of the case). Resending an
 * event the hub already has, unchanged, is harmless and ignored.
 */
export function validateNewEvents(
  existingEvents: readonly CaseEvent[],
  newEvents: readonly CaseEvent[],
  ctx: NewEventsContext = {},
): NewEventsVerdict {
  const existing = dedupeEvents(existingEvents);
  const known = new Map(existing.map((event) => [event.id, event]));
  const incoming = sortEvents(newEvents);
  const added: CaseEvent[] = [];
  const seenNew = new Map<string, CaseEvent>();
  for (const event of incoming) {
    const problem = checkIdentity(event, known, ctx);
    if (problem) return refuseFrom(problem, event, incoming);
    const twin = seenNew.get(event.id);
    if (twin && eventContentKey(twin) !== eventContentKey(event)) {
      return refuseFrom(
        refusal('EVENT_ID_CONFLICT', '同一次提交中同一事件编号有不同内容', { eventId: event.id }),
        event,
        incoming,
      );
    }
    seenNew.set(event.id, event);
    if (!known.has(event.id) && !twin) added.push(event);
  }

  const voidBefore = new Set(deriveCaseState(existing).voidEventIds);
  const addedIds = new Set(added.map((event) => event.id));
  const merged = sortEvents([...existing, ...added]);
  let state = initialCaseState();
  for (const event of merged) {
    if (addedIds.has(event.id)) {
      const next = foldEvent(state, event, ctx);
      const voided = next.voidEvents.find((entry) => entry.eventId === event.id);
      if (voided) {
        return refuseFrom(
          refusal(voided.code, voided.messageZh, { eventId: event.id }),
          event,
          added,
        );
      }
      state = next;
    } else {
      state = foldEvent(state, event);
      if (!voidBefore.has(event.id) && state.voidEventIds.includes(event.id)) {
        // The new events would turn an accepted event void: someone already acted on it.
        const culprit = added.find((candidate) => compareEvents(candidate, event) < 0) ?? added[0];
        if (culprit) {
          return refuseFrom(
            refusal('HISTORY_CONFLICT', '提交的事件与他人已办理的操作冲突，请刷新后重新办理', {
              eventId: culprit.id,
              conflictsWith: event.id,
            }),
            culprit,
            added,
          );
        }
      }
    }
  }
  return { ok: true, value: { state, added } };
}
