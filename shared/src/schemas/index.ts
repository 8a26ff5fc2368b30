// Document schemas (JSON Schema draft-07): RxDB collections on the client, ajv on the hub.
export { calendarYearSchema } from './calendarYearSchema.js';
export { CASE_ENCRYPTED_FIELDS, caseEventSchema, caseSchema } from './caseSchema.js';
export {
  LOCAL_COLLECTIONS,
  REPLICATED_COLLECTIONS,
  RXDB_COLLECTION_LIMIT,
  type CollectionName,
} from './collectionPlan.js';
export type {
  MatterDoc,
  MatterMaterial,
  MatterType,
  SupervisionDoc,
  TicketDoc,
  TicketStatus,
  TicketStep,
  VillageMode,
} from './docTypes.js';
export { EVENT_PAYLOAD_SCHEMAS } from './eventPayloadSchemas.js';
export { matterMaterialSchema, matterSchema } from './matterSchema.js';
export { orgUnitSchema } from './orgUnitSchema.js';
export {
  describeSchemaErrors,
  makeDocValidator,
  STORAGE_FIELDS,
  withoutStorageFields,
  type DocValidator,
} from './schemaValidator.js';
export { supervisionSchema } from './supervisionSchema.js';
export {
  CALL_BACK_RESULTS,
  TICKET_NOTE_MAX,
  TICKET_STATUSES,
  ticketSchema,
  type CallBackResult,
} from './ticketSchema.js';
export {
  validateCalendarYearDoc,
  validateCaseDoc,
  validateMatterDoc,
  validateOrgUnitDoc,
  validateSupervisionDoc,
  validateTicketDoc,
} from './validators.js';
