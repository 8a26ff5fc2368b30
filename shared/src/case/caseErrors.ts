/**
 * Stable refusal codes of the case machine. The hub sends them back on a refused push and
 * the client shows the Chinese message in its outbox, so codes never change meaning.
 */

export const CASE_ERROR_CODES = [
  'UNKNOWN_EVENT_TYPE',
  'RECEIVE_NOT_FIRST',
  'RECEIVE_DUPLICATED',
  'ILLEGAL_TRANSITION',
  'ROLE_NOT_PERMITTED',
  'WRONG_UNIT',
  'TARGET_UNIT_INVALID',
  'INVALID_PAYLOAD',
  'INVALID_EVENT',
  'CASE_ID_MISMATCH',
  'EVENT_ID_CONFLICT',
  'ACTOR_MISMATCH',
  'HISTORY_CONFLICT',
  'CASE_NOT_RECEIVED',
  'CASE_DOC_INCONSISTENT',
  'LATE_EVENT_NOT_HOLDER',
  'LATE_EVENT_SUPERSEDED',
  'CLAIM_DUPLICATED',
  'CASE_EVENTS_LIMIT',
  'PUSH_EVENTS_LIMIT',
] as const;
export type CaseErrorCode = (typeof CASE_ERROR_CODES)[number];

export interface CaseRefusal {
  code: CaseErrorCode;
  messageZh: string;
  details?: Readonly<Record<string, unknown>>;
}

/** Assignable to the shared Result<T> (see the tests); details say which rule refused. */
export type CaseResult<T> = { ok: true; value: T } | ({ ok: false } & CaseRefusal);

export function refusal(
  code: CaseErrorCode,
  messageZh: string,
  details?: Readonly<Record<string, unknown>>,
): CaseRefusal {
  return details === undefined ? { code, messageZh } : { code, messageZh, details };
}

export function refused<T>(reason: CaseRefusal): CaseResult<T> {
  return { ok: false, ...reason };
}
