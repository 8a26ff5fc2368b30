/**
 * What an actor may do on a case right now: the transition table read from the actor's side,
 * so the client shows only buttons the hub will accept.
 */
import { CASE_EVENT_TYPES, type CaseEventType } from '../case/caseTypes.js';
import { checkAuthority } from '../case/caseAuthority.js';
import type { CaseState } from '../case/caseState.js';
import { checkActorUnit } from '../case/topologyChecks.js';
import type { OrgDirectory } from './orgDirectory.js';
import type { Actor } from './orgTypes.js';

/** Event types the actor may record in this state (payload permitting). */
export function allowedActions(actor: Actor, state: CaseState, org: OrgDirectory): CaseEventType[] {
  if (checkActorUnit(actor.role, actor.orgUnitId, org)) return [];
  return CASE_EVENT_TYPES.filter((type) => {
    if (checkAuthority(state, type, actor) !== null) return false;
    const holder = state.holderUnitId ?? '';
    // Handoffs need a next level to hand to; the tree decides whether there is one.
    if (type === 'forward') return org.parentOf(holder)?.level === 'town';
    if (type === 'escalate') return org.parentOf(holder)?.level === 'county';
    if (type === 'return_for_correction') {
      return state.previousHolderUnitIds.some((id) => org.parentOf(id)?.id === holder);
    }
    return true;
  });
}

/** Convenience for a single button. */
export function mayAct(
  actor: Actor,
  type: CaseEventType,
  state: CaseState,
  org: OrgDirectory,
): boolean {
  return allowedActions(actor, state, org).includes(type);
}
