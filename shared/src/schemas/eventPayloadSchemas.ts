/** Payload schema per event type, mirroring EventPayloads in case/caseTypes.ts. */
import type { CaseEventType } from '../case/caseTypes.js';
import { BAD_RATING_REASONS } from '../rating/ratingRules.js';
import { idString, isoDate, materialReceiptList, requiredText, text } from './schemaParts.js';

const object = <P extends Record<string, unknown>, R extends readonly (keyof P & string)[]>(
  properties: P,
  required: R,
) => ({ type: 'object', additionalProperties: false, required, properties }) as const;

const handoff = object({ toUnitId: idString, materials: materialReceiptList, note: text }, [
  'toUnitId',
  'materials',
]);

export const EVENT_PAYLOAD_SCHEMAS = {
  receive: object(
    {
      matterCode: { type: 'string', minLength: 1, maxLength: 50 },
      provisionalNo: { type: 'string', minLength: 1, maxLength: 50 },
      applicantKind: { type: 'string', enum: ['person', 'enterprise'] },
      applicantName: requiredText,
      materials: materialReceiptList,
      agentAuthorised: { type: 'boolean' },
      channel: {
        type: 'string',
        enum: ['village_window', 'town_window', 'centre_window', 'home_visit'],
      },
    },
    [
      'matterCode',
      'provisionalNo',
      'applicantKind',
      'applicantName',
      'materials',
      'agentAuthorised',
      'channel',
    ],
  ),
  inform_missing: object(
    {
      items: {
        type: 'array',
        minItems: 1,
        maxItems: 200,
        items: object({ materialId: idString, name: requiredText, problem: requiredText }, [
          'materialId',
          'name',
          'problem',
        ]),
      },
      deadlineDays: { type: 'integer', minimum: 1, maximum: 365 },
    },
    ['items'],
  ),
  supplement: object({ materials: materialReceiptList }, ['materials']),
  accept: object(
    {
      deferred: object(
        {
          materialIds: { type: 'array', minItems: 1, maxItems: 200, items: idString },
          dueDate: isoDate,
          commitmentSigned: { const: true },
        },
        ['materialIds', 'dueDate', 'commitmentSigned'],
      ),
    },
    [],
  ),
  refuse: object({ reason: requiredText, guidance: requiredText, approverName: requiredText }, [
    'reason',
    'guidance',
    'approverName',
  ]),
  forward: handoff,
  escalate: handoff,
  claim: object({}, []),
  assign: object({ toUserId: idString, toUserName: requiredText }, ['toUserId', 'toUserName']),
  request_assistance: object(
    {
      departmentIds: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        uniqueItems: true,
        items: idString,
      },
      question: requiredText,
      dueDays: { type: 'integer', minimum: 1, maximum: 365 },
    },
    ['departmentIds', 'question'],
  ),
  assistance_reply: object(
    {
      departmentId: idString,
      opinion: requiredText,
      outcome: { type: 'string', enum: ['agree', 'disagree', 'step_done'] },
    },
    ['departmentId', 'opinion', 'outcome'],
  ),
  return_for_correction: object(
    { toUnitId: idString, reason: requiredText, items: { type: 'array', items: text } },
    ['toUnitId', 'reason'],
  ),
  suspend: object({ reason: requiredText, kind: requiredText }, ['reason', 'kind']),
  resume: object({ note: text }, []),
  extend: object(
    {
      reason: requiredText,
      extraDays: { type: 'integer', minimum: 1, maximum: 365 },
      approverName: requiredText,
    },
    ['reason', 'extraDays', 'approverName'],
  ),
  conclude: object(
    {
      outcome: { type: 'string', enum: ['approved', 'denied'] },
      opinion: requiredText,
      resultName: text,
      resultNo: text,
      validUntil: isoDate,
      deliverAtUnitId: idString,
    },
    ['outcome', 'opinion'],
  ),
  deliver_result: object(
    {
      method: { type: 'string', enum: ['collected', 'posted', 'electronic'] },
      recipientName: requiredText,
    },
    ['method', 'recipientName'],
  ),
  rate: object(
    {
      level: { type: 'integer', minimum: 1, maximum: 5 },
      text,
      channel: { type: 'string', enum: ['window', 'pad', 'sms', 'phone', 'citizen_screen'] },
      realName: { type: 'boolean' },
      reasons: {
        type: 'array',
        maxItems: BAD_RATING_REASONS.length,
        uniqueItems: true,
        items: { type: 'string', enum: [...BAD_RATING_REASONS] },
      },
    },
    ['level', 'channel', 'realName'],
  ),
  withdraw: object({ reason: requiredText }, ['reason']),
  terminate: object({ reason: requiredText }, ['reason']),
  log: object({ text: requiredText }, ['text']),
} as const satisfies Record<CaseEventType, object>;
