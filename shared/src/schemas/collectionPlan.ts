/**
 * The RxDB collections of the desktop client. RxDB's free tier allows 13; we use 9 and keep
 * the rest for later. docs/domain-model.md explains each.
 */
import { calendarYearSchema } from './calendarYearSchema.js';
import { caseSchema } from './caseSchema.js';
import { matterSchema } from './matterSchema.js';
import { orgUnitSchema } from './orgUnitSchema.js';
import { supervisionSchema } from './supervisionSchema.js';
import { ticketSchema } from './ticketSchema.js';

export const RXDB_COLLECTION_LIMIT = 13;

/** Collections replicated with the hub, with the schema both sides use. */
export const REPLICATED_COLLECTIONS = {
  cases: caseSchema,
  matters: matterSchema,
  orgUnits: orgUnitSchema,
  calendars: calendarYearSchema,
  tickets: ticketSchema,
  supervision: supervisionSchema,
} as const;

/** Collections that never leave the device; their schemas belong to the desktop client. */
// refusals: events the hub refused, kept visibly until the user fixes or discards them.
export const LOCAL_COLLECTIONS = ['refusals', 'settings', 'session'] as const;

export type CollectionName =
  keyof typeof REPLICATED_COLLECTIONS | (typeof LOCAL_COLLECTIONS)[number];
