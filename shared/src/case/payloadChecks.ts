/**
 * Checks of an event's payload that depend only on the event and the derived state, never on
 * the org tree or catalogue: so they give the same answer on every replica, forever.
 * Payloads arrive from other devices as JSON, so every check guards its types.
 */
import type { CaseEvent, MaterialReceipt } from './caseTypes.js';
import { refusal, type CaseRefusal } from './caseErrors.js';
import { ratingReasonProblem } from '../rating/ratingRules.js';
import type { CaseState } from './caseState.js';
import { chinaDateOfInstant, isoDayNumber } from './isoDay.js';

const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;

const invalid = (field: string, messageZh: string): CaseRefusal =>
  refusal('INVALID_PAYLOAD', messageZh, { field });

function checkMaterials(value: unknown, field: string): CaseRefusal | null {
  if (!Array.isArray(value)) return invalid(field, '材料清单格式不正确');
  for (const item of value as unknown[]) {
    const line = item as Partial<MaterialReceipt> | null;
    if (!line || !isText(line.materialId) || !isText(line.name)) {
      return invalid(field, '材料清单中每项都须有材料编号和名称');
    }
    const counts = [line.originals, line.copies];
    if (counts.some((n) => typeof n !== 'number' || !Number.isInteger(n) || n < 0)) {
      return invalid(field, '材料的原件、复印件份数须为非负整数');
    }
  }
  return null;
}

function checkUnitTarget(toUnitId: unknown, state: CaseState): CaseRefusal | null {
  if (!isText(toUnitId)) return invalid('toUnitId', '未指定接收单位');
  if (toUnitId === state.holderUnitId) {
    return refusal('TARGET_UNIT_INVALID', '不能转给当前持有单位自己', { toUnitId });
  }
  return null;
}

function checkDeferred(event: CaseEvent & { type: 'accept' }): CaseRefusal | null {
  const deferred = event.payload.deferred;
  if (deferred === undefined) return null;
  if (!Array.isArray(deferred.materialIds) || deferred.materialIds.length === 0) {
    return invalid('deferred.materialIds', '容缺受理须列出容缺的材料');
  }
  if (deferred.commitmentSigned !== true) {
    return invalid('deferred.commitmentSigned', '容缺受理须有申请人签署的容缺承诺书');
  }
  const due = isoDayNumber(deferred.dueDate);
  if (due === null) return invalid('deferred.dueDate', '容缺补交期限不是有效日期');
  // The device's own date is used so the verdict never changes when the hub stamps hubTime.
  const acceptedOn = isoDayNumber(chinaDateOfInstant(event.deviceTime));
  if (acceptedOn !== null && due <= acceptedOn) {
    return invalid('deferred.dueDate', '容缺补交期限须晚于受理日期');
  }
  return null;
}

function checkTerminate(
  event: CaseEvent & { type: 'terminate' },
  state: CaseState,
): CaseRefusal | null {
  if (!isText(event.payload.reason)) return invalid('reason', '终止须写明原因');
  // The applicant keeps the right to bring the materials until the promised date has passed.
  const due = isoDayNumber(state.deferred?.dueDate);
  const today = isoDayNumber(chinaDateOfInstant(event.deviceTime));
  if (due !== null && today !== null && today <= due) {
    return refusal(
      'ILLEGAL_TRANSITION',
      `容缺补交期限(${state.deferred?.dueDate ?? ''})未过，不能终止`,
      {
        status: state.status,
        type: 'terminate',
        reason: 'deferred_not_due',
      },
    );
  }
  return null;
}

