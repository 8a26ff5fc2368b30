/**
 * The case state machine: folds an event history, in (lamport, id) order, into CaseState.
 * Folding is total: an event that is illegal at its position (two offline edits raced) is
 * kept in the history and listed as void, never thrown.
 */
import { ENVELOPE_PROBLEM_MESSAGES_ZH, envelopeProblem } from '../events/eventEnvelope.js';
import { DomainError } from '../errors/domainError.js';
import type { CaseDoc, CaseEvent } from './caseTypes.js';
import { checkAuthority } from './caseAuthority.js';
import { reduceEvent } from './caseEffects.js';
import { refusal, refused, type CaseRefusal, type CaseResult } from './caseErrors.js';
import { initialCaseState, type CaseState } from './caseState.js';
import { combineEventCopies } from './eventIdentity.js';
import { sortEvents } from './eventOrder.js';
import type { MachineContext } from './machineContext.js';
import { checkPayload } from './payloadChecks.js';
import { checkTopology } from './topologyChecks.js';

export { checkAuthority, checkUnitRule, isCaseEventType, isFinalStatus } from './caseAuthority.js';

function checkEnvelope(state: CaseState, event: CaseEvent): CaseRefusal | null {
  const problem = envelopeProblem(event);
  if (problem) return refusal('INVALID_EVENT', ENVELOPE_PROBLEM_MESSAGES_ZH[problem]);
  if (state.caseId !== null && event.caseId !== state.caseId) {
    return refusal('CASE_ID_MISMATCH', '事件不属于本办件', { caseId: event.caseId });
  }
  return null;
}

/** Judges one event (with the context when it is new) and, if legal, applies it. */
export function judgeEvent(
  state: CaseState,
  event: CaseEvent,
  ctx?: MachineContext,
): CaseRefusal | null {
  return (
    checkEnvelope(state, event) ??
    checkAuthority(state, event.type, event.actor) ??
    checkPayload(event, state) ??
    (ctx ? checkTopology(event, state, ctx) : null)
  );
}

function recordApplied(state: CaseState, event: CaseEvent): CaseState {
  return {
    ...state,
    appliedEventIds: [...state.appliedEventIds, event.id],
    maxLamport: Math.max(state.maxLamport, event.lamport),
  };
}

export function applyEvent(
  state: CaseState,
  event: CaseEvent,
  ctx?: MachineContext,
): CaseResult<CaseState> {
  const problem = judgeEvent(state, event, ctx);
  if (problem) return refused(problem);
  return { ok: true, value: recordApplied(reduceEvent(state, event), event) };
}

function markVoid(state: CaseState, event: CaseEvent, problem: CaseRefusal): CaseState {
  const lamport =
    typeof event.lamport === 'number' && Number.isFinite(event.lamport) ? event.lamport : 0;
  return {
    ...state,
    voidEvents: [
      ...state.voidEvents,
      { eventId: event.id, code: problem.code, messageZh: problem.messageZh },
    ],
    voidEventIds: [...state.voidEventIds, event.id],
    maxLamport: Math.max(state.maxLamport, lamport),
  };
}

/** Same id twice in one list: keep one copy, chosen as mergeHistories would. */
export function dedupeEvents(events: readonly CaseEvent[]): CaseEvent[] {
  const byId = new Map<string, CaseEvent>();
  for (const event of events) {
    const seen = byId.get(event.id);
    byId.set(event.id, seen ? combineEventCopies(seen, event) : event);
  }
  return sortEvents([...byId.values()]);
}

/** Folds an event onto the state, voiding it instead of failing. */
export function foldEvent(state: CaseState, event: CaseEvent, ctx?: MachineContext): CaseState {
  try {
    const result = applyEvent(state, event, ctx);
    return result.ok ? result.value : markVoid(state, event, result);
  } catch {
    // Malformed JSON from a foreign replica must not stop derivation of the whole case.
    return markVoid(state, event, refusal('INVALID_EVENT', '事件格式无法识别'));
  }
}

/** Derives the full state; order of `events` does not matter. */
export function deriveCaseState(events: readonly CaseEvent[]): CaseState {
  return dedupeEvents(events).reduce((state, event) => foldEvent(state, event), initialCaseState());
}

export type DerivedCaseFields = Pick<
  CaseDoc,
  'status' | 'holderUnitId' | 'handlerUserId' | 'assistingDeptIds'
>;

export function caseFieldsOf(state: CaseState): DerivedCaseFields | null {
  if (state.status === null || state.holderUnitId === null) return null;
  return {
    status: state.status,
    holderUnitId: state.holderUnitId,
    handlerUserId: state.handlerUserId,
    assistingDeptIds: [...state.assistingDeptIds],
  };
}

/**
 * The derived CaseDoc fields. A stored case always starts with a valid receive (validateNewEvents
 * and validateCaseDoc refuse anything else), so a history without one is a programming error.
 */
export function deriveCaseFields(events: readonly CaseEvent[]): DerivedCaseFields {
  const fields = caseFieldsOf(deriveCaseState(events));
  if (!fields) {
    throw new DomainError('CASE_NOT_RECEIVED', '办件没有有效的收件事件');
  }
  return fields;
}
