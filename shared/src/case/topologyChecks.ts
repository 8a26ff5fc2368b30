/**
 * Checks of a new event against the org tree and the matter catalogue as they are now.
 * Run only when an event is first recorded or pushed (see MachineContext).
 */
import type { Role } from '../org/orgTypes.js';
import type { OrgLevel } from '../org/orgTypes.js';
import type { OrgDirectory } from '../org/orgDirectory.js';
import type { CaseEvent } from './caseTypes.js';
import { refusal, type CaseRefusal } from './caseErrors.js';
import type { CaseState } from './caseState.js';
import type { MachineContext } from './machineContext.js';
import { chinaDateOfInstant, dayNumberToIso, isoDayNumber } from './isoDay.js';

export const ROLE_UNIT_LEVEL: Readonly<Record<Role, OrgLevel>> = {
  village_helper: 'village',
  town_lead: 'town',
  centre_agent: 'county',
  supervisor: 'county',
  it_admin: 'county',
  dept_assistant: 'department',
};

/** A user may only act from a unit of the level their role belongs to. */
export function checkActorUnit(
  role: Role,
  orgUnitId: string,
  org: OrgDirectory,
): CaseRefusal | null {
  const unit = org.unit(orgUnitId);
  if (!unit) return refusal('WRONG_UNIT', '用户所属单位不在组织架构中', { orgUnitId });
  if (unit.level !== ROLE_UNIT_LEVEL[role]) {
    return refusal('WRONG_UNIT', '用户所属单位与其角色不符', { orgUnitId, role });
  }
  return null;
}

function checkTargets(event: CaseEvent, state: CaseState, org: OrgDirectory): CaseRefusal | null {
  const holder = state.holderUnitId ?? '';
  switch (event.type) {
    case 'forward': {
      const parent = org.parentOf(holder);
      return parent && parent.level === 'town' && parent.id === event.payload.toUnitId
        ? null
        : refusal('TARGET_UNIT_INVALID', '村居只能转办给本村所属的镇街', {
            toUnitId: event.payload.toUnitId,
          });
    }
    case 'escalate': {
      const parent = org.parentOf(holder);
      return parent && parent.level === 'county' && parent.id === event.payload.toUnitId
        ? null
        : refusal('TARGET_UNIT_INVALID', '镇街只能上报本县政务服务中心', {
            toUnitId: event.payload.toUnitId,
          });
    }
    case 'return_for_correction':
      return org.parentOf(event.payload.toUnitId)?.id === holder
        ? null
        : refusal('TARGET_UNIT_INVALID', '只能退回给直属下一级单位', {
            toUnitId: event.payload.toUnitId,
          });
    case 'request_assistance': {
      const county = org.countyOf(holder)?.id;
      const bad = event.payload.departmentIds.filter(
        (id) => !org.isLevel(id, 'department') || org.countyOf(id)?.id !== county,
      );
      return bad.length === 0
        ? null
        : refusal('TARGET_UNIT_INVALID', `协办部门不存在或不属于本县：${bad.join('、')}`, {
            departmentIds: bad,
          });
    }
    case 'conclude': {
      const target = event.payload.deliverAtUnitId;
      if (target === undefined) return null;
      const level = org.unit(target)?.level;
      return level === 'village' || level === 'town' || level === 'county'
        ? null
        : refusal('TARGET_UNIT_INVALID', '结果送达单位须为村居、镇街或县中心窗口', {
            deliverAtUnitId: target,
          });
    }
    default:
      return null;
  }
}

function checkDeferredLimit(
  event: CaseEvent,
  state: CaseState,
  ctx: MachineContext,
): CaseRefusal | null {
  if (event.type !== 'accept' || !event.payload.deferred || !ctx.matterLimits) return null;
  const limits = ctx.matterLimits(state.matterCode ?? '');
  const acceptedOn = chinaDateOfInstant(event.deviceTime);
  const acceptedDay = isoDayNumber(acceptedOn);
  if (!limits || acceptedOn === null || acceptedDay === null) return null;
  const latest = ctx.addWorkingDays
    ? ctx.addWorkingDays(acceptedOn, limits.promisedDays)
    : dayNumberToIso(acceptedDay + limits.promisedDays * 2);
  return event.payload.deferred.dueDate <= latest
    ? null
    : refusal('INVALID_PAYLOAD', `容缺补交期限不得超过承诺办结时限(最迟 ${latest})`, {
        field: 'deferred.dueDate',
        latest,
      });
}

export function checkTopology(
  event: CaseEvent,
  state: CaseState,
  ctx: MachineContext,
): CaseRefusal | null {
  if (ctx.org) {
    const actorProblem = checkActorUnit(event.actor.role, event.actor.orgUnitId, ctx.org);
    if (actorProblem) return actorProblem;
    const targetProblem = checkTargets(event, state, ctx.org);
    if (targetProblem) return targetProblem;
  }
  return checkDeferredLimit(event, state, ctx);
}
