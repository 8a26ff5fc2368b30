/**
 * The renderer's door to the shared case domain: the same state machine, merge and
 * permissions the hub uses to re-validate every push, plus the device-local bits (the
 * persistent event counter). Views import from here, not from the machine's internals.
 */
import {
  allowedActions,
  createEvent,
  createOrgDirectory,
  deriveCaseFields,
  deriveCaseState,
  isFinalStatus,
  mergeHistories,
  sortEvents as sharedSortEvents,
  type Actor,
  type CaseDoc,
  type CaseEvent,
  type CaseEventType,
  type CaseStatus,
  type EventPayloads,
  type OrgUnit,
} from '@sibantong/shared';

export function sortEvents(events: readonly CaseEvent[]): CaseEvent[] {
  return sharedSortEvents(events);
}

/** Union of two histories by event id: the merge of concurrent offline edits. */
export function unionEvents(a: readonly CaseEvent[], b: readonly CaseEvent[]): CaseEvent[] {
  return mergeHistories(a, b).events;
}

export interface DerivedFields {
  status: CaseStatus;
  holderUnitId: string;
  handlerUserId: string | null;
  assistingDeptIds: string[];
}

export function deriveFields(events: readonly CaseEvent[]): DerivedFields {
  return deriveCaseFields(events);
}

export function isFinal(status: CaseStatus): boolean {
  return isFinalStatus(status);
}

export function nextLamport(events: readonly CaseEvent[]): number {
  return events.reduce((m, e) => Math.max(m, e.lamport), 0) + 1;
}

const COUNTER_KEY = 'sibantong.eventCounter';
/** The device's persistent, strictly increasing event counter (survives restarts). */
export function nextCounter(): number {
  const n = Math.max(Number(localStorage.getItem(COUNTER_KEY) ?? '0'), 0) + 1;
  localStorage.setItem(COUNTER_KEY, String(n));
  return n;
}
export function nextEventId(deviceId: string): string {
  return `${deviceId}:${nextCounter()}`;
}

function plainActor(a: Actor): Actor {
  return { userId: a.userId, name: a.name, role: a.role, orgUnitId: a.orgUnitId };
}

export function makeEvent<T extends CaseEventType>(
  c: { id: string; events: readonly CaseEvent[] },
  type: T,
  payload: EventPayloads[T],
  actor: Actor,
  deviceId: string,
): CaseEvent {
  return createEvent({
    caseEvents: c.events,
    caseId: c.id,
    type,
    payload,
    actor: plainActor(actor),
    deviceId,
    counter: nextCounter(),
    now: new Date(),
  }) as CaseEvent;
}

/** Appends events and re-derives display fields; the hub recomputes all of this on push. */
export function applyEvents(doc: CaseDoc, events: CaseEvent[]): CaseDoc {
  const all = unionEvents(doc.events, events);
  return { ...doc, events: all, ...deriveFields(all), updatedAt: new Date().toISOString() };
}

/** What this actor may do now: the shared transition table read from the actor's side. */
export function allowedActionsFor(
  doc: CaseDoc,
  actor: Actor,
  units: readonly OrgUnit[],
): CaseEventType[] {
  if (units.length === 0) return [];
  try {
    return allowedActions(
      plainActor(actor),
      deriveCaseState(doc.events),
      createOrgDirectory(units),
    );
  } catch {
    return [];
  }
}
