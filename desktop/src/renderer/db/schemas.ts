import type { RxJsonSchema } from 'rxdb';
import type { CaseDoc } from '@sibantong/shared';
import type { LocalMatter, LocalOrgUnit, RefusalDoc, RefDoc } from './docTypes';
import { DUE_LENGTH, OFFICIAL_KEY_LENGTH, RECENCY_LENGTH, withLocalFields } from './localFields';

/**
 * Local RxDB schemas. No validator plugin is wrapped around the storage (validation happens in
 * the shared domain code before a write, and again on the hub), so reference documents may
 * carry more fields than listed here. `applicant` and refusal snapshots are encrypted at rest.
 *
 * The case schema carries the indexes every list and search queries by (see docs/client.md,
 * "Local queries"): an indexed field must be `required` and, for a string, have a `maxLength`
 * (Dexie builds a fixed-width index key from it). Nullable fields (`officialNo`,
 * `handlerUserId`) cannot be indexed. Version 1 added the indexes; version 2 adds the local
 * fields `open` and `recency` (`localFields.ts`) and indexes each list in the list's own order
 * (`recency` ascending = newest first), so that `limit` stops the read. Both migrations keep
 * every document; version 2 only adds the two derived fields. Version 3 adds the derived
 * `due` (the promised date, for the deadline lists) and `officialKey` (the official number
 * as an indexable string), with their indexes.
 */
export const caseSchema = {
  version: 3,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 120 },
    provisionalNo: { type: 'string', maxLength: 50 },
    officialNo: { type: ['string', 'null'] },
    matterCode: { type: 'string' },
    originUnitId: { type: 'string', maxLength: 100 },
    townId: { type: 'string', maxLength: 100 },
    holderUnitId: { type: 'string', maxLength: 100 },
    handlerUserId: { type: ['string', 'null'] },
    assistingDeptIds: { type: 'array', items: { type: 'string' } },
    status: { type: 'string', maxLength: 32 },
    // Index keys are padded to maxLength; longer names still sort and match by their prefix.
    applicantName: { type: 'string', maxLength: 100 },
    applicantIdDigest: { type: 'string', maxLength: 64 },
    applicantIdMasked: { type: 'string' },
    applicant: { type: 'object' },
    events: { type: 'array', items: { type: 'object' } },
    deadlines: { type: ['object', 'null'] },
    formerUnitIds: { type: 'array', items: { type: 'string' } },
    updatedAt: { type: 'string', maxLength: 40 },
    // Local only (never pushed): see localFields.ts.
    open: { type: 'boolean' },
    recency: { type: 'string', maxLength: RECENCY_LENGTH },
    due: { type: 'string', maxLength: DUE_LENGTH },
    officialKey: { type: 'string', maxLength: OFFICIAL_KEY_LENGTH },
  },
  required: [
    'id',
    'events',
    'provisionalNo',
    'originUnitId',
    'townId',
    'holderUnitId',
    'status',
    'applicantName',
    'applicantIdDigest',
    'updatedAt',
    'open',
    'recency',
    'due',
    'officialKey',
  ],
  indexes: [
    ['holderUnitId', 'open', 'recency'],
    ['holderUnitId', 'status', 'recency'],
    ['townId', 'open', 'recency'],
    ['status', 'recency'],
    ['open', 'recency'],
    ['open', 'due', 'recency'],
    ['originUnitId', 'recency'],
    'provisionalNo',
    'officialKey',
    'applicantName',
    'applicantIdDigest',
    'recency',
  ],
  encrypted: ['applicant'],
} as unknown as RxJsonSchema<CaseDoc>;

/**
 * Version 0 had the same fields without indexes: nothing to transform. Versions 2 and 3 add
 * derived local fields (nothing is dropped).
 */
export const caseMigrationStrategies = {
  1: (doc: CaseDoc) => doc,
  2: (doc: CaseDoc) => withLocalFields(doc),
  3: (doc: CaseDoc) => withLocalFields(doc),
};

const refSchema = <T extends { id: string }>(): RxJsonSchema<T> =>
  ({
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties: { id: { type: 'string', maxLength: 200 } },
    required: ['id'],
  }) as unknown as RxJsonSchema<T>;

export const matterSchema = refSchema<LocalMatter>();
export const orgUnitSchema = refSchema<LocalOrgUnit>();
export const calendarSchema = refSchema<RefDoc>();
export const ticketSchema = refSchema<RefDoc>();

export const refusalSchema: RxJsonSchema<RefusalDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 200 },
    caseId: { type: 'string' },
    provisionalNo: { type: 'string' },
    code: { type: 'string' },
    message: { type: 'string' },
    refusedEventIds: { type: 'array', items: { type: 'string' } },
    refusedEventTypes: { type: 'array', items: { type: 'string' } },
    caseSnapshot: { type: 'object' },
    createdAt: { type: 'string' },
    state: { type: 'string' },
    resolvedAt: { type: ['string', 'null'] },
  },
  required: ['id', 'caseId'],
  encrypted: ['caseSnapshot'],
};
