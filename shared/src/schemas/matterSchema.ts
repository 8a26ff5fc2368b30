/** The `matters` collection: one 事项 of the catalogue (GB/T 39046-2020 fields we use). */
import { count, idString, isoInstant, requiredText, text } from './schemaParts.js';

const days = { type: 'integer', minimum: 0, maximum: 3650 } as const;

export const matterMaterialSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'originals', 'copies', 'form', 'source', 'necessity'],
  properties: {
    id: idString,
    name: requiredText,
    issuingBody: text,
    originals: count,
    copies: count,
    form: { type: 'string', enum: ['paper', 'electronic', 'both'] },
    source: { type: 'string', enum: ['applicant', 'government', 'other'] },
    necessity: { type: 'string', enum: ['required', 'optional', 'deferrable'] },
    note: text,
  },
} as const;

export const matterSchema = {
  title: 'matter',
  description: '事项目录中的一个事项; id is the 实施编码 (opaque, at most 50 chars)',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'basicCode',
    'name',
    'matterType',
    'exerciseLevel',
    'implementingBody',
    'legalDays',
    'promisedDays',
    'caseType',
    'serviceObjects',
    'villageMode',
    'materials',
    'active',
    'updatedAt',
  ],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 50 },
    basicCode: { type: 'string', minLength: 1, maxLength: 50 },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    matterType: {
      type: 'string',
      enum: ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '20'],
    },
    exerciseLevel: { type: 'string', enum: ['1', '2', '3', '4', '5', '6', '7'] },
    implementingBody: requiredText,
    implementingBodyUscc: { type: 'string', maxLength: 18 },
    legalDays: days,
    promisedDays: days,
    caseType: { type: 'string', enum: ['immediate', 'promised'] },
    serviceObjects: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', enum: ['1', '2', '3', '4', '5', '6'] },
    },
    villageMode: {
      type: 'string',
      enum: ['direct_complete', 'accept_and_forward', 'assist', 'inform_only'],
      maxLength: 20,
    },
    /** For accept_and_forward: the level that completes the matter. */
    targetLevel: { type: 'string', enum: ['town', 'county'] },
    level: { type: 'string', enum: ['village', 'town', 'county'] },
    implementingUnitId: { type: 'string', maxLength: 64 },
    pinyinInitials: { type: 'string', maxLength: 200 },
    acceptanceConditions: text,
    fees: text,
    materials: { type: 'array', maxItems: 100, items: matterMaterialSchema },
    /** Retired matters stay for old cases but are not offered for new ones. */
    active: { type: 'boolean' },
    updatedAt: isoInstant,
  },
  indexes: ['villageMode', 'updatedAt'],
} as const;
