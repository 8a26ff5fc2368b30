/**
 * Merging two replicas of one case. Histories are append-only, so a merge is a union by event
 * id; every choice made on a clash is a minimum under a fixed order, which makes the merge
 * commutative, associative and idempotent, and every replica converge.
 */
import { DomainError } from '../errors/domainError.js';
import type { CaseDoc, CaseEvent } from './caseTypes.js';
import { caseFieldsOf, dedupeEvents, deriveCaseState } from './caseMachine.js';
import { canonicalJson, combineEventCopies, eventContentKey } from './eventIdentity.js';

/** One event id carrying different content in the two histories. */
export interface EventContentClash {
  eventId: string;
  kept: CaseEvent;
  discarded: CaseEvent;
}

export interface MergedHistory {
  events: CaseEvent[];
  clashes: EventContentClash[];
}

export function mergeHistories(a: readonly CaseEvent[], b: readonly CaseEvent[]): MergedHistory {
  const left = dedupeEvents(a);
  const right = new Map(dedupeEvents(b).map((event) => [event.id, event]));
  const clashes: EventContentClash[] = [];
  for (const event of left) {
    const other = right.get(event.id);
    if (!other || eventContentKey(other) === eventContentKey(event)) continue;
    const kept = combineEventCopies(event, other);
    const discarded = eventContentKey(kept) === eventContentKey(event) ? other : event;
    clashes.push({ eventId: event.id, kept, discarded });
  }
  return { events: dedupeEvents([...left, ...right.values()]), clashes };
}

/** Static fields of a case, set at receive and only ever rewritten by the hub (e.g. a town move). */
type CaseIdentityFields = Pick<
  CaseDoc,
  | 'provisionalNo'
  | 'matterCode'
  | 'originUnitId'
  | 'townId'
  | 'applicantName'
  | 'applicantIdDigest'
  | 'applicantIdMasked'
  | 'applicant'
>;

function identityOf(doc: CaseDoc): CaseIdentityFields {
  return {
    provisionalNo: doc.provisionalNo,
    matterCode: doc.matterCode,
    originUnitId: doc.originUnitId,
    townId: doc.townId,
    applicantName: doc.applicantName,
    applicantIdDigest: doc.applicantIdDigest,
    applicantIdMasked: doc.applicantIdMasked,
    applicant: doc.applicant,
  };
}

/** The later-updated document's identity wins; a tie is broken by content, never by argument order. */
function newerOf(a: CaseDoc, b: CaseDoc): CaseDoc {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? a : b;
  const keyA = canonicalJson(identityOf(a));
  const keyB = canonicalJson(identityOf(b));
  if (keyA !== keyB) return keyA < keyB ? a : b;
  return canonicalJson(a.deadlines) <= canonicalJson(b.deadlines) ? a : b;
}

function pickOfficialNo(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

function pickDeadlines(a: CaseDoc['deadlines'], b: CaseDoc['deadlines']): CaseDoc['deadlines'] {
  if (a === null) return b;
  if (b === null) return a;
  if (a.computedAt !== b.computedAt) return a.computedAt > b.computedAt ? a : b;
  return canonicalJson(a) <= canonicalJson(b) ? a : b;
}

export interface MergedCaseDoc {
  doc: CaseDoc;
  clashes: EventContentClash[];
}

/**
 * Merges two versions of one case document: events united, officialNo non-null wins, the
 * earliest hubTime of each event kept, formerUnitIds united, derived fields recomputed.
 * Identity fields come from the later-updated version (the hub rewrites townId on a move).
 */
export function mergeCaseDocs(a: CaseDoc, b: CaseDoc): MergedCaseDoc {
  if (a.id !== b.id) {
    throw new DomainError('CASE_ID_MISMATCH', '不能合并两个不同的办件', { a: a.id, b: b.id });
  }
  const { events, clashes } = mergeHistories(a.events, b.events);
  const newer = newerOf(a, b);
  const derived = caseFieldsOf(deriveCaseState(events)) ?? {
    status: newer.status,
    holderUnitId: newer.holderUnitId,
    handlerUserId: newer.handlerUserId,
    assistingDeptIds: newer.assistingDeptIds,
  };
  const doc: CaseDoc = {
    id: a.id,
    ...identityOf(newer),
    officialNo: pickOfficialNo(a.officialNo, b.officialNo),
    ...derived,
    events,
    deadlines: pickDeadlines(a.deadlines, b.deadlines),
    formerUnitIds: [...new Set([...a.formerUnitIds, ...b.formerUnitIds])].sort(),
    updatedAt: a.updatedAt >= b.updatedAt ? a.updatedAt : b.updatedAt,
  };
  // _deleted is deliberately not merged: removal from a device is the replication layer's call.
  return { doc, clashes };
}
