/**
 * The hub's check of a push: are the events a device adds to a case legal? Each new event is
 * judged at its place in the merged (lamport, id) order, with the org tree and catalogue as
 * they are now; against the case as the hub holds it on arrival (authority at receipt,
 * receiptChecks.ts); and may not void an event the hub already holds as valid.
 *
 * Only the bad events are refused: the part of a push that is legal on its own (the receive
 * of a new case, events before a refused one, supplements) is returned as `accepted` so the
 * hub stores it and nothing the applicant handed over is lost.
 */
import type { CaseEvent } from './caseTypes.js';
import { refusal, type CaseRefusal } from './caseErrors.js';
import { isCaseEventType } from './caseAuthority.js';
import { deriveCaseState, dedupeEvents, foldEvent } from './caseMachine.js';
import { MAX_CASE_EVENTS, MAX_NEW_EVENTS_PER_ROW } from './caseLimits.js';
import { initialCaseState, type CaseState } from './caseState.js';
import { eventContentKey } from './eventIdentity.js';
import { compareEvents, sortEvents } from './eventOrder.js';
import type { MachineContext } from './machineContext.js';
import { checkAuthorityAtReceipt, checkRepeatedClaim } from './receiptChecks.js';

export interface NewEventsAccepted {
  /** State of the merged history (the hub's history plus the accepted new events). */
  state: CaseState;
  /** New events accepted, in order (resent copies of known events are left out). */
  added: CaseEvent[];
}

/**
 * A refusal names the first problem (code, message) and every refused new event; `accepted`
 * is the rest of the push, legal without them (empty when nothing of it may be stored).
 */
export type NewEventsVerdict =
  | { ok: true; value: NewEventsAccepted }
  | ({ ok: false; refusedEventIds: string[]; accepted: NewEventsAccepted } & CaseRefusal);

export interface NewEventsContext extends MachineContext {
  /** The case the push is for; every event must belong to it. */
  caseId?: string;
}

/** Restarts after an event turned a stored one void; past this the rest of the push goes. */
const MAX_CONFLICT_RESTARTS = 20;

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

/** The push's own checks: identity of every event, then the new ones (resends left out). */
function screenIncoming(
  known: ReadonlyMap<string, CaseEvent>,
  incoming: readonly CaseEvent[],
  ctx: NewEventsContext,
): { added: CaseEvent[] } | { problem: CaseRefusal } {
  const added: CaseEvent[] = [];
  const seenNew = new Map<string, CaseEvent>();
  for (const event of incoming) {
    const problem = checkIdentity(event, known, ctx);
    if (problem) return { problem };
    const twin = seenNew.get(event.id);
    if (twin && eventContentKey(twin) !== eventContentKey(event)) {
      return {
        problem: refusal('EVENT_ID_CONFLICT', '同一次提交中同一事件编号有不同内容', {
          eventId: event.id,
        }),
      };
    }
    seenNew.set(event.id, event);
    if (!known.has(event.id) && !twin) added.push(event);
  }
  return { added };
}

interface Pass {
  state: CaseState;
  /** The first problem met and the events it refuses (none: the pass accepted everything). */
  problem: CaseRefusal | null;
  refused: string[];
  /** True when the refusal came from a stored event turning void (a fresh pass is needed). */
  restart: boolean;
}

/**
 * The events refused with `failing`: itself and every later new event written on top of it —
 * except supplements, which record materials handed over and depend on no other act.
 */
function withDependents(failing: CaseEvent, candidates: readonly CaseEvent[]): string[] {
  return candidates
    .filter(
      (event) =>
        event.id === failing.id ||
        (compareEvents(event, failing) > 0 && event.type !== 'supplement'),
    )
    .map((event) => event.id);
}

