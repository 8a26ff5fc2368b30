/**
 * A pushed CaseDoc repeats facts that its events already state. The hub trusts the events,
 * so it checks the repeated identity facts against them and recomputes the derived fields.
 */
import type { OrgDirectory } from '../org/orgDirectory.js';
import type { CaseDoc } from './caseTypes.js';
import { caseFieldsOf, deriveCaseState } from './caseMachine.js';
import { refusal, type CaseRefusal } from './caseErrors.js';
import { sortEvents } from './eventOrder.js';

/**
 * Refuses a document whose identity fields contradict its events: events of another case,
 * or provisionalNo / matterCode / originUnitId / townId not those of its receive event.
 */
export function checkCaseDocIdentity(doc: CaseDoc, org?: OrgDirectory): CaseRefusal | null {
  const foreign = doc.events.find((event) => event.caseId !== doc.id);
  if (foreign) {
    return refusal('CASE_ID_MISMATCH', '办件中含有其他办件的事件', { eventId: foreign.id });
  }
  const receive = sortEvents(doc.events).find((event) => event.type === 'receive');
  if (!receive || receive.type !== 'receive') {
    return refusal('CASE_NOT_RECEIVED', '办件没有收件事件');
  }
  const mismatched: string[] = [];
  if (doc.provisionalNo !== receive.payload.provisionalNo) mismatched.push('provisionalNo');
  if (doc.matterCode !== receive.payload.matterCode) mismatched.push('matterCode');
  if (doc.originUnitId !== receive.actor.orgUnitId) mismatched.push('originUnitId');
  const town = org?.townOf(doc.originUnitId);
  // A case received at the county centre has no town; its townId is the origin itself.
  const expectedTown = town ? town.id : org ? doc.originUnitId : doc.townId;
  if (doc.townId !== expectedTown) mismatched.push('townId');
  if (mismatched.length > 0) {
    return refusal('CASE_DOC_INCONSISTENT', `办件字段与收件记录不一致：${mismatched.join('、')}`, {
      fields: mismatched,
    });
  }
  return null;
}

/** The document with its derived fields recomputed from its events (a client's are never trusted). */
export function withDerivedFields(doc: CaseDoc): CaseDoc {
  const fields = caseFieldsOf(deriveCaseState(doc.events));
  return fields ? { ...doc, ...fields } : doc;
}
