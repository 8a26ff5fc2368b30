/**
 * Who may record which event in which status. This table is the machine's law; the effect
 * of each event on the state lives in caseMachine.ts. docs/domain-model.md shows it as a table.
 */
import type { Role } from '../org/orgTypes.js';
import type { CaseEventType, CaseStatus } from './caseTypes.js';

/**
 * - `holder`: the actor's unit holds the case (only the holding unit acts).
 * - `holder_or_origin`: also the window that received it, where the applicant walks in.
 * - `requested_department`: the actor's department has an open 协办 request.
 * - `served`: the holder, the origin, or a unit that held the case before — any window the
 *   applicant may have handed materials to while the case was on its way.
 * - `any_window`: no case yet; the receiving unit becomes origin and holder.
 */
export type UnitRule =
  'holder' | 'holder_or_origin' | 'served' | 'requested_department' | 'any_window';

export interface TransitionRule {
  /** Statuses the event is legal in; `none` means the history is still empty. */
  from: readonly (CaseStatus | 'none')[];
  roles: readonly Role[];
  unit: UnitRule;
}

/** Roles that staff a service window (村/镇/县): they receive, accept and hand cases on. */
export const WINDOW_ROLES: readonly Role[] = ['village_helper', 'town_lead', 'centre_agent'];

export const FINAL_STATUSES: readonly CaseStatus[] = [
  'not_accepted',
  'evaluated',
  'withdrawn',
  'terminated',
];

const BEFORE_CONCLUSION: readonly CaseStatus[] = [
  'received',
  'correction_required',
  'accepted',
  'accepted_deferred',
  'processing',
  'suspended',
];
const ACTIVE: readonly CaseStatus[] = ['accepted', 'accepted_deferred', 'processing'];
const HANDOFF_FROM: readonly CaseStatus[] = ['received', ...ACTIVE];
const NOT_FINAL: readonly CaseStatus[] = [
  ...BEFORE_CONCLUSION,
  'concluded_approved',
  'concluded_denied',
  'result_delivered',
];

export const TRANSITIONS: Readonly<Record<CaseEventType, TransitionRule>> = {
  receive: { from: ['none'], roles: WINDOW_ROLES, unit: 'any_window' },
  inform_missing: {
    from: ['received', 'correction_required'],
    roles: WINDOW_ROLES,
    unit: 'holder',
  },
  // A supplement records materials the applicant handed over at a window: a fact, not a
  // decision. It is compatible with every act that leaves the case open — a suspension, an
  // extension, a claim, a handoff — so a village's offline 容缺 supplement and the town's
  // offline suspension both stand, in either order; and any window that served the case may
  // record it (`served`). Against a decision that closes the intake (conclusion, refusal,
  // withdrawal, termination) the first to reach the hub wins (docs/domain-model.md).
  supplement: { from: BEFORE_CONCLUSION, roles: WINDOW_ROLES, unit: 'served' },
  accept: { from: ['received'], roles: WINDOW_ROLES, unit: 'holder' },
  refuse: { from: ['received', 'correction_required'], roles: WINDOW_ROLES, unit: 'holder' },
  forward: { from: HANDOFF_FROM, roles: ['village_helper'], unit: 'holder' },
  escalate: { from: HANDOFF_FROM, roles: ['town_lead'], unit: 'holder' },
  claim: { from: BEFORE_CONCLUSION, roles: WINDOW_ROLES, unit: 'holder' },
  assign: { from: BEFORE_CONCLUSION, roles: ['centre_agent'], unit: 'holder' },
  request_assistance: { from: ACTIVE, roles: ['centre_agent'], unit: 'holder' },
  assistance_reply: {
    from: ['accepted_deferred', 'processing', 'suspended'],
    roles: ['dept_assistant'],
    unit: 'requested_department',
  },
  return_for_correction: {
    from: HANDOFF_FROM,
    roles: ['town_lead', 'centre_agent'],
    unit: 'holder',
  },
  suspend: { from: ACTIVE, roles: WINDOW_ROLES, unit: 'holder' },
  resume: { from: ['suspended'], roles: WINDOW_ROLES, unit: 'holder' },
  extend: { from: [...ACTIVE, 'suspended'], roles: WINDOW_ROLES, unit: 'holder' },
  conclude: { from: ['accepted', 'processing'], roles: WINDOW_ROLES, unit: 'holder' },
  deliver_result: {
    from: ['concluded_approved', 'concluded_denied'],
    roles: WINDOW_ROLES,
    unit: 'holder',
  },
  rate: { from: ['result_delivered'], roles: WINDOW_ROLES, unit: 'holder' },
  withdraw: { from: BEFORE_CONCLUSION, roles: WINDOW_ROLES, unit: 'holder_or_origin' },
  terminate: { from: ['accepted_deferred'], roles: WINDOW_ROLES, unit: 'holder' },
  log: { from: NOT_FINAL, roles: WINDOW_ROLES, unit: 'holder' },
};
