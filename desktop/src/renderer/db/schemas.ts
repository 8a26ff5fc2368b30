import type { RxJsonSchema } from 'rxdb';
import type { CaseDoc } from '@sibantong/shared';
import type { LocalMatter, LocalOrgUnit, RefusalDoc, RefDoc } from './docTypes';

/**
 * Local RxDB schemas. No validator plugin is wrapped around the storage (validation happens in
 * the shared domain code before a write, and again on the hub), so reference documents may
 * carry more fields than listed here. `applicant` and refusal snapshots are encrypted at rest.
 */
export const caseSchema = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 120 },
    provisionalNo: { type: 'string' },
    officialNo: { type: ['string', 'null'] },
    matterCode: { type: 'string' },
    originUnitId: { type: 'string' },
    townId: { type: 'string' },
    holderUnitId: { type: 'string' },
    handlerUserId: { type: ['string', 'null'] },
    assistingDeptIds: { type: 'array', items: { type: 'string' } },
    status: { type: 'string' },
    applicantName: { type: 'string' },
    applicantIdDigest: { type: 'string' },
    applicantIdMasked: { type: 'string' },
    applicant: { type: 'object' },
    events: { type: 'array', items: { type: 'object' } },
    deadlines: { type: ['object', 'null'] },
    formerUnitIds: { type: 'array', items: { type: 'string' } },
    updatedAt: { type: 'string' },
  },
  required: ['id', 'events'],
  encrypted: ['applicant'],
} as unknown as RxJsonSchema<CaseDoc>;

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
