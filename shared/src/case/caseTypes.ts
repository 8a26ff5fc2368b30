/**
 * The case (办件) as an append-only event history. The current state is never stored as
 * truth: it is derived from the events (see caseMachine.ts), so two offline replicas that
 * merge their histories converge on the same state.
 */
import type { EventEnvelope } from '../events/eventEnvelope.js';
import type { BadRatingReason } from '../rating/ratingRules.js';
import type { Role } from '../org/orgTypes.js';

export const CASE_STATUSES = [
  'received', // 收件: taken in, not yet formally accepted (e.g. awaiting 补正)
  'correction_required', // 补正: 一次性告知 issued or returned for correction
  'accepted', // 受理
  'accepted_deferred', // 容缺受理: accepted with deferrable materials outstanding
  'not_accepted', // 不予受理 (final)
  'processing', // 办理中
  'suspended', // 特别程序/中止: clock stopped
  'concluded_approved', // 办结(准予)
  'concluded_denied', // 办结(不予许可)
  'result_delivered', // 结果已送达
  'evaluated', // 已评价 (final)
  'withdrawn', // 撤回 (final)
  'terminated', // 终止, e.g. 容缺 date missed (final)
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_EVENT_TYPES = [
  'receive', // 收件 with materials and counts (first event of every case)
  'inform_missing', // 一次性告知: all missing/wrong items at once
  'supplement', // applicant brings missing/deferred materials
  'accept', // 受理 (optionally 容缺 with commitment due date)
  'refuse', // 不予受理: reason + guidance + approver (窗口无否决权)
  'forward', // village → town handoff (收件转办)
  'escalate', // town → centre handoff
  'claim', // a handler at the holding unit takes the case
  'assign', // centre assigns the case to a named agent
  'request_assistance', // centre asks one or more departments for 协办
  'assistance_reply', // department returns opinion / approval step
  'return_for_correction', // back one level for correction (town → village, centre → town)
  'suspend', // 特别程序 start: clock stops
  'resume', // 特别程序 end
  'extend', // 延期 with reason and extra working days
  'conclude', // 办结: approved or denied
  'deliver_result', // 结果送达 / 领取
  'rate', // 好差评
  'withdraw', // 申请人撤回
  'terminate', // 终止 (missed 容缺 date, or other reason)
  'log', // 审批工作日志 entry, no state change
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

export type ApplicantKind = 'person' | 'enterprise';
export type MaterialNecessity = 'required' | 'optional' | 'deferrable';

/** One line of the materials checklist as handed over at a counter or between levels. */
export interface MaterialReceipt {
  materialId: string;
  name: string;
  /** Originals received. */
  originals: number;
  /** Copies received. */
  copies: number;
  /** True when this item is outstanding (missing, or deferred under 容缺). */
  missing: boolean;
  /** Present when missing because deferred under 容缺. */
  deferred?: boolean;
  note?: string;
}

export type RatingLevel = 1 | 2 | 3 | 4 | 5; // 1 非常满意 … 5 非常不满意 (4 and 5 are 差评)

export interface EventPayloads {
  receive: {
    matterCode: string;
    provisionalNo: string;
    applicantKind: ApplicantKind;
    /** Display name of the applicant (person or enterprise); the full identity lives in CaseDoc.applicant. */
    applicantName: string;
    materials: MaterialReceipt[];
    /** True when the helper acts for the applicant under a signed 代办委托书. */
    agentAuthorised: boolean;
    channel: 'village_window' | 'town_window' | 'centre_window' | 'home_visit';
  };
  inform_missing: {
    items: { materialId: string; name: string; problem: string }[];
    deadlineDays?: number;
  };
  supplement: { materials: MaterialReceipt[] };
  accept: {
    /** 容缺: items accepted as deferred, with the signed commitment's due date (ISO date). */
    deferred?: { materialIds: string[]; dueDate: string; commitmentSigned: true };
  };
  refuse: { reason: string; guidance: string; approverName: string };
  forward: { toUnitId: string; materials: MaterialReceipt[]; note?: string };
  escalate: { toUnitId: string; materials: MaterialReceipt[]; note?: string };
  claim: Record<string, never>;
  assign: { toUserId: string; toUserName: string };
  request_assistance: { departmentIds: string[]; question: string; dueDays?: number };
  assistance_reply: {
    departmentId: string;
    opinion: string;
    outcome: 'agree' | 'disagree' | 'step_done';
  };
  return_for_correction: { toUnitId: string; reason: string; items?: string[] };
  suspend: { reason: string; kind: string };
  resume: { note?: string };
  extend: { reason: string; extraDays: number; approverName: string };
  conclude: {
    outcome: 'approved' | 'denied';
    opinion: string;
    resultName?: string;
    resultNo?: string;
    validUntil?: string;
    /** Where the applicant gets the result; defaults to the unit that received the case. */
    deliverAtUnitId?: string;
  };
  deliver_result: { method: 'collected' | 'posted' | 'electronic'; recipientName: string };
  rate: {
    level: RatingLevel;
    text?: string;
    /**
     * Where the rating came from. `citizen_screen`: the citizen's own rating window (the only
     * way the desktop records one since issue 16); `window` is kept for ratings recorded by the
     * clerk before that and is no longer written.
     */
    channel: 'window' | 'pad' | 'sms' | 'phone' | 'citizen_screen';
    realName: boolean;
    /** 差评 reasons the citizen ticked (rating/index.ts BAD_RATING_REASONS). */
    reasons?: BadRatingReason[];
  };
  withdraw: { reason: string };
  terminate: { reason: string };
  log: { text: string };
}

/** The shared event envelope (events/eventEnvelope.ts) of a case: its subject is `caseId`. */
interface CaseEventBase<T extends CaseEventType> extends EventEnvelope<T, EventPayloads[T]> {
  caseId: string;
}

export type CaseEvent = { [T in CaseEventType]: CaseEventBase<T> }[CaseEventType];
export type CaseEventOf<T extends CaseEventType> = CaseEventBase<T>;

/** Citizens' identity data: encrypted at rest on the client; shown masked unless the role needs it. */
export interface ApplicantIdentity {
  kind: ApplicantKind;
  name: string;
  /** Resident ID number (person) or unified social credit code (enterprise). */
  idNumber: string;
  phone: string;
  legalRepresentative?: string;
  /** Present when someone acts for the applicant (代办/委托). */
  agent?: { name: string; idNumber: string; phone: string };
}

/** Deadlines the hub computes on its own clock. */
export interface CaseDeadlines {
  /** Working day the clock started from (acceptance date, hub time), ISO date. */
  startDate: string;
  legalDue: string;
  promisedDue: string;
  /** Working days left to the promised deadline on the hub's last computation (negative = overdue). */
  promisedDaysLeft?: number;
  computedAt: string;
  /**
   * True when a due date reaches a year whose holiday table was missing: counted with
   * weekends only (暂估) and recomputed once IT imports the year. Absent means exact.
   */
  provisional?: boolean;
}

/**
 * The replicated case document. `events` is the truth; fields marked "derived" are recomputed
 * by whoever writes the document (client for offline display, hub authoritatively) and
 * never trusted from a client push.
 */
export interface CaseDoc {
  id: string;
  provisionalNo: string;
  /** Bound by the hub's workflow processor; a client may never set or change it. */
  officialNo: string | null;
  matterCode: string;
  /** Village (or town/centre window) that received the case: results flow back here. */
  originUnitId: string;
  /** Town the origin belongs to (for town-level scope). */
  townId: string;
  /** derived: unit currently holding the case. */
  holderUnitId: string;
  /** derived: user who claimed it at the holding unit, if any. */
  handlerUserId: string | null;
  /** derived: departments with an open assistance request. */
  assistingDeptIds: string[];
  /** derived */
  status: CaseStatus;
  applicantName: string;
  /** SHA-256 (hex) of the normalised ID number / USCC, so cases are searchable by ID without plaintext. */
  applicantIdDigest: string;
  applicantIdMasked: string;
  applicant: ApplicantIdentity;
  events: CaseEvent[];
  /** hub-set */
  deadlines: CaseDeadlines | null;
  /** Units that held or owned the case before and no longer do: their devices get a removal. */
  formerUnitIds: string[];
  /** ISO instant of the last change (hub time on the hub, device time on a client's local edit). */
  updatedAt: string;
  /** RxDB/CouchDB deletion marker: only used for removals from a device's scope. */
  _deleted?: boolean;
}

export type { Role };
