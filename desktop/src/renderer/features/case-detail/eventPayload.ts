import dayjs, { type Dayjs } from 'dayjs';
import type {
  CaseDoc,
  CaseEvent,
  CaseEventType,
  EventPayloads,
  MaterialReceipt,
  SessionUser,
} from '@sibantong/shared';
import type { OrgIndex } from '../../hooks/useReference';

export type FormValues = Record<string, unknown>;

export interface PayloadContext {
  doc: CaseDoc;
  org: OrgIndex;
  user: SessionUser;
  /** The case's materials as they stand now (handed on with 转办/上报, picked for 补交). */
  materials: readonly MaterialReceipt[];
  /** Where a 退回 goes (availableActions' target); absent when none is valid. */
  returnTo?: string;
}

/** Action types that have a form (ActionFields); others are not offered as buttons. */
export const FORM_ACTIONS: ReadonlySet<CaseEventType> = new Set<CaseEventType>([
  'claim',
  'accept',
  'forward',
  'escalate',
  'request_assistance',
  'assistance_reply',
  'return_for_correction',
  'suspend',
  'resume',
  'extend',
  'conclude',
  'deliver_result',
  'inform_missing',
  'supplement',
  'refuse',
  'withdraw',
  'terminate',
  'log',
]);

const s = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * The payload an action form describes, or a Chinese message when something outside the form
 * (the org tree) is missing. The form's own rules have already checked the fields.
 */
export function payloadFromForm(
  type: CaseEventType,
  v: FormValues,
  ctx: PayloadContext,
): EventPayloads[CaseEventType] | string {
  const { doc, org, user, materials } = ctx;
  switch (type) {
    case 'claim':
    case 'accept':
      return {};
    case 'forward': {
      const town = doc.townId || org.parentOf(doc.originUnitId)?.id;
      if (!town) return '找不到所属镇街，请先联网同步组织架构';
      return {
        toUnitId: town,
        materials: [...materials],
        ...(s(v.note) ? { note: s(v.note) } : {}),
      };
    }
    case 'escalate':
      if (!org.county) return '找不到县级中心，请先联网同步组织架构';
      return {
        toUnitId: org.county.id,
        materials: [...materials],
        ...(s(v.note) ? { note: s(v.note) } : {}),
      };
    case 'request_assistance':
      return {
        departmentIds: v.departmentIds as string[],
        question: s(v.question),
        ...(typeof v.dueDays === 'number' ? { dueDays: v.dueDays } : {}),
      };
    case 'assistance_reply':
      return {
        departmentId: user.orgUnitId,
        opinion: s(v.opinion),
        outcome: v.outcome as 'agree' | 'disagree' | 'step_done',
      };
    case 'return_for_correction':
      if (!ctx.returnTo) return '本件此前没有经手的下级单位，无法退回';
      return { toUnitId: ctx.returnTo, reason: s(v.reason) };
    case 'suspend':
      return { reason: s(v.reason), kind: s(v.kind) };
    case 'resume':
      return s(v.note) ? { note: s(v.note) } : {};
    case 'extend':
      return {
        reason: s(v.reason),
        extraDays: v.extraDays as number,
        approverName: s(v.approverName),
      };
    case 'conclude':
      return {
        outcome: v.outcome as 'approved' | 'denied',
        opinion: s(v.opinion),
        ...(s(v.resultName) ? { resultName: s(v.resultName) } : {}),
        ...(s(v.resultNo) ? { resultNo: s(v.resultNo) } : {}),
        ...(dayjs.isDayjs(v.validUntil)
          ? { validUntil: (v.validUntil as Dayjs).format('YYYY-MM-DD') }
          : {}),
        deliverAtUnitId: doc.originUnitId,
      };
    case 'deliver_result':
      return {
        method: v.method as 'collected' | 'posted' | 'electronic',
        recipientName: s(v.recipientName),
      };
    case 'inform_missing':
      return {
        items: (v.items as string[]).map((name) => ({
          materialId: materials.find((m) => m.name === name)?.materialId ?? name,
          name,
          problem: s(v.problem) || '未提供',
        })),
        deadlineDays: 5,
      };
    case 'supplement':
      return {
        materials: (v.items as string[]).map((name) => ({
          materialId: materials.find((m) => m.name === name)?.materialId ?? name,
          name,
          originals: 1,
          copies: 0,
          missing: false,
        })),
      };
    case 'refuse':
      return { reason: s(v.reason), guidance: s(v.guidance), approverName: s(v.approverName) };
    case 'withdraw':
    case 'terminate':
      return { reason: s(v.reason) };
    case 'log':
      return { text: s(v.text) };
    default:
      return '暂不支持此操作';
  }
}

/** The form values that describe an event already recorded: to correct a refused one. */
export function formValuesOf(e: CaseEvent): FormValues {
  const p = e.payload as unknown as Record<string, unknown>;
  switch (e.type) {
    case 'inform_missing':
      return {
        items: e.payload.items.map((i) => i.name),
        problem: e.payload.items[0]?.problem ?? '',
      };
    case 'supplement':
      return { items: e.payload.materials.map((m) => m.name) };
    case 'conclude':
      return {
        ...p,
        validUntil: e.payload.validUntil ? dayjs(e.payload.validUntil) : undefined,
      };
    default:
      return { ...p };
  }
}
