import type { RxJsonSchema } from 'rxdb';
import {
  CASE_ENCRYPTED_FIELDS,
  calendarYearSchema,
  caseSchema as sharedCaseSchema,
  matterSchema as sharedMatterSchema,
  orgUnitSchema as sharedOrgUnitSchema,
  ticketSchema as sharedTicketSchema,
  type CaseDoc,
} from '@sibantong/shared';
import type { LocalMatter, LocalOrgUnit, RefusalDoc, RefDoc } from './docTypes';
import { DUE_LENGTH, OFFICIAL_KEY_LENGTH, RECENCY_LENGTH, withLocalFields } from './localFields';

/**
 * Local RxDB schemas, built from the shared JSON schemas (@sibantong/shared `schemas/`) that the
 * hub validates every push with: the properties, their types, patterns and `required` are the
 * shared objects themselves. The client adds only what is local: the derived index fields of a
 * case (`localFields.ts`), the indexes its lists read by, and which fields are encrypted at rest.
 * No validator plugin wraps the storage: the shared checks run before a write instead
 * (`caseWrites.ts`: the schema and `validateNewEvents`, as the hub runs them on push).
 *
 * An indexed field must be `required` and, for a string, have a `maxLength` (Dexie builds a
 * fixed-width index key from it); nullable fields (`officialNo`, `handlerUserId`) cannot be
 * indexed. Any change to a shared schema changes the local schema's hash, so the version
 * here must go up with a migration (test/renderer/localSchemas.test.ts pins the hashes).
 *
 * Case schema history (every migration keeps every document):
 * 1 added the indexes; 2 the local fields `open` and `recency`, each list indexed in its own
 * order (`recency` ascending = newest first, so `limit` stops the read); 3 the derived `due`
 * and `officialKey` with their indexes; 4 the shared schema's properties (patterns of the
 * contact phone and masked ID, the deadlines' `provisional` flag) instead of a loose copy; 5 the
 * rating from the citizen's screen (`rate` payload: channel `citizen_screen`, 差评 reasons).
 */

/** Fields of a case the device stores for its own indexes only (never pushed). */
const LOCAL_CASE_PROPERTIES = {
  open: { type: 'boolean' },
  recency: { type: 'string', maxLength: RECENCY_LENGTH },
  due: { type: 'string', maxLength: DUE_LENGTH },
  officialKey: { type: 'string', maxLength: OFFICIAL_KEY_LENGTH },
} as const;

/** The indexes behind every case list and search (db/caseQueries.ts, docs/client.md). */
const CASE_LIST_INDEXES = [
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
];

interface SharedSchema {
  properties: Record<string, unknown>;
  required?: readonly string[];
}

/**
 * A local schema from a shared one: same properties and required fields, plus local ones.
 * JSON-cloned so RxDB's in-place defaults never touch the shared objects.
 */
function fromShared<T>(
  shared: SharedSchema,
  local: {
    version: number;
    properties?: Record<string, unknown>;
    /** Narrower index keys for long text fields (the key of every row is padded to it). */
    indexWidths?: Record<string, number>;
    indexes?: (string | string[])[];
    encrypted?: readonly string[];
  },
): RxJsonSchema<T> {
  const base = JSON.parse(JSON.stringify(shared)) as SharedSchema & Record<string, unknown>;
  const extra = Object.keys(local.properties ?? {});
  for (const [field, maxLength] of Object.entries(local.indexWidths ?? {}))
    base.properties[field] = { ...(base.properties[field] as object), maxLength };
  return {
    ...base,
    version: local.version,
    properties: { ...base.properties, ...local.properties },
    required: [...(base.required ?? []), ...extra],
    ...(local.indexes ? { indexes: local.indexes } : {}),
    ...(local.encrypted ? { encrypted: [...local.encrypted] } : {}),
  } as unknown as RxJsonSchema<T>;
}

export const caseSchema = fromShared<CaseDoc>(sharedCaseSchema, {
  version: 5,
  properties: LOCAL_CASE_PROPERTIES,
  // The hub allows names up to 2,000 characters; the search index keys the first 100
  // (longer names still sort and match by that prefix), as it did before version 4.
  indexWidths: { applicantName: 100 },
  indexes: CASE_LIST_INDEXES,
  encrypted: CASE_ENCRYPTED_FIELDS,
});

/** Each version adds or recomputes derived local fields; nothing is dropped. */
export const caseMigrationStrategies = {
  1: (doc: CaseDoc) => doc,
  2: (doc: CaseDoc) => withLocalFields(doc),
  3: (doc: CaseDoc) => withLocalFields(doc),
  4: (doc: CaseDoc) => withLocalFields(doc),
  5: (doc: CaseDoc) => withLocalFields(doc),
};

/**
 * Reference collections: version 0 was a bare `{ id }` schema; version 1 is the shared one.
 * Documents are kept as they are (no validator runs on them; the hub validated them). They
 * carry no local indexes: the screens read them whole, and an index on a field an older
 * document lacks would make the migration drop that document.
 */
const keepAll = { 1: <T>(doc: T) => doc };
const NO_INDEXES = { version: 1, indexes: [] };

export const matterSchema = fromShared<LocalMatter>(sharedMatterSchema, NO_INDEXES);
export const orgUnitSchema = fromShared<LocalOrgUnit>(sharedOrgUnitSchema, NO_INDEXES);
export const calendarSchema = fromShared<RefDoc>(calendarYearSchema, NO_INDEXES);
export const ticketSchema = fromShared<RefDoc>(sharedTicketSchema, NO_INDEXES);
export const referenceMigrationStrategies = keepAll;

/** Refused writes never leave the device: this schema is the client's own. */
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
