/**
 * The `projects` collection: JSON schema for the client's store and the hub's push check.
 * Each event's payload is checked against its type with if/then, so a bad payload is named
 * precisely. Meaning (dates that exist, a valid USCC, listed matters) is the fold's job.
 */
import { eventEnvelopeSchema } from '../events/eventEnvelope.js';
import {
  actorSchema,
  idString,
  isoDate,
  isoInstant,
  requiredText,
  text,
} from '../schemas/schemaParts.js';
import { makeDocValidator } from '../schemas/schemaValidator.js';
import * as compiled from '../schemas/compiledValidators.js';
import {
  MATTER_MODES,
  PROJECT_CATEGORIES,
  PROJECT_EVENT_TYPES,
  PROJECT_STAGES,
  PROJECT_STATUSES,
  type ProjectDoc,
  type ProjectEventType,
} from './projectTypes.js';

const nullableDate = { type: ['string', 'null'], maxLength: 10, pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const nullableId = { type: ['string', 'null'], minLength: 1, maxLength: 100 };
const shortText = { type: 'string', minLength: 1, maxLength: 200 } as const;
const stage = { type: 'string', enum: [...PROJECT_STAGES] } as const;
const modes = {
  type: 'array',
  maxItems: 3,
  uniqueItems: true,
  items: { type: 'string', enum: [...MATTER_MODES] },
} as const;
const keyList = { type: 'array', maxItems: 100, uniqueItems: true, items: idString } as const;
const days = { type: 'integer', minimum: 0, maximum: 1000 } as const;

const owner = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'uscc', 'contactName', 'contactPhone'],
  properties: {
    name: shortText,
    uscc: { type: 'string', minLength: 18, maxLength: 30 },
    contactName: shortText,
    contactPhone: { type: 'string', minLength: 1, maxLength: 30 },
  },
} as const;

const infoProperties = {
  name: shortText,
  projectCode: { type: ['string', 'null'], minLength: 1, maxLength: 40 },
  owner,
  siteUnitId: idString,
  siteAddress: { type: 'string', maxLength: 200 },
  category: { type: 'string', enum: [...PROJECT_CATEGORIES] },
  investmentWan: { type: 'number', minimum: 0, maximum: 100_000_000 },
} as const;

const targets = {
  type: 'object',
  additionalProperties: false,
  required: ['startDate', 'completionDate'],
  properties: { startDate: nullableDate, completionDate: nullableDate },
} as const;

const member = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'name', 'role', 'orgUnitId'],
  properties: {
    userId: idString,
    name: requiredText,
    role: actorSchema.properties.role,
    orgUnitId: idString,
  },
} as const;

const obj = (required: readonly string[], properties: Record<string, unknown>) => ({
  type: 'object',
  additionalProperties: false,
  required: [...required],
  properties,
});

export const PROJECT_PAYLOAD_SCHEMAS: Readonly<Record<ProjectEventType, object>> = {
  register: obj(
    [
      'name',
      'projectCode',
      'owner',
      'siteUnitId',
      'siteAddress',
      'category',
      'investmentWan',
      'targets',
      'stage',
    ],
    { ...infoProperties, targets, stage },
  ),
  update_info: { ...obj([], infoProperties), minProperties: 1 },
  set_team: obj(['leader', 'lead', 'members'], {
    leader: { oneOf: [{ type: 'null' }, member] },
    lead: member,
    members: { type: 'array', maxItems: 50, items: member },
  }),
  add_matter: obj(
    ['matterKey', 'matterCode', 'name', 'stage', 'durationDays', 'dependsOn', 'modes', 'warningZh'],
    {
      matterKey: idString,
      matterCode: { type: 'string', minLength: 1, maxLength: 50 },
      name: shortText,
      stage,
      durationDays: days,
      dependsOn: keyList,
      modes,
      warningZh: text,
    },
  ),
  remove_matter: obj(['matterKey', 'reason'], { matterKey: idString, reason: requiredText }),
  set_dependency: obj(['matterKey', 'dependsOn'], { matterKey: idString, dependsOn: keyList }),
  set_mode: obj(['matterKey', 'modes'], { matterKey: idString, modes }),
  set_duration: obj(['matterKey', 'durationDays'], { matterKey: idString, durationDays: days }),
  set_target: targets,
  set_stage: obj(['stage'], { stage }),
  set_status: obj(['status'], {
    status: { type: 'string', enum: [...PROJECT_STATUSES] },
    reason: text,
  }),
  set_matter_progress: obj(['matterKey', 'startedOn', 'finishedOn'], {
    matterKey: idString,
    startedOn: nullableDate,
    finishedOn: nullableDate,
    note: text,
  }),
  link_case: obj(['matterKey', 'caseId'], { matterKey: idString, caseId: idString }),
  log_entry: obj(['date', 'matterKey', 'done'], {
    date: isoDate,
    matterKey: nullableId,
    done: requiredText,
    problem: text,
    nextStep: text,
  }),
  plan_item: obj(
    ['itemId', 'weekOf', 'text', 'matterKey', 'responsibleUserId', 'responsibleName', 'dueDate'],
    {
      itemId: idString,
      weekOf: isoDate,
      text: requiredText,
      matterKey: nullableId,
      responsibleUserId: idString,
      responsibleName: requiredText,
      dueDate: isoDate,
    },
  ),
  plan_review: obj(['itemId', 'outcome'], {
    itemId: idString,
    outcome: { type: 'string', enum: ['done', 'not_done', 'dropped'] },
    note: text,
  }),
};

/** The shared event envelope (events/eventEnvelope.ts) with the projects' payloads. */
export const projectEventSchema = eventEnvelopeSchema(
  'projectId',
  PROJECT_EVENT_TYPES,
  PROJECT_PAYLOAD_SCHEMAS,
);

export const projectSchema = {
  title: 'project',
  description: '重点项目: append-only event history plus derived fields',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'name',
    'projectCode',
    'category',
    'stage',
    'status',
    'siteUnitId',
    'teamUserIds',
    'formerMemberIds',
    'events',
    'updatedAt',
  ],
  properties: {
    id: idString,
    name: shortText,
    projectCode: { type: ['string', 'null'], maxLength: 40 },
    category: { type: 'string', enum: [...PROJECT_CATEGORIES], maxLength: 20 },
    stage: { ...stage, maxLength: 30 },
    status: { type: 'string', enum: [...PROJECT_STATUSES], maxLength: 20 },
    siteUnitId: idString,
    teamUserIds: keyList,
    formerMemberIds: { type: 'array', maxItems: 500, uniqueItems: true, items: idString },
    events: { type: 'array', minItems: 1, maxItems: 20_000, items: projectEventSchema },
    updatedAt: isoInstant,
  },
  indexes: ['updatedAt', 'siteUnitId'],
} as const;

export const validateProjectDoc = makeDocValidator<ProjectDoc>(compiled.projectDoc, '项目');
