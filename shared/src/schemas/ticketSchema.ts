/** The `tickets` collection: follow-up of a 差评 (verify → rectify → feedback → close). */
import { idString, isoDate, isoInstant, requiredText } from './schemaParts.js';

export const TICKET_STATUSES = ['open', 'verifying', 'rectifying', 'feedback', 'closed'] as const;

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
        required: ['status', 'note', 'byUserId', 'at'],
        properties: {
          status: { type: 'string', enum: [...TICKET_STATUSES] },
          note: requiredText,
          byUserId: idString,
          at: isoInstant,
        },
      },
    },
  },
  indexes: ['caseId', ['status', 'updatedAt'], 'updatedAt'],
} as const;
