/** How a client mints a new event for a case it holds locally. */
import { DomainError } from '../errors/domainError.js';
import type { Actor } from '../org/orgTypes.js';
import type { CaseEvent, CaseEventOf, CaseEventType, EventPayloads } from './caseTypes.js';

export interface NewEventInput<T extends CaseEventType> {
  /** The history as this device knows it now (empty for a new case). */
  caseEvents: readonly Pick<CaseEvent, 'lamport' | 'caseId'>[];
  /** Required for the first event of a case; otherwise taken from the history. */
  caseId?: string;
  type: T;
  payload: EventPayloads[T];
  actor: Actor;
  deviceId: string;
  /** The device's persistent, strictly increasing event counter. */
  counter: number;
  /** The device clock (injected so tests and the hub control time). */
  now: Date | string;
}

/**
 * lamport = 1 + the highest lamport seen, so the new event sorts after everything its author
 * saw; id = `${deviceId}:${counter}` is unique without coordination.
 */
export function createEvent<T extends CaseEventType>(input: NewEventInput<T>): CaseEventOf<T> {
  const caseId = input.caseId ?? input.caseEvents[0]?.caseId;
  if (caseId === undefined) {
    throw new DomainError('CASE_ID_MISSING', '新办件的第一个事件须指定办件编号');
  }
  const deviceTime = typeof input.now === 'string' ? input.now : input.now.toISOString();
  const maxLamport = input.caseEvents.reduce((max, event) => Math.max(max, event.lamport), 0);
  return {
    id: `${input.deviceId}:${input.counter}`,
    caseId,
    type: input.type,
    lamport: maxLamport + 1,
    actor: { ...input.actor },
    deviceId: input.deviceId,
    deviceTime,
    payload: input.payload,
  };
}
