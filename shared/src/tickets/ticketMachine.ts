/**
 * The follow-up of a 差评 (好差评 整改, 国办发〔2019〕51号): one fixed path
 * open → verifying (核实) → rectifying (整改) → feedback (反馈) → closed (回访),
 * one step at a time, each with a note and its actor. Closing is the call back (回访) to
 * the applicant, so it must carry the call-back result.
 *
 * Who may record: the county supervisor (督办) owns the follow-up and may record every step.
 * The county centre agent (中心代办) reviews and handles the cases and may record the
 * working steps (核实/整改/反馈) but not the call back: the call back checks the
 * rectification, so it is left to the supervisor, who did not do it [I, domain.md roles].
 *
 * Pure: the hub re-checks every step with this rule and the client uses it to offer only
 * the next step and to validate the form before sending.
 */
import type { Role } from '../org/orgTypes.js';
import { fail, ok, type Result } from '../errors/domainError.js';
import type { TicketStatus, TicketStep } from '../schemas/docTypes.js';
import { TICKET_NOTE_MAX, type CallBackResult } from '../schemas/ticketSchema.js';

export const TICKET_STATUS_LABELS: Readonly<Record<TicketStatus, string>> = {
  open: '待核实',
  verifying: '核实',
  rectifying: '整改',
  feedback: '反馈',
  closed: '回访办结',
};

export const CALL_BACK_LABELS: Readonly<Record<CallBackResult, string>> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '仍不满意',
};

const NEXT: Readonly<Record<TicketStatus, TicketStatus | null>> = {
  open: 'verifying',
  verifying: 'rectifying',
  rectifying: 'feedback',
  feedback: 'closed',
  closed: null,
};

/** The only step that may follow `status`; null once the ticket is closed. */
export function nextTicketStatus(status: TicketStatus): TicketStatus | null {
  return NEXT[status];
}

export type TicketRole = TicketStep['byRole'];

/** True for the roles that take part in a follow-up at all. */
export function isTicketRole(role: Role): role is TicketRole {
  return role === 'supervisor' || role === 'centre_agent';
}

/** Statuses `role` may record. */
export function ticketStepsAllowedFor(role: Role): readonly TicketStatus[] {
  if (role === 'supervisor') return ['verifying', 'rectifying', 'feedback', 'closed'];
  if (role === 'centre_agent') return ['verifying', 'rectifying', 'feedback'];
  return [];
}

export const TICKET_ERROR_CODES = [
  'ROLE_NOT_PERMITTED',
  'TICKET_CLOSED',
  'TICKET_STEP_OUT_OF_ORDER',
  'TICKET_NOTE_REQUIRED',
  'TICKET_NOTE_TOO_LONG',
  'TICKET_CALLBACK_REQUIRED',
  'TICKET_CALLBACK_ONLY_ON_CLOSE',
] as const;
export type TicketErrorCode = (typeof TICKET_ERROR_CODES)[number];

/** What a person asks to record; the actor and time are added by whoever applies it. */
export interface TicketStepInput {
  status: TicketStatus;
  note: string;
  callBackResult?: CallBackResult;
}

export interface TicketActor {
  userId: string;
  name: string;
  role: Role;
}

/**
 * Checks one step against the ticket's current status and the actor's role. The order of
 * the checks decides which message a person sees first: state before role before input, so
 * a closed ticket says "closed" whatever was typed.
 */
export function checkTicketStep(
  current: TicketStatus,
  input: TicketStepInput,
  role: Role,
): Result<TicketStepInput> {
  const next = nextTicketStatus(current);
  if (next === null) return fail('TICKET_CLOSED', '该差评整改工单已回访办结，不能再登记');
  if (input.status !== next) {
    return fail(
      'TICKET_STEP_OUT_OF_ORDER',
      `当前应登记「${TICKET_STATUS_LABELS[next]}」，不能登记「${TICKET_STATUS_LABELS[input.status] ?? input.status}」（可能已被他人登记，请刷新）`,
    );
  }
  if (!ticketStepsAllowedFor(role).includes(input.status)) {
    return fail(
      'ROLE_NOT_PERMITTED',
      input.status === 'closed'
        ? '只有督办人员可以登记回访并办结工单'
        : '只有督办人员或中心代办可以登记差评整改',
    );
  }
  const note = input.note.trim();
  if (!note) return fail('TICKET_NOTE_REQUIRED', `请填写${TICKET_STATUS_LABELS[next]}情况说明`);
  if (note.length > TICKET_NOTE_MAX) {
    return fail('TICKET_NOTE_TOO_LONG', `情况说明不能超过 ${TICKET_NOTE_MAX} 个字`);
  }
  if (next === 'closed' && !input.callBackResult) {
    return fail('TICKET_CALLBACK_REQUIRED', '办结前请选择回访结果');
  }
  if (next !== 'closed' && input.callBackResult !== undefined) {
    return fail('TICKET_CALLBACK_ONLY_ON_CLOSE', '回访结果只在回访办结时填写');
  }
  return ok({
    status: next,
    note,
    ...(input.callBackResult ? { callBackResult: input.callBackResult } : {}),
  });
}

/** The ticket after a checked step: status moves on, the step is appended with actor and time. */
export function applyTicketStep<T extends { status: TicketStatus; steps: TicketStep[] }>(
  ticket: T,
  input: TicketStepInput,
  actor: TicketActor,
  at: string,
): Result<T & { updatedAt: string }> {
  const checked = checkTicketStep(ticket.status, input, actor.role);
  if (!checked.ok) return checked;
  // checkTicketStep already refused other roles; the guard only narrows the type.
  if (!isTicketRole(actor.role)) return fail('ROLE_NOT_PERMITTED', '无权登记差评整改');
  const step: TicketStep = {
    ...checked.value,
    byUserId: actor.userId,
    byName: actor.name,
    byRole: actor.role,
    at,
  };
  return ok({ ...ticket, status: step.status, steps: [...ticket.steps, step], updatedAt: at });
}
