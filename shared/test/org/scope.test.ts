import { describe, expect, it } from 'vitest';
import { deriveCaseFields } from '../../src/case/caseMachine.js';
import type { CaseDoc } from '../../src/case/caseTypes.js';
import { createOrgDirectory } from '../../src/org/orgDirectory.js';
import { canSee, caseScopeOf } from '../../src/org/scope.js';
import {
  agent,
  caseDocOf,
  deptZj,
  deptZrzy,
  fullJourney,
  helper,
  helper2,
  helperXh,
  itAdmin,
  Journey,
  org,
  supervisor,
  townLead,
  townLeadXh,
  UNITS,
} from '../case/fixtures.js';

const docAt = (journey: Journey, n: number): CaseDoc => {
  const events = journey.events.slice(0, n);
  return caseDocOf(events, deriveCaseFields(events));
};

describe('org directory', () => {
  it('walks up to town and county', () => {
    expect(org.townOf('village-dq-02')?.id).toBe('town-dq');
    expect(org.townOf('town-xh')?.id).toBe('town-xh');
    expect(org.townOf('dept-zj')).toBeUndefined();
    expect(org.countyOf('village-xh-01')?.id).toBe('county-sx');
    expect(org.countyOf('dept-other')?.id).toBe('county-other');
    expect(org.childrenOf('town-dq').map((unit) => unit.id)).toEqual([
      'village-dq-01',
      'village-dq-02',
    ]);
  });

  it('survives a parent cycle', () => {
    const looped = createOrgDirectory([
      { id: 'a', name: 'a', level: 'village', parentId: 'b', pointCode: 'AA' },
      { id: 'b', name: 'b', level: 'village', parentId: 'a', pointCode: 'BB' },
    ]);
    expect(looped.countyOf('a')).toBeUndefined();
  });
});

describe('case scope', () => {
  const journey = fullJourney();
  const received = docAt(journey, 1);
  const atTown = docAt(journey, 4);
  const atCentre = docAt(journey, 7);
  const replied = docAt(journey, 8);

  it('village helpers see cases their village received or holds', () => {
    expect(canSee(helper, received, org)).toBe(true);
    expect(canSee(helper, atCentre, org)).toBe(true);
    expect(canSee(helper2, received, org)).toBe(false);
    const heldByDq02 = {
      ...received,
      originUnitId: 'village-dq-01',
      holderUnitId: 'village-dq-02',
    };
    expect(canSee(helper2, heldByDq02, org)).toBe(true);
  });

  it('town leads see their town’s cases and cases they hold', () => {
    expect(canSee(townLead, received, org)).toBe(true);
    expect(canSee(townLead, atCentre, org)).toBe(true);
    expect(canSee(townLeadXh, atTown, org)).toBe(false);
    expect(canSee(townLeadXh, { ...atTown, holderUnitId: 'town-xh' }, org)).toBe(true);
  });

  it('centre agents and supervisors see the whole county, and only it', () => {
    for (const actor of [agent, supervisor]) {
      expect(canSee(actor, received, org)).toBe(true);
      expect(canSee(actor, atCentre, org)).toBe(true);
      expect(
        canSee(actor, { ...received, originUnitId: 'dept-other', holderUnitId: 'dept-other' }, org),
      ).toBe(false);
    }
  });

  it('departments see cases they were asked about, also after replying', () => {
    expect(canSee(deptZrzy, atTown, org)).toBe(false);
    expect(canSee(deptZrzy, atCentre, org)).toBe(true);
    expect(replied.assistingDeptIds).toEqual([]);
    expect(canSee(deptZrzy, replied, org)).toBe(true);
    expect(canSee(deptZj, atCentre, org)).toBe(false);
  });

  it('IT sees no citizens’ data', () => {
    expect(caseScopeOf(itAdmin, org)).toEqual({ kind: 'none' });
    expect(canSee(itAdmin, received, org)).toBe(false);
  });

  it('fails closed for unknown units or a role at the wrong level', () => {
    expect(caseScopeOf({ ...helper, orgUnitId: 'nowhere' }, org)).toEqual({ kind: 'none' });
    expect(caseScopeOf({ ...helper, orgUnitId: 'town-dq' }, org)).toEqual({ kind: 'none' });
    expect(caseScopeOf({ ...agent, orgUnitId: 'town-dq' }, org)).toEqual({ kind: 'none' });
    expect(canSee({ ...helperXh, role: 'town_lead' }, received, org)).toBe(false);
  });

  it('describes each role’s scope as data for the hub', () => {
    expect(caseScopeOf(helper, org)).toEqual({ kind: 'village', villageId: 'village-dq-01' });
    expect(caseScopeOf(townLead, org)).toEqual({ kind: 'town', townId: 'town-dq' });
    expect(caseScopeOf(supervisor, org)).toEqual({ kind: 'county', countyId: 'county-sx' });
    expect(caseScopeOf(deptZj, org)).toEqual({ kind: 'department', departmentId: 'dept-zj' });
    expect(UNITS.length).toBeGreaterThan(5);
  });
});