/** One fold of the hub's history with the candidate events, refusing bad ones as it goes. */
function judgePass(
  existing: readonly CaseEvent[],
  candidates: readonly CaseEvent[],
  atReceipt: CaseState,
  voidBefore: ReadonlySet<string>,
  ctx: NewEventsContext,
): Pass {
  const last = existing[existing.length - 1];
  const candidateIds = new Set(candidates.map((event) => event.id));
  const refused = new Set<string>();
  let problem: CaseRefusal | null = null;
  let state = initialCaseState();
  // The case as the hub holds it when each new event arrives: its history, then the push's
  // own earlier events as they are accepted (a push's accept precedes its own conclusion).
  let receipt = atReceipt;
  for (const event of sortEvents([...existing, ...candidates])) {
    if (candidateIds.has(event.id)) {
      if (refused.has(event.id)) continue;
      const backDated = last !== undefined && compareEvents(event, last) < 0;
      let failure =
        checkAuthorityAtReceipt(event, receipt, backDated) ?? checkRepeatedClaim(event, state);
      let next = state;
      if (!failure) {
        next = foldEvent(state, event, ctx);
        const voided = next.voidEvents.find((entry) => entry.eventId === event.id);
        if (voided) failure = refusal(voided.code, voided.messageZh, { eventId: event.id });
      }
      if (failure) {
        problem ??= failure;
        for (const id of withDependents(event, candidates)) refused.add(id);
        continue;
      }
      state = next;
      receipt = foldEvent(receipt, event);
    } else {
      state = foldEvent(state, event);
      if (!voidBefore.has(event.id) && state.voidEventIds.includes(event.id)) {
        // The new events would turn an accepted event void: someone already acted on it.
        // Blame the earliest new decision before it (a supplement only when nothing else is
        // left): a supplement rarely voids anything and must not be lost for another's act.
        const open = candidates.filter((candidate) => !refused.has(candidate.id));
        const before = open.filter((candidate) => compareEvents(candidate, event) < 0);
        const culprit =
          before.find((candidate) => candidate.type !== 'supplement') ?? before[0] ?? open[0];
        if (culprit) {
          const conflict = refusal(
            'HISTORY_CONFLICT',
            '提交的事件与他人已办理的操作冲突，请刷新后重新办理',
            { eventId: culprit.id, conflictsWith: event.id },
          );
          const ids = withDependents(culprit, open);
          return {
            state,
            problem: problem ?? conflict,
            refused: [...refused, ...ids],
            restart: true,
          };
        }
      }
    }
  }
  return { state, problem, refused: [...refused], restart: false };
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
  const hubState = deriveCaseState(existing);
  const nothing: NewEventsAccepted = { state: hubState, added: [] };

  const screened = screenIncoming(known, incoming, ctx);
  // A forged or garbled event taints the whole push: none of it is stored.
  if ('problem' in screened) {
    return {
      ok: false,
      ...screened.problem,
      refusedEventIds: incoming.map((e) => e.id),
      accepted: nothing,
    };
  }
  const { added } = screened;
  if (added.length > MAX_NEW_EVENTS_PER_ROW) {
    return {
      ok: false,
      ...refusal(
        'PUSH_EVENTS_LIMIT',
        `一次提交的新事件过多（${added.length} 条，最多 ${MAX_NEW_EVENTS_PER_ROW} 条），请分批提交`,
        { limit: MAX_NEW_EVENTS_PER_ROW, count: added.length },
      ),
      refusedEventIds: added.map((event) => event.id),
      accepted: nothing,
    };
  }

  let problem: CaseRefusal | null = null;
  const refused: string[] = [];
  let candidates = added;
  const room = Math.max(0, MAX_CASE_EVENTS - existing.length);
  if (candidates.length > room) {
    problem = refusal(
      'CASE_EVENTS_LIMIT',
      `办件的事件记录已达上限（${MAX_CASE_EVENTS} 条），不能再追加，请联系信息管理员`,
      { limit: MAX_CASE_EVENTS },
    );
    refused.push(...candidates.slice(room).map((event) => event.id));
    candidates = candidates.slice(0, room);
  }

  const voidBefore = new Set(hubState.voidEventIds);
  let state = hubState;
  for (let pass = 0; ; pass += 1) {
    const result = judgePass(existing, candidates, hubState, voidBefore, ctx);
    problem ??= result.problem;
    const out = new Set(result.refused);
    refused.push(...result.refused);
    candidates = candidates.filter((event) => !out.has(event.id));
    if (!result.restart) {
      state = result.state;
      break;
    }
    if (pass >= MAX_CONFLICT_RESTARTS) {
      refused.push(...candidates.map((event) => event.id));
      candidates = [];
      break;
    }
  }
  if (problem === null) return { ok: true, value: { state, added: candidates } };
  return {
    ok: false,
    ...problem,
    refusedEventIds: refused,
    accepted: candidates.length === 0 ? nothing : { state, added: candidates },
  };
}
