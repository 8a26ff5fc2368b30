import { describe, expect, it } from 'vitest';
import { checkCaseDocIdentity, withDerivedFields } from '../../src/case/caseDocConsistency.js';
import type { CaseEvent } from '../../src/case/caseTypes.js';
import { agent, caseDocOf, fullJourney, Journey, org } from './fixtures.js';

const events = fullJourney().events;

describe('case document consistency', () => {
  it('accepts a document that repeats its receive event faithfully', () => {
    expect(checkCaseDocIdentity(caseDocOf(events), org)).toBeNull();
    expect(checkCaseDocIdentity(caseDocOf(events))).toBeNull();
  });

  it('names the fields that contradict the receive event', () => {
    const doc = caseDocOf(events, { matterCode: 'M-999', townId: 'town-xh' });
    expect(checkCaseDocIdentity(doc, org)).toMatchObject({
      code: 'CASE_DOC_INCONSISTENT',
      details: { fields: ['matterCode', 'townId'] },
    });
  });

  it('uses the origin itself as townId for cases received at the county centre', () => {
    const centre = new Journey().add(agent, 'receive').events;
    const doc = caseDocOf(centre, { originUnitId: 'county-sx', townId: 'county-sx' });
    expect(checkCaseDocIdentity(doc, org)).toBeNull();
  });

  it('refuses foreign events and documents without receive', () => {
    const foreign = [...events, { ...events[1]!, id: 'x:1', caseId: 'case-2' } as CaseEvent];
    expect(checkCaseDocIdentity(caseDocOf(foreign))).toMatchObject({ code: 'CASE_ID_MISMATCH' });
    expect(checkCaseDocIdentity(caseDocOf(events.slice(1)))).toMatchObject({
      code: 'CASE_NOT_RECEIVED',
    });
  });

  it('recomputes derived fields, ignoring what the client claimed', () => {
    const claimed = caseDocOf(events.slice(0, 5), { status: 'evaluated', holderUnitId: 'dept-zj' });
    expect(withDerivedFields(claimed)).toMatchObject({
      status: 'accepted_deferred',
      holderUnitId: 'county-sx',
      handlerUserId: null,
    });
  });
});
