/** The `tickets` collection: follow-up of a 差评 (verify → rectify → feedback → close). */
import { idString, isoDate, isoInstant, requiredText } from './schemaParts.js';

export const TICKET_STATUSES = ['open', 'verifying', 'rectifying', 'feedback', 'closed'] as const;
/** Result of the call back (回访) that closes a ticket. */
export const CALL_BACK_RESULTS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type CallBackResult = (typeof CALL_BACK_RESULTS)[number];
/** A step's note: long enough for a rectification report, short enough to read on screen. */
export const TICKET_NOTE_MAX = 500;

export const ticketSchema = {
  title: 'ticket',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'caseId',
    'ratingEventId',
    'level',
    'status',
    'dueDate',
    'createdAt',
    'updatedAt',
    'steps',
  ],
  properties: {
    id: idString,
    caseId: idString,
    ratingEventId: { type: 'string', minLength: 1, maxLength: 140 },
    /** Only 差评 open a ticket: 4 不满意, 5 非常不满意. */
    level: { type: 'integer', enum: [4, 5] },
    status: { type: 'string', enum: [...TICKET_STATUSES], maxLength: 12 },
    dueDate: isoDate,
    createdAt: isoInstant,
    updatedAt: isoInstant,
    steps: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['status', 'note', 'byUserId', 'byName', 'byRole', 'at'],
        properties: {
          status: { type: 'string', enum: [...TICKET_STATUSES] },
          note: { type: 'string', minLength: 1, maxLength: TICKET_NOTE_MAX },
          byUserId: idString,
          byName: requiredText,
          byRole: { type: 'string', enum: ['supervisor', 'centre_agent'] },
          /** Only on the closing step (rule: shared/src/tickets/ticketMachine.ts). */
          callBackResult: { type: 'string', enum: [...CALL_BACK_RESULTS] },
          at: isoInstant,
        },
      },
    },
  },
  indexes: ['caseId', ['status', 'updatedAt'], 'updatedAt'],
} as const;
