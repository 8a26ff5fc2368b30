/**
 * Authority at receipt: a new event is judged at its place in the (lamport, id) order, and
 * ALSO against the case as the hub holds it when the event arrives. Without the second check a
 * former holder (a village after it forwarded the case) could write an event whose lamport
 * places it before the handoff and be judged as the holder it was then.
 *
 * Late events — written offline before a handoff the hub already has — are legitimate only
 * when they record a fact at the window rather than a decision about the case: a supplement
 * of materials (补交材料) by the origin or a unit that held the case. Everything else from a
 * unit that no longer holds the case (deadline extensions, logs, suspensions, handoffs,
 * conclusions …) is refused with LATE_EVENT_NOT_HOLDER, and an event the case's status no
 * longer allows (an extension back-dated before a conclusion) with LATE_EVENT_SUPERSEDED. docs/domain-model.md, "Authority at
 * receipt", gives the table.
 */
import type { CaseEvent } from './caseTypes.js';
import { checkAuthority, checkUnitRule, isCaseEventType } from './caseAuthority.js';
import { refusal, type CaseRefusal } from './caseErrors.js';
import { CASE_EVENT_LABELS_ZH, CASE_STATUS_LABELS_ZH } from './caseLabels.js';
import type { CaseState } from './caseState.js';

/**
 * The actor's standing in the case as the hub holds it now (`atReceipt`). Only an event that
 * sorts before an event the hub already holds (`backDated`) can be judged at a place where its
 * actor had a standing it has since lost; any other event's place is the end of the history,
 * where the place check already is the receipt check.
 */
export function checkAuthorityAtReceipt(
  event: CaseEvent,
  atReceipt: CaseState,
  backDated: boolean,
): CaseRefusal | null {
  if (!backDated || atReceipt.status === null || !isCaseEventType(event.type)) return null;
  // The table's unit rule, against today's case: a supplement's rule (`served`) admits the
  // origin and every unit that held the case, so it passes; a decision's rule does not.
  const label = CASE_EVENT_LABELS_ZH[event.type];
  if (checkUnitRule(atReceipt, event.type, event.actor) !== null) {
    return refusal(
      'LATE_EVENT_NOT_HOLDER',
      `本件现由其他单位办理，离线时记录的「${label}」已不能再提交；如仍需办理，请联系当前办理单位`,
      {
        type: event.type,
        holderUnitId: atReceipt.holderUnitId,
        actorUnitId: event.actor?.orgUnitId,
      },
    );
  }
  // And the status: back-dating must not reopen a step the case has passed (an extension
  // slipped in before a conclusion would move the deadlines of a concluded case).
  const now = checkAuthority(atReceipt, event.type, event.actor);
  if (now?.code === 'ILLEGAL_TRANSITION' && atReceipt.status !== null) {
    return refusal(
      'LATE_EVENT_SUPERSEDED',
      `本件已${CASE_STATUS_LABELS_ZH[atReceipt.status]}，离线时记录的「${label}」已不能再提交`,
      { type: event.type, status: atReceipt.status, ...(now.details ?? {}) },
    );
  }
  return null;
}

/**
 * A claim by the user who already handles the case adds nothing but a second line in the
 * history: refused, so the 领办 button can disappear once the claim is recorded.
 */
export function checkRepeatedClaim(event: CaseEvent, atPlace: CaseState): CaseRefusal | null {
  if (event.type !== 'claim' || atPlace.handlerUserId === null) return null;
  return atPlace.handlerUserId === event.actor?.userId
    ? refusal('CLAIM_DUPLICATED', '您已领办本件，无需重复领办', {
        handlerUserId: atPlace.handlerUserId,
      })
    : null;
}
