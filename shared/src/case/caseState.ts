/** The state of a case as derived from its events; never stored as truth. */
import type { CaseStatus, MaterialReceipt, RatingLevel } from './caseTypes.js';
import type { CaseErrorCode } from './caseErrors.js';

export interface DeferredMaterials {
  /** 容缺 items still outstanding. */
  materialIds: string[];
  /** ISO date promised in the signed 容缺承诺书. */
  dueDate: string;
  acceptEventId: string;
}

/** One 特别程序 period; `endedAt` stays null while the case is suspended. */
export interface SuspensionPeriod {
  suspendEventId: string;
  resumeEventId: string | null;
  kind: string;
  reason: string;
  /** hubTime when known, else the device's time: the clock the deadline code should use. */
  startedAt: string;
  endedAt: string | null;
}

export interface CaseConclusion {
  eventId: string;
  outcome: 'approved' | 'denied';
  opinion: string;
  handlerUserId: string;
  at: string;
  resultName?: string;
  resultNo?: string;
  validUntil?: string;
  deliverAtUnitId: string;
}

export interface CaseRating {
  eventId: string;
  level: RatingLevel;
  realName: boolean;
  channel: string;
  text?: string;
  at: string;
}

export interface VoidedEvent {
  eventId: string;
  code: CaseErrorCode;
  messageZh: string;
}

export interface CaseState {
  caseId: string | null;
  /** null until a valid `receive`. */
  status: CaseStatus | null;
  matterCode: string | null;
  provisionalNo: string | null;
  originUnitId: string | null;
  holderUnitId: string | null;
  handlerUserId: string | null;
  /** Departments with an open 协办 request. */
  assistingDeptIds: string[];
  /** Every department ever asked, replied or not. */
  requestedDeptIds: string[];
  /** Units that held the case before its current holder, oldest first (for 退回). */
  previousHolderUnitIds: string[];
  acceptedAt: string | null;
  /** True once someone started work after acceptance; decides accepted vs processing. */
  workStarted: boolean;
  /** Status to go back to on `resume`. */
  statusBeforeSuspend: CaseStatus | null;
  deferred: DeferredMaterials | null;
  suspensions: SuspensionPeriod[];
  extensionDaysTotal: number;
  conclusion: CaseConclusion | null;
  deliveredAt: string | null;
  rating: CaseRating | null;
  /** Materials checklist: latest line per material, in first-seen order. */
  materials: MaterialReceipt[];
  appliedEventIds: string[];
  voidEvents: VoidedEvent[];
  voidEventIds: string[];
  maxLamport: number;
}

export function initialCaseState(): CaseState {
  return {
    caseId: null,
    status: null,
    matterCode: null,
    provisionalNo: null,
    originUnitId: null,
    holderUnitId: null,
    handlerUserId: null,
    assistingDeptIds: [],
    requestedDeptIds: [],
    previousHolderUnitIds: [],
    acceptedAt: null,
    workStarted: false,
    statusBeforeSuspend: null,
    deferred: null,
    suspensions: [],
    extensionDaysTotal: 0,
    conclusion: null,
    deliveredAt: null,
    rating: null,
    materials: [],
    appliedEventIds: [],
    voidEvents: [],
    voidEventIds: [],
    maxLamport: 0,
  };
}
