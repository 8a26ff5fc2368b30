/**
 * The RxDB collections of the desktop client. RxDB's free tier allows 13; we use 11 and keep
 * the rest for later. docs/domain-model.md explains each; docs/projects.md the projects'.
 */
import { calendarYearSchema } from './calendarYearSchema.js';
import { caseSchema } from './caseSchema.js';
import { matterSchema } from './matterSchema.js';
import { orgUnitSchema } from './orgUnitSchema.js';
import { supervisionSchema } from './supervisionSchema.js';
import { ticketSchema } from './ticketSchema.js';
import { projectSchema } from '../project/projectSchema.js';

export const RXDB_COLLECTION_LIMIT = 13;

/** Collections replicated with the hub, with the schema both sides use. */
export const REPLICATED_COLLECTIONS = {
  cases: caseSchema,
  matters: matterSchema,
  orgUnits: orgUnitSchema,
  calendars: calendarYearSchema,
  tickets: ticketSchema,
  supervision: supervisionSchema,
  /** 重点项目 (own pull/push routes; the client adds local list fields, projectsCollection.ts). */
  projects: projectSchema,
} as const;

/** Collections that never leave the device; their schemas belong to the desktop client. */
// refusals: events the hub refused, kept visibly until the user fixes or discards them.
// projectRefusals: project events the hub refused, kept visibly (desktop projectsCollection.ts).
export const LOCAL_COLLECTIONS = ['refusals', 'settings', 'session', 'projectRefusals'] as const;

export type CollectionName =
  keyof typeof REPLICATED_COLLECTIONS | (typeof LOCAL_COLLECTIONS)[number];
