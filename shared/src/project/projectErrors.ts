/**
 * Stable refusal codes of the project rules. The hub answers a refused project push with
 * them and the client shows the Chinese message, so a code never changes meaning.
 */

export const PROJECT_ERROR_CODES = [
  'PROJECT_UNKNOWN_EVENT_TYPE',
  'PROJECT_INVALID_EVENT',
  'PROJECT_INVALID_PAYLOAD',
  'PROJECT_ID_MISMATCH',
  'PROJECT_EVENT_ID_CONFLICT',
  'PROJECT_ACTOR_MISMATCH',
  'PROJECT_HISTORY_CONFLICT',
  'PROJECT_REGISTER_NOT_FIRST',
  'PROJECT_REGISTER_DUPLICATED',
  'PROJECT_NOT_REGISTERED',
  'PROJECT_REGISTER_FORBIDDEN',
  'PROJECT_SITE_INVALID',
  'PROJECT_CODE_INVALID',
  'PROJECT_OWNER_USCC_INVALID',
  /** A non-member wrote to the project (log, plan, link, progress). */
  'PROJECT_NOT_MEMBER',
  /** Someone other than the centre tried to set the team. */
  'PROJECT_TEAM_FORBIDDEN',
  /** The team names people in roles or units that cannot hold the slot. */
  'PROJECT_TEAM_INVALID',
  /** The approval list, timetable, stage or record changed by someone other than the centre. */
  'PROJECT_ROLE_FORBIDDEN',
  'PROJECT_MATTER_UNKNOWN',
  /** A listed matter must be one of the county's catalogue (so a case can be opened for it). */
  'PROJECT_MATTER_NOT_IN_CATALOGUE',
  'PROJECT_MATTER_DUPLICATED',
  'PROJECT_MATTER_HAS_CASE',
  'PROJECT_DEPENDENCY_CYCLE',
  'PROJECT_DEPENDENCY_UNKNOWN',
  /** Dates typed for a matter whose progress comes from its linked case. */
  'PROJECT_CASE_BACKED_DATES',
  'PROJECT_CASE_ALREADY_LINKED',
  'PROJECT_CASE_UNKNOWN',
  'PROJECT_CASE_MATTER_MISMATCH',
  'PROJECT_PLAN_ITEM_UNKNOWN',
  'PROJECT_PLAN_ITEM_DUPLICATED',
  /** 竣工 before 开工. */
  'PROJECT_TARGETS_INVALID',
  /** A 办理方式 the matter's catalogue profile does not allow (e.g. 容缺 where it is not possible). */
  'PROJECT_MODE_NOT_ALLOWED',
] as const;
export type ProjectErrorCode = (typeof PROJECT_ERROR_CODES)[number];

export interface ProjectRefusal {
  code: ProjectErrorCode;
  messageZh: string;
  details?: Readonly<Record<string, unknown>>;
}

export type ProjectResult<T> = { ok: true; value: T } | ({ ok: false } & ProjectRefusal);

export function projectRefusal(
  code: ProjectErrorCode,
  messageZh: string,
  details?: Readonly<Record<string, unknown>>,
): ProjectRefusal {
  return details === undefined ? { code, messageZh } : { code, messageZh, details };
}
