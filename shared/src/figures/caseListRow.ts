/**
 * A case as a row of the drill-down lists and ledgers: the hub answers these for a number of
 * the cockpit, a PC builds them from the cases it holds for its exports. Masked identity only.
 */
import type { CaseDoc } from '../case/caseTypes.js';
import { maskName } from '../identity/mask.js';
import type { FigureCaseRow } from './figureTypes.js';

/** `at`: the day the row is listed under (the fact's day, or the promised date). */
export function caseListRow(doc: CaseDoc, at: string): FigureCaseRow {
  // A case has one receive event (the transition table allows it only from 'none').
  const receive = doc.events.find((e) => e.type === 'receive');
  return {
    id: doc.id,
    officialNo: doc.officialNo,
    provisionalNo: doc.provisionalNo,
    matterCode: doc.matterCode,
    originUnitId: doc.originUnitId,
    townId: doc.townId,
    holderUnitId: doc.holderUnitId,
    status: doc.status,
    applicantNameMasked: maskName(doc.applicantName ?? ''),
    applicantIdMasked: doc.applicantIdMasked,
    assisted:
      receive?.type === 'receive' &&
      (receive.payload.agentAuthorised === true || receive.payload.channel === 'home_visit'),
    at,
    promisedDue: doc.deadlines?.promisedDue ?? null,
  };
}
