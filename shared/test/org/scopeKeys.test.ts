/**
 * Scope keys are a superset of the scope rule: whenever a user may see a case, or is owed its
 * removal (a unit of theirs is in `formerUnitIds`), the case's keys meet the user's keys. The
 * hub's pull index relies on it to read only the cases a caller could possibly get.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseDoc, CaseEvent } from '../../src/case/caseTypes.js';
import { ROLES, type Actor } from '../../src/org/orgTypes.js';
import { canSee } from '../../src/org/scope.js';
import {
  COUNTY_SCOPE_KEY,
  actorScopeKeys,
  caseScopeKeys,
  removalUnitsOf,
} from '../../src/org/scopeKeys.js';
import { helper, org, townLead, UNITS } from '../case/fixtures.js';

const unitIds = [...UNITS.map((u) => u.id), 'unknown-unit'];
const unitArb = fc.constantFrom(...unitIds);

const actorArb: fc.Arbitrary<Actor> = fc.record({
  userId: fc.constant('u1'),
  name: fc.constant('某人'),
  role: fc.constantFrom(...ROLES),
  orgUnitId: unitArb,
});

const eventArb = fc.oneof(
  fc.record({
    id: fc.uuid(),
    type: fc.constant('request_assistance'),
    payload: fc.record({
      departmentIds: fc.array(unitArb, { maxLength: 3 }),
      question: fc.string(),
    }),
  }),
  fc.record({ id: fc.uuid(), type: fc.constant('log'), payload: fc.record({ text: fc.string() }) }),
);

const caseArb = fc
  .record({
    originUnitId: unitArb,
    holderUnitId: unitArb,
    townId: unitArb,
    assistingDeptIds: fc.array(unitArb, { maxLength: 3 }),
    formerUnitIds: fc.array(unitArb, { maxLength: 3 }),
    events: fc.array(eventArb, { maxLength: 4 }),
  })
  .map(
    (d) => ({ ...d, id: 'c1', events: d.events as unknown as CaseEvent[] }) as unknown as CaseDoc,
  );

const removal = (actor: Actor, doc: CaseDoc) =>
  !canSee(actor, doc, org) && doc.formerUnitIds.some((u) => removalUnitsOf(actor, org).includes(u));

describe('scope keys', () => {
  it('meet whenever the case is visible or owed as a removal (property)', () => {
    fc.assert(
      fc.property(actorArb, caseArb, (actor, doc) => {
        if (!canSee(actor, doc, org) && !removal(actor, doc)) return true;
        const mine = new Set(actorScopeKeys(actor, org));
        return caseScopeKeys(doc).some((k) => mine.has(k));
      }),
      { numRuns: 5000 },
    );
  });

  it('keep a village away from other villages’ cases', () => {
    const other = {
      originUnitId: 'village-xh-01',
      holderUnitId: 'village-xh-01',
      townId: 'town-xh',
      assistingDeptIds: [],
      formerUnitIds: [],
      events: [],
    } as unknown as CaseDoc;
    const mine = new Set(actorScopeKeys(helper, org));
    expect(caseScopeKeys(other).some((k) => mine.has(k))).toBe(false);
    expect(caseScopeKeys(other)).toContain(COUNTY_SCOPE_KEY);
  });

  it('give a town lead the town and its villages (for removals)', () => {
    expect(actorScopeKeys(townLead, org).sort()).toEqual(
      ['u:town-dq', 'u:village-dq-01', 'u:village-dq-02'].sort(),
    );
    expect(actorScopeKeys({ ...helper, role: 'it_admin' }, org)).toEqual([]);
  });
});
