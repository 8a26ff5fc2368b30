// The case as an event history: state machine, validation of pushes, merge, new events.
export {
  CASE_ERROR_CODES,
  type CaseErrorCode,
  type CaseRefusal,
  type CaseResult,
} from './caseErrors.js';
export { checkCaseDocIdentity, withDerivedFields } from './caseDocConsistency.js';
export {
  CASE_EVENT_LABELS_ZH,
  CASE_STATUS_LABELS_ZH,
  RATING_LABELS_ZH,
  ROLE_LEVEL_LABELS_ZH,
} from './caseLabels.js';
export {
  initialCaseState,
  type CaseConclusion,
  type CaseRating,
  type CaseState,
  type DeferredMaterials,
  type SuspensionPeriod,
  type VoidedEvent,
} from './caseState.js';
export {
  applyEvent,
  caseFieldsOf,
  checkAuthority,
  checkUnitRule,
  dedupeEvents,
  deriveCaseFields,
  deriveCaseState,
  foldEvent,
  isCaseEventType,
  isFinalStatus,
  judgeEvent,
  type DerivedCaseFields,
} from './caseMachine.js';
export { compareEvents, sortEvents } from './eventOrder.js';
export { combineEventCopies, eventContentKey } from './eventIdentity.js';
export type { MachineContext, MatterLimits } from './machineContext.js';
export {
  mergeCaseDocs,
  mergeHistories,
  type EventContentClash,
  type MergedCaseDoc,
  type MergedHistory,
} from './mergeHistories.js';
export { createEvent, type NewEventInput } from './newEvent.js';
export {
  checkActorUnit,
  deliveryPointsOf,
  returnTargetsOf,
  ROLE_UNIT_LEVEL,
} from './topologyChecks.js';
export {
  jsonBytes,
  MAX_CASE_BYTES,
  MAX_CASE_EVENTS,
  MAX_NEW_EVENTS_PER_ROW,
  MAX_PUSH_ROW_BYTES,
  PUSH_BODY_LIMIT_BYTES,
} from './caseLimits.js';
export { checkAuthorityAtReceipt, checkRepeatedClaim } from './receiptChecks.js';
export {
  FINAL_STATUSES,
  TRANSITIONS,
  WINDOW_ROLES,
  type TransitionRule,
  type UnitRule,
} from './transitionTable.js';
export {
  validateNewEvents,
  type NewEventsAccepted,
  type NewEventsContext,
  type NewEventsVerdict,
} from './validateNewEvents.js';
export {
  availableActions,
  returnTargetOf,
  type ActionOffer,
  type AvailableActionsInput,
} from './availableActions.js';
