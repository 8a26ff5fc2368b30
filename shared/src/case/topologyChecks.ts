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

type CaseWhereabouts = Pick<MachineContext, 'caseOriginUnitId' | 'caseFormerUnitIds'>;

const WINDOW_LEVELS: readonly OrgLevel[] = ['village', 'town', 'county'];

/**
 * Units a 退回 may name: a direct child of the holder that held the case before, or that is
 * the case's origin now (after a move the new village never held it, yet the case belongs
 * there) — never a unit the case was moved away from. Most recent holder first.
 */
export function returnTargetsOf(
  state: CaseState,
  org: OrgDirectory,
  where: CaseWhereabouts = {},
): string[] {
  const holder = state.holderUnitId;
  if (holder === null) return [];
  const moved = new Set(where.caseFormerUnitIds ?? []);
  const candidates = [
    ...(where.caseOriginUnitId === undefined ? [] : [where.caseOriginUnitId]),
    ...[...state.previousHolderUnitIds].reverse(),
  ];
  return [...new Set(candidates)].filter(
    (id) => id !== holder && !moved.has(id) && org.parentOf(id)?.id === holder,
  );
}

/**
 * Units a conclusion may name as the place the applicant gets the result: the case's origin
 * (as the hub records it now), the concluding holder itself, or a window that held the case
 * — never a unit the case was moved away from, nor any other window of the county.
 */
export function deliveryPointsOf(
  state: CaseState,
  org: OrgDirectory,
  where: CaseWhereabouts = {},
): string[] {
  const moved = new Set(where.caseFormerUnitIds ?? []);
  const candidates = [
    where.caseOriginUnitId ?? state.originUnitId,
    state.holderUnitId,
    ...state.previousHolderUnitIds,
  ].filter((id): id is string => typeof id === 'string');
  return [...new Set(candidates)].filter((id) => {
    const level = org.unit(id)?.level;
    return !moved.has(id) && level !== undefined && WINDOW_LEVELS.includes(level);
  });
}

function checkTargets(
  event: CaseEvent,
  state: CaseState,
  org: OrgDirectory,
  ctx: CaseWhereabouts,
): CaseRefusal | null {
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
      return returnTargetsOf(state, org, ctx).includes(event.payload.toUnitId)
        ? null
        : refusal(
            'TARGET_UNIT_INVALID',
            '只能退回给此前经手本件、或现为本件收件单位的直属下一级单位',
            { toUnitId: event.payload.toUnitId },
          );
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
      const current = ctx.caseOriginUnitId;
      if (target === undefined) {
        // The default is the origin of the receive event; after a move that unit no longer
        // serves the applicant, so the new origin must be named.
        return current === undefined || current === state.originUnitId
          ? null
          : refusal('TARGET_UNIT_INVALID', '本件已迁至新的收件单位，请指定结果送达单位', {
              deliverAtUnitId: null,
            });
      }
      return deliveryPointsOf(state, org, ctx).includes(target)
        ? null
        : refusal('TARGET_UNIT_INVALID', '结果只能送达本件的收件单位或经手本件的窗口', {
            deliverAtUnitId: target,
          });
    }
    default:
      return null;
  }
}

/**
 * The latest 容缺 due date: by the calendar when there is one. A calendar that cannot answer
 * (a year not imported) must not make the acceptance unreadable (it used to come back as
 * INVALID_EVENT): the calendar-free bound is used instead.
 */
function latestDeferredDue(
  ctx: MachineContext,
  acceptedOn: string,
  acceptedDay: number,
  promisedDays: number,
): string {
  const simple = dayNumberToIso(acceptedDay + promisedDays * 2);
  if (!ctx.addWorkingDays) return simple;
  try {
    return ctx.addWorkingDays(acceptedOn, promisedDays);
  } catch {
    return simple;
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
  const latest = latestDeferredDue(ctx, acceptedOn, acceptedDay, limits.promisedDays);
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
    const targetProblem = checkTargets(event, state, ctx.org, ctx);
    if (targetProblem) return targetProblem;
  }
  return checkDeferredLimit(event, state, ctx);
}
