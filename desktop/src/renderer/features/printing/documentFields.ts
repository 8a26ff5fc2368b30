/**
 * The values a window document is filled with, read from the case's events as the shared
 * state machine applied them (voided events never reach a paper). Pure: the templates
 * (documentTemplates.ts) name these fields, the one renderer (DocumentSheet.tsx) fills them.
 */
import {
  chinaDate,
  chinaDateTime,
  deriveCaseState,
  maskIdNumber,
  type CaseDoc,
  type CaseEvent,
  type CaseEventType,
  type CaseState,
  type EventPayloads,
  type MaterialReceipt,
} from '@sibantong/shared';

export interface DocumentContext {
  matterName: string;
  /** The unit issuing the paper (the user's unit). */
  unitName: string;
  /** The clerk issuing it. */
  staffName: string;
  promisedDue: string | null;
  unitNameOf: (unitId: string) => string;
  now: Date;
}

/** One line of the 一次性告知单: a material that is missing or wrong, and what is wrong. */
export interface CorrectionItem {
  materialId: string;
  name: string;
  problem: string;
}

export interface DocumentData {
  state: CaseState;
  fields: Readonly<Record<string, string>>;
  materials: readonly MaterialReceipt[];
  /** Everything the applicant still has to bring, told at once (一次性告知). */
  corrections: readonly CorrectionItem[];
  /** Text of the QR code (the case number the public query takes). */
  qr: string;
}

const DELIVER_METHODS_ZH = { collected: '现场领取', posted: '邮寄', electronic: '电子送达' };

export function documentData(doc: CaseDoc, ctx: DocumentContext): DocumentData {
  const state = deriveCaseState(doc.events);
  const voided = new Set(state.voidEventIds);
  const last = <T extends CaseEventType>(type: T) =>
    doc.events.findLast((e) => e.type === type && !voided.has(e.id)) as
      (CaseEvent & { type: T; payload: EventPayloads[T] }) | undefined;
  const at = (e: CaseEvent | undefined) => (e ? chinaDateTime(e.hubTime ?? e.deviceTime) : '');
  const day = (e: CaseEvent | undefined) => (e ? chinaDate(e.hubTime ?? e.deviceTime) : '');

  const receive = last('receive');
  const accept = last('accept');
  const refuse = last('refuse');
  const conclude = last('conclude');
  const deliver = last('deliver_result');
  const terminate = last('terminate');
  const withdraw = last('withdraw');
  const informs = doc.events.filter(
    (e): e is CaseEvent & { type: 'inform_missing'; payload: EventPayloads['inform_missing'] } =>
      e.type === 'inform_missing' && !voided.has(e.id),
  );
  const lastInform = informs.at(-1);
  // The items missing at receipt (容缺 ones named as such), then what each 告知 said of an item:
  // the paper lists every problem once, so the applicant never comes back for the same reason.
  const corrections = new Map<string, CorrectionItem>();
  for (const m of receive?.payload.materials ?? [])
    if (m.missing)
      corrections.set(m.materialId, {
        materialId: m.materialId,
        name: m.name,
        problem: m.deferred ? '容缺后补' : '未提供',
      });
  for (const i of informs)
    for (const { materialId, name, problem } of i.payload.items)
      corrections.set(materialId, { materialId, name, problem });
  const byId = new Map(state.materials.map((m) => [m.materialId, m.name]));
  const deferredNames = (accept?.payload.deferred?.materialIds ?? []).map(
    (id) => byId.get(id) ?? id,
  );
  const agencyEnd =
    state.status === 'terminated'
      ? `终止办理（${terminate?.payload.reason ?? ''}）`
      : state.status === 'withdrawn'
        ? `申请人撤回（${withdraw?.payload.reason ?? ''}）`
        : state.status === 'not_accepted'
          ? `不予受理（${refuse?.payload.reason ?? ''}）`
          : conclude
            ? `已办结：${conclude.payload.outcome === 'approved' ? '准予' : '不予许可'}`
            : '';
  const fields: Record<string, string> = {
    provisionalNo: doc.provisionalNo,
    officialNo: doc.officialNo ?? '待中心赋号',
    caseNo: doc.officialNo ?? doc.provisionalNo,
    matterName: ctx.matterName,
    applicantName: doc.applicantName,
    applicantIdMasked: doc.applicantIdMasked || maskIdNumber(doc.applicant.idNumber ?? ''),
    unitName: ctx.unitName,
    originUnitName: ctx.unitNameOf(doc.originUnitId),
    staffName: ctx.staffName,
    today: chinaDate(ctx.now),
    receivedAt: at(receive),
    receivedDay: day(receive),
    receivedBy: receive?.actor.name ?? '',
    acceptedDay: day(accept),
    acceptedAt: at(accept),
    acceptedBy: accept?.actor.name ?? '',
    acceptUnitName: accept ? ctx.unitNameOf(accept.actor.orgUnitId) : '',
    officialNoIssued: doc.officialNo ?? '',
    informUnitName: ctx.unitNameOf((lastInform ?? receive)?.actor.orgUnitId ?? doc.originUnitId),
    informedBy: (lastInform ?? receive)?.actor.name ?? '',
    informedDay: day(lastInform ?? receive),
    correctionDays: String(informs.find((i) => i.payload.deadlineDays)?.payload.deadlineDays ?? ''),
    promisedDue: ctx.promisedDue ?? '以正式受理后告知为准',
    refuseReason: refuse?.payload.reason ?? '',
    refuseGuidance: refuse?.payload.guidance ?? '',
    refuseApprover: refuse?.payload.approverName ?? '',
    refusedDay: day(refuse),
    deferredItems: deferredNames.join('、'),
    deferredDue: accept?.payload.deferred?.dueDate ?? '',
    agentName: doc.applicant.agent?.name ?? '',
    agentIdMasked: doc.applicant.agent ? maskIdNumber(doc.applicant.agent.idNumber) : '',
    agencyOutcome: agencyEnd,
    agencyEndDay: day(terminate ?? withdraw ?? deliver ?? conclude ?? refuse),
    conclusion:
      conclude === undefined ? '' : conclude.payload.outcome === 'approved' ? '准予' : '不予许可',
    conclusionOpinion: conclude?.payload.opinion ?? '',
    resultName: conclude?.payload.resultName ?? '',
    resultNo: conclude?.payload.resultNo ?? '',
    concludedDay: day(conclude),
    deliverUnitName: ctx.unitNameOf(conclude?.payload.deliverAtUnitId ?? doc.originUnitId),
    deliverMethod: deliver ? DELIVER_METHODS_ZH[deliver.payload.method] : '',
    recipientName: deliver?.payload.recipientName ?? '',
    deliveredDay: day(deliver),
  };
  return {
    state,
    fields,
    materials: state.materials,
    corrections: [...corrections.values()],
    qr: doc.provisionalNo,
  };
}

/** `{field}` placeholders filled from the fields; an unknown or empty field leaves a blank line. */
export function fillText(text: string, fields: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => fields[k] || '＿＿＿＿');
}
