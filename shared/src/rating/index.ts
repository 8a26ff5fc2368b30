/**
 * 好差评 given by the citizen on their own screen (GB/T 39046 "一次一评"): the five levels,
 * the 差评 reasons to tick, and the two messages that pass between the clerk's window and the
 * citizen's rating window (Electron IPC through main, or postMessage between two browser
 * windows). Both messages are schema-checked on arrival; the rating event the clerk's window
 * then writes carries `channel: 'citizen_screen'`, so the figures show who produced it.
 */
import { DomainError, type Result } from '../errors/domainError.js';
import { makeDocValidator } from '../schemas/schemaValidator.js';
import * as compiled from '../schemas/compiledValidators.js';
import type { EventPayloads, RatingLevel } from '../case/caseTypes.js';
import { BAD_RATING_REASONS, ratingReasonProblem, type BadRatingReason } from './ratingRules.js';

export * from './ratingRules.js';

/** Clerk's window → rating window: which case the citizen is rating (nothing else shown). */
export interface RatingRequest {
  kind: 'rating-request';
  sessionId: string;
  caseId: string;
  provisionalNo: string;
  matterName: string;
  unitName: string;
}

/** Rating window → clerk's window: what the citizen chose. */
export interface RatingSubmission {
  kind: 'rating-submit';
  sessionId: string;
  caseId: string;
  level: RatingLevel;
  reasons: BadRatingReason[];
  text?: string;
  realName: boolean;
}

const id = { type: 'string', minLength: 1, maxLength: 140 } as const;
const label = { type: 'string', minLength: 1, maxLength: 200 } as const;

export const ratingRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'sessionId', 'caseId', 'provisionalNo', 'matterName', 'unitName'],
  properties: {
    kind: { const: 'rating-request' },
    sessionId: id,
    caseId: id,
    provisionalNo: label,
    matterName: label,
    unitName: label,
  },
} as const;

export const ratingSubmissionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'sessionId', 'caseId', 'level', 'reasons', 'realName'],
  properties: {
    kind: { const: 'rating-submit' },
    sessionId: id,
    caseId: id,
    level: { type: 'integer', minimum: 1, maximum: 5 },
    reasons: {
      type: 'array',
      maxItems: BAD_RATING_REASONS.length,
      uniqueItems: true,
      items: { type: 'string', enum: [...BAD_RATING_REASONS] },
    },
    text: { type: 'string', maxLength: 500 },
    realName: { type: 'boolean' },
  },
} as const;

const checkRequest = makeDocValidator<RatingRequest>(compiled.ratingRequest, '评价请求');
const checkSubmission = makeDocValidator<RatingSubmission>(compiled.ratingSubmission, '评价结果');

export const RATING_MESSAGE_INVALID = 'RATING_MESSAGE_INVALID';

function parse<T>(check: (v: unknown) => Result<T>, value: unknown): T {
  const r = check(value);
  if (!r.ok) throw new DomainError(RATING_MESSAGE_INVALID, r.messageZh, {});
  return r.value;
}

/** The request as received by the rating window (throws RATING_MESSAGE_INVALID). */
export const parseRatingRequest = (v: unknown): RatingRequest => parse(checkRequest, v);

/**
 * The citizen's rating as received by the clerk's window: the schema, then the rule that a
 * 差评 says why (a ticked reason or a few words) and only a 差评 carries reasons.
 */
export function parseRatingSubmission(v: unknown): RatingSubmission {
  const s = parse(checkSubmission, v);
  const problem = ratingReasonProblem(s.level, s.reasons, s.text);
  if (problem) throw new DomainError(RATING_MESSAGE_INVALID, problem, {});
  return s;
}

/** The `rate` event payload the clerk's window writes for the citizen's choice. */
export function ratePayloadOf(s: RatingSubmission): EventPayloads['rate'] {
  const text = s.text?.trim();
  return {
    level: s.level,
    channel: 'citizen_screen',
    realName: s.realName,
    ...(s.reasons.length > 0 ? { reasons: [...s.reasons] } : {}),
    ...(text ? { text } : {}),
  };
}