export function checkPayload(event: CaseEvent, state: CaseState): CaseRefusal | null {
  const payload: unknown = event.payload;
  if (typeof payload !== 'object' || payload === null) {
    return invalid('payload', '事件内容缺失');
  }
  switch (event.type) {
    case 'receive': {
      const p = event.payload;
      if (!isText(p.matterCode)) return invalid('matterCode', '未指定办理事项');
      if (!isText(p.provisionalNo)) return invalid('provisionalNo', '缺少临时办件编号');
      if (!isText(p.applicantName)) return invalid('applicantName', '缺少申请人名称');
      return checkMaterials(p.materials, 'materials');
    }
    case 'inform_missing': {
      const items: unknown = event.payload.items;
      if (!Array.isArray(items) || items.length === 0) {
        return invalid('items', '一次性告知须一次列明全部缺少或有误的材料，不能为空');
      }
      const allNamed = (items as { name?: unknown; problem?: unknown }[]).every(
        (item) => isText(item?.name) && isText(item?.problem),
      );
      return allNamed ? null : invalid('items', '告知的每项材料都须写明名称和问题');
    }
    case 'supplement':
      return checkMaterials(event.payload.materials, 'materials');
    case 'accept':
      return checkDeferred(event);
    case 'refuse': {
      // 窗口无否决权: a refusal must say why, where to go next, and who approved it.
      const p = event.payload;
      if (!isText(p.reason)) return invalid('reason', '不予受理须写明理由');
      if (!isText(p.guidance))
        return invalid('guidance', '不予受理须写明对申请人的指引(去哪里办、带什么)');
      if (!isText(p.approverName)) return invalid('approverName', '不予受理须写明审批人');
      return null;
    }
    case 'forward':
    case 'escalate':
      return (
        checkUnitTarget(event.payload.toUnitId, state) ??
        checkMaterials(event.payload.materials, 'materials')
      );
    case 'assign':
      return isText(event.payload.toUserId) && isText(event.payload.toUserName)
        ? null
        : invalid('toUserId', '未指定代办员');
    case 'request_assistance': {
      const ids: unknown = event.payload.departmentIds;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every(isText)) {
        return invalid('departmentIds', '须至少指定一个协办部门');
      }
      if (new Set(ids).size !== ids.length) return invalid('departmentIds', '协办部门重复');
      return isText(event.payload.question) ? null : invalid('question', '须写明请协办的事项');
    }
    case 'assistance_reply': {
      const p = event.payload;
      if (p.departmentId !== event.actor.orgUnitId) {
        return refusal('WRONG_UNIT', '只能以本部门名义答复协办', { departmentId: p.departmentId });
      }
      if (!['agree', 'disagree', 'step_done'].includes(p.outcome)) {
        return invalid('outcome', '协办结论不正确');
      }
      return isText(p.opinion) ? null : invalid('opinion', '协办答复须写明意见');
    }
    case 'return_for_correction': {
      const p = event.payload;
      if (!isText(p.reason)) return invalid('reason', '退回须写明原因');
      // Which unit one level down may take it back depends on moves the hub records outside
      // the history (the case's current origin), so that rule is a new-event check
      // (topologyChecks.ts); derivation only keeps the case from being returned to its holder.
      return checkUnitTarget(p.toUnitId, state);
    }
    case 'suspend':
      return isText(event.payload.reason) && isText(event.payload.kind)
        ? null
        : invalid('reason', '中止须写明特别程序种类和原因');
    case 'extend': {
      const p = event.payload;
      if (typeof p.extraDays !== 'number' || !Number.isInteger(p.extraDays) || p.extraDays <= 0) {
        return invalid('extraDays', '延期天数须为正整数');
      }
      if (!isText(p.reason)) return invalid('reason', '延期须写明理由');
      return isText(p.approverName) ? null : invalid('approverName', '延期须写明批准人');
    }
    case 'conclude': {
      const p = event.payload;
      if (p.outcome !== 'approved' && p.outcome !== 'denied') {
        return invalid('outcome', '办结结果须为准予或不予许可');
      }
      if (!isText(p.opinion)) return invalid('opinion', '办结须写明意见');
      if (p.deliverAtUnitId !== undefined && !isText(p.deliverAtUnitId)) {
        return invalid('deliverAtUnitId', '结果送达单位不正确');
      }
      return null;
    }
    case 'deliver_result': {
      const p = event.payload;
      if (!['collected', 'posted', 'electronic'].includes(p.method)) {
        return invalid('method', '送达方式不正确');
      }
      return isText(p.recipientName) ? null : invalid('recipientName', '须写明领取或签收人');
    }
    case 'rate': {
      const level: unknown = event.payload.level;
      if (typeof level !== 'number' || !Number.isInteger(level) || level < 1 || level > 5) {
        return invalid('level', '评价等级须为1至5');
      }
      // A rating from the citizen's own screen obeys the screen's rule: a 差评 says why.
      if (event.payload.channel === 'citizen_screen') {
        const problem = ratingReasonProblem(level, event.payload.reasons, event.payload.text);
        if (problem) return invalid('reasons', problem);
      }
      return null;
    }
    case 'withdraw':
      return isText(event.payload.reason) ? null : invalid('reason', '撤回须写明原因');
    case 'terminate':
      return checkTerminate(event, state);
    case 'log':
      return isText(event.payload.text) ? null : invalid('text', '工作日志不能为空');
    case 'claim':
    case 'resume':
      return null;
  }
}
