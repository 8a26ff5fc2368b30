/**
 * The envelope every replicated event carries, cases' and projects' alike: `id` =
 * `${deviceId}:${counter}` (unique without coordination), the subject's id (`caseId`,
 * `projectId`), the type, a Lamport clock, the actor, the device, the device's time, the hub's
 * time stamped on receipt, and the payload. One JSON-schema builder, one type and one check,
 * so the two histories cannot drift apart (the review's finding on issue 11).
 *
 * The schema builder keeps the exact property and `required` order the collections had, so the
 * RxDB schema hashes pinned in desktop/test/renderer/localSchemas.test.ts do not change.
 */
import type { Actor } from '../org/orgTypes.js';
import { actorSchema, idString, isoInstant } from '../schemas/schemaParts.js';

export interface EventEnvelope<T extends string, P> {
  /** `${deviceId}:${counter}`, minted by the device. */
  id: string;
  type: T;
  /**
   * Lamport clock: 1 + the highest `lamport` in the history the device saw when it wrote this
   * event. Events are ordered by (lamport, id), which every replica computes alike.
   */
  lamport: number;
  actor: Actor;
  deviceId: string;
  /** The writing device's clock (informative; never trusted for deadlines). */
  deviceTime: string;
  /** Stamped by the hub on receipt. */
  hubTime?: string;
  payload: P;
}

/** The JSON schema of an event whose subject id is `subjectKey`, payload checked per type. */
export function eventEnvelopeSchema<K extends string>(
  subjectKey: K,
  types: readonly string[],
  payloadSchemas: Readonly<Record<string, object>>,
) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['id', subjectKey, 'type', 'lamport', 'actor', 'deviceId', 'deviceTime', 'payload'],
    properties: {
      id: { type: 'string', minLength: 3, maxLength: 140 },
      [subjectKey]: idString,
      type: { type: 'string', enum: [...types] },
      lamport: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
      actor: actorSchema,
      deviceId: idString,
      deviceTime: isoInstant,
      hubTime: isoInstant,
      payload: { type: 'object' },
    },
    allOf: types.map((type) => ({
      if: { properties: { type: { const: type } } },
      then: { properties: { payload: payloadSchemas[type] } },
    })),
  } as const;
}

export type EnvelopeProblem = 'lamport' | 'id' | 'device_time';

export const ENVELOPE_PROBLEM_MESSAGES_ZH: Readonly<Record<EnvelopeProblem, string>> = {
  lamport: '事件的逻辑时钟(lamport)须为正整数',
  id: '事件缺少编号',
  device_time: '事件缺少有效的设备时间',
};

/**
 * What is wrong with an event's envelope, in the order both machines check it; null when
 * nothing is. Each machine maps the problem to its own code (INVALID_EVENT,
 * PROJECT_INVALID_EVENT) with the shared message.
 */
export function envelopeProblem(event: {
  lamport?: unknown;
  id?: unknown;
  deviceTime?: unknown;
}): EnvelopeProblem | null {
  const lamport = event.lamport;
  if (typeof lamport !== 'number' || !Number.isInteger(lamport) || lamport < 1) return 'lamport';
  if (typeof event.id !== 'string' || event.id.length === 0) return 'id';
  if (typeof event.deviceTime !== 'string' || Number.isNaN(Date.parse(event.deviceTime)))
    return 'device_time';
  return null;
}
