/**
 * What a case screen offers one person today: every action the shared rules would accept now,
 * and — for the few that a person expects to see but the rules refuse for a reason that will
 * pass (容缺 still outstanding, a 协办 not answered, the 容缺 due date not reached, a claim
 * already made) — the action shown disabled with the Chinese reason. Runs the same checks the
 * hub runs on a push (authority, payload, topology) on a probe event, so a button is never
 * offered that the hub will refuse.
 */
import type { OrgDirectory } from '../org/orgDirectory.js';
import type { Actor } from '../org/orgTypes.js';
import { checkAuthority } from './caseAuthority.js';
import type { CaseRefusal } from './caseErrors.js';
import { CASE_EVENT_TYPES, type CaseEvent, type CaseEventType } from './caseTypes.js';
import type { CaseState } from './caseState.js';
import { checkPayload } from './payloadChecks.js';
import type { MachineContext } from './machineContext.js';
import { checkActorUnit, checkTopology, returnTargetsOf } from './topologyChecks.js';

export interface ActionOffer {
  type: CaseEventType;
  /** False: shown, but the rules refuse it now; `reasonZh` says why. */
  enabled: boolean;
  reasonZh?: string;
  /** For 退回: the lower unit the case goes back to (the last one that held it). */
  toUnitId?: string;
}

export interface AvailableActionsInput {
  state: CaseState;
  actor: Actor;
  org: OrgDirectory;
  /** Today as an ISO date on China time (the day the event would be recorded). */
  today: string;
  /**
   * Where the hub says the case is now (`CaseDoc.originUnitId`, `formerUnitIds`): a move to
   * another village is recorded outside the history, and decides where a 退回 may go.
   */
  where?: Pick<MachineContext, 'caseOriginUnitId' | 'caseFormerUnitIds'>;
}

/**
 * Where a 退回 goes: the first unit the shared rule allows (returnTargetsOf: the case's current
 * origin or a former holder directly under the holder, never a unit the case was moved from).
 */
export function returnTargetOf(
  state: CaseState,
  org: OrgDirectory,
  where: AvailableActionsInput['where'] = {},
): string | null {
  return returnTargetsOf(state, org, where)[0] ?? null;
}

/** A stand-in event recorded today by the actor, for the payload and topology checks. */
function probe<T extends CaseEventType>(
  state: CaseState,
  type: T,
  actor: Actor,
  today: string,
  payload: unknown,
): CaseEvent {
  return {
    id: 'probe:1',
    caseId: state.caseId ?? '',
    type,
    lamport: state.maxLamport + 1,
    // Noon in China (UTC+8): the day the shared checks read with chinaDateOfInstant.
    deviceTime: `${today}T04:00:00.000Z`,
    deviceId: 'probe',
    actor,
    payload,
  } as CaseEvent;
}

const disabled = (type: CaseEventType, reasonZh: string): ActionOffer => ({
  type,
  enabled: false,
  reasonZh,
});

/** An action the status forbids for now, that staff look for: say why instead of hiding it. */
function explainStatus(
  type: CaseEventType,
  state: CaseState,
  actor: Actor,
  problem: CaseRefusal,
): ActionOffer | null {
  if (type !== 'conclude') return null;
  if (problem.details?.reason === 'assistance_pending') return disabled(type, problem.messageZh);
  // Role and unit are checked after the status: ask them on a status that allows the action.
  const once = { ...state, status: 'processing' as const, assistingDeptIds: [] };
  if (checkAuthority(once, type, actor) !== null) return null;
  if (state.status === 'accepted_deferred' && state.deferred) {
    const names = state.deferred.materialIds.map(
      (id) => state.materials.find((m) => m.materialId === id)?.name ?? id,
    );
    return disabled(
      type,
      `容缺材料（${names.join('、')}）尚未补齐，补交后才能办结；补交期限 ${state.deferred.dueDate}`,
    );
  }
  if (state.status === 'suspended')
    return disabled(type, '办件已中止（特别程序），恢复办理后才能办结');
  return null;
}

function offerAllowed(type: CaseEventType, input: AvailableActionsInput): ActionOffer | null {
  const { state, actor, org, today, where = {} } = input;
  const holder = state.holderUnitId ?? '';
  switch (type) {
    case 'forward':
      return org.parentOf(holder)?.level === 'town' ? { type, enabled: true } : null;
    case 'escalate':
      return org.parentOf(holder)?.level === 'county' ? { type, enabled: true } : null;
    case 'supplement':
      // Only what is still missing can be handed in; with nothing missing there is no button.
      return state.materials.some((m) => m.missing) ? { type, enabled: true } : null;
    case 'claim':
      return state.handlerUserId === actor.userId
        ? disabled(type, '您已领办本件，无需再次领办')
        : { type, enabled: true };
    case 'return_for_correction': {
      const toUnitId = returnTargetOf(state, org, where);
      if (!toUnitId) return disabled(type, '本件没有可退回的直属下一级单位（未经手或已移交他处）');
      const event = probe(state, type, actor, today, { toUnitId, reason: '退回' });
      const problem = checkPayload(event, state) ?? checkTopology(event, state, { org, ...where });
      return problem ? disabled(type, problem.messageZh) : { type, enabled: true, toUnitId };
    }
    case 'terminate': {
      const event = probe(state, type, actor, today, { reason: '终止' });
      const problem = checkPayload(event, state);
      return problem ? disabled(type, problem.messageZh) : { type, enabled: true };
    }
    default:
      return { type, enabled: true };
  }
}

/** Every action this person is offered on this case today, in the machine's order. */
export function availableActions(input: AvailableActionsInput): ActionOffer[] {
  const { state, actor, org } = input;
  if (state.status === null) return [];
  if (checkActorUnit(actor.role, actor.orgUnitId, org)) return [];
  const offers: ActionOffer[] = [];
  for (const type of CASE_EVENT_TYPES) {
    if (type === 'receive') continue;
    const problem = checkAuthority(state, type, actor);
    const offer = problem
      ? problem.code === 'ILLEGAL_TRANSITION'
        ? // Only an actor who could act here once the status allows it is told why not.
          explainStatus(type, state, actor, problem)
        : null
      : offerAllowed(type, input);
    if (offer) offers.push(offer);
  }
  return offers;
}
