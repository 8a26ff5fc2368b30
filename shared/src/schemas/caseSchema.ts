/**
 * The `cases` collection: RxDB schema on the client and the hub's push validator in one.
 * Each event's payload is checked against its type with if/then, so a bad payload is named
 * precisely instead of as "matches none of 21 alternatives".
 */
import { CASE_EVENT_TYPES, CASE_STATUSES } from '../case/caseTypes.js';
import { PHONE_PATTERN } from '../identity/phone.js';
import { eventEnvelopeSchema } from '../events/eventEnvelope.js';
import { EVENT_PAYLOAD_SCHEMAS } from './eventPayloadSchemas.js';
import { idString, isoDate, isoInstant, requiredText } from './schemaParts.js';

/** The shared event envelope (events/eventEnvelope.ts) with the cases' payloads. */
export const caseEventSchema = eventEnvelopeSchema(
  'caseId',
  CASE_EVENT_TYPES,
  EVENT_PAYLOAD_SCHEMAS,
);

/**
 * A contact phone as the form stores it (shared/src/identity/phone.ts: a mobile or a landline
 * with its area code, normalised), so a phone the form refuses is refused by the hub too.
 */
const contactPhone = { type: 'string', maxLength: 30, pattern: PHONE_PATTERN } as const;

/**
 * A masked ID number or USCC (maskIdNumber / maskUscc: at most the first 6 and last 4
 * characters, stars between). It is stored unencrypted and shown to every role, so a full
 * number written here would leak it: the schema refuses anything without the stars.
 */
const maskedId = { type: 'string', maxLength: 30, pattern: '^[^*]{0,6}\\*+[^*]{0,4}$' } as const;

const personOrAgent = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'idNumber', 'phone'],
  properties: {
    name: requiredText,
    idNumber: { type: 'string', minLength: 1, maxLength: 30 },
    phone: contactPhone,
  },
} as const;

export const caseSchema = {
  title: 'case',
  description: '办件: append-only event history plus derived and hub-set fields',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'provisionalNo',
    'officialNo',
    'matterCode',
    'originUnitId',
    'townId',
    'holderUnitId',
    'handlerUserId',
    'assistingDeptIds',
    'status',
    'applicantName',
    'applicantIdDigest',
    'applicantIdMasked',
    'applicant',
    'events',
    'deadlines',
    'formerUnitIds',
    'updatedAt',
  ],
  properties: {
    id: idString,
    provisionalNo: { type: 'string', minLength: 1, maxLength: 50 },
    officialNo: { type: ['string', 'null'], maxLength: 50 },
    matterCode: { type: 'string', minLength: 1, maxLength: 50 },
    originUnitId: idString,
    townId: idString,
    holderUnitId: idString,
    handlerUserId: { type: ['string', 'null'], maxLength: 100 },
    assistingDeptIds: { type: 'array', maxItems: 50, items: idString },
    status: { type: 'string', enum: [...CASE_STATUSES], maxLength: 32 },
    applicantName: requiredText,
    applicantIdDigest: { type: 'string', pattern: '^[0-9a-f]{64}$', maxLength: 64 },
    applicantIdMasked: maskedId,
    applicant: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'name', 'idNumber', 'phone'],
      properties: {
        kind: { type: 'string', enum: ['person', 'enterprise'] },
        name: requiredText,
        idNumber: { type: 'string', minLength: 1, maxLength: 30 },
        phone: contactPhone,
        legalRepresentative: { type: 'string', maxLength: 100 },
        agent: personOrAgent,
      },
    },
    events: { type: 'array', minItems: 1, maxItems: 5000, items: caseEventSchema },
    deadlines: {
      // draft-07 applies `required` and `properties` only when the value is an object.
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['startDate', 'legalDue', 'promisedDue', 'computedAt'],
      properties: {
        startDate: isoDate,
        legalDue: isoDate,
        promisedDue: isoDate,
        promisedDaysLeft: { type: 'integer' },
        computedAt: isoInstant,
        provisional: { type: 'boolean' },
      },
    },
    formerUnitIds: { type: 'array', maxItems: 200, items: idString },
    updatedAt: isoInstant,
  },
  indexes: [
    'status',
    ['holderUnitId', 'updatedAt'],
    ['originUnitId', 'updatedAt'],
    ['townId', 'updatedAt'],
    'provisionalNo',
    'applicantIdDigest',
    'updatedAt',
  ],
} as const;

/** Client-side fields to encrypt at rest (RxDB `encrypted`), kept out of the schema so a
 * database opened without a password still works in tests; the desktop adds it. */
export const CASE_ENCRYPTED_FIELDS = ['applicant'] as const;
