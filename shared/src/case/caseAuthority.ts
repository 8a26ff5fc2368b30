/**
 * Whether an actor may record an event type in a case's current state: type, receive-first
 * rule, status (the transition table), role and unit. Payloads are judged elsewhere.
 */
import type { Actor } from '../org/orgTypes.js';
import { CASE_EVENT_TYPES, type CaseEventType, type CaseStatus } from './caseTypes.js';
import { refusal, type CaseRefusal } from './caseErrors.js';
import { CASE_EVENT_LABELS_ZH, CASE_STATUS_LABELS_ZH } from './caseLabels.js';
import type { CaseState } from './caseState.js';
import { FINAL_STATUSES, TRANSITIONS } from './transitionTable.js';

const KNOWN_TYPES: ReadonlySet<string> = new Set(CASE_EVENT_TYPES);

export function isCaseEventType(value: unknown): value is CaseEventType {
  return typeof value === 'string' && KNOWN_TYPES.has(value);
}

export function isFinalStatus(status: CaseStatus | null): boolean {
  return status !== null && FINAL_STATUSES.includes(status);
}

/** The unit rule of the transition table alone (holder, holder or origin, requested department). */
export function checkUnitRule(
  state: CaseState,
  type: CaseEventType,
  actor: Actor,
): CaseRefusal | null {
  const rule = TRANSITIONS[type].unit;
  const unitId = actor.orgUnitId;
  switch (rule) {
    case 'any_window':
      return null;
    case 'holder':
      return unitId === state.holderUnitId
        ? null
        : refusal('WRONG_UNIT', '只有当前持有本件的单位才能办理此操作', {
            holderUnitId: state.holderUnitId,
            actorUnitId: unitId,
          });
    case 'holder_or_origin':
      return unitId === state.holderUnitId || unitId === state.originUnitId
        ? null
        : refusal('WRONG_UNIT', '只有当前持有单位或收件单位才能办理此操作', {
            holderUnitId: state.holderUnitId,
            actorUnitId: unitId,
          });
    case 'served':
      return unitId === state.holderUnitId ||
        unitId === state.originUnitId ||
        state.previousHolderUnitIds.includes(unitId)
        ? null
        : refusal('WRONG_UNIT', '只有收件单位或经手本件的单位才能办理此操作', {
            holderUnitId: state.holderUnitId,
            actorUnitId: unitId,
          });
    case 'requested_department':
      return state.assistingDeptIds.includes(unitId)
        ? null
        : refusal('WRONG_UNIT', '本部门没有待答复的协办请求', { actorUnitId: unitId });
  }
}

/**
 * May this actor record an event of this type in this state? Checks the event type, the
 * receive-first rule, the status, the role and the unit — everything but the payload.
 */
export function checkAuthority(state: CaseState, type: unknown, actor: Actor): CaseRefusal | null {
  if (!isCaseEventType(type)) {
    return refusal('UNKNOWN_EVENT_TYPE', `未知的事件类型：${String(type)}`, { type });
  }
  if (state.status === null && type !== 'receive') {
    return refusal('RECEIVE_NOT_FIRST', '办件的第一个事件必须是收件', { type });
  }
  if (state.status !== null && type === 'receive') {
    return refusal('RECEIVE_DUPLICATED', '本件已经收件，不能重复收件');
  }
  const rule = TRANSITIONS[type];
  if (state.status !== null && !rule.from.includes(state.status)) {
    return refusal(
      'ILLEGAL_TRANSITION',
      `办件${CASE_STATUS_LABELS_ZH[state.status]}，不能${CASE_EVENT_LABELS_ZH[type]}`,
      { status: state.status, type },
    );
  }
  if (!actor || !rule.roles.includes(actor.role)) {
    return refusal('ROLE_NOT_PERMITTED', `当前角色无权${CASE_EVENT_LABELS_ZH[type]}`, {
      role: actor?.role,
      type,
    });
  }
  const unitProblem = checkUnitRule(state, type, actor);
  if (unitProblem) return unitProblem;
  if (type === 'conclude' && state.assistingDeptIds.length > 0) {
    return refusal('ILLEGAL_TRANSITION', '仍有部门协办未答复，不能办结', {
      status: state.status,
      type,
      reason: 'assistance_pending',
      assistingDeptIds: state.assistingDeptIds,
    });
  }
  return null;
}
