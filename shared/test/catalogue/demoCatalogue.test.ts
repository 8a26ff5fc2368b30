import { describe, expect, it } from 'vitest';
import { DEMO_COUNTY, DEMO_MATTERS, DEMO_PASSWORD, DEMO_USERS } from '../../src/catalogue/index.js';
import { ROLES } from '../../src/org/orgTypes.js';
import { isValidUscc } from '../../src/identity/index.js';

describe('DEMO_MATTERS', () => {
  it('holds at least 30 matters with unique codes and basic codes', () => {
    expect(DEMO_MATTERS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(DEMO_MATTERS.map((m) => m.code)).size).toBe(DEMO_MATTERS.length);
    expect(new Set(DEMO_MATTERS.map((m) => m.basicCode)).size).toBe(DEMO_MATTERS.length);
    expect(new Set(DEMO_MATTERS.map((m) => m.name)).size).toBe(DEMO_MATTERS.length);
  });

  it('uses well-formed codes: implementation ≤ 50 (31 here), basic 12', () => {
    for (const m of DEMO_MATTERS) {
      expect(m.code.length).toBeLessThanOrEqual(50);
      expect(m.code).toHaveLength(31);
      expect(m.basicCode).toMatch(/^\d{12}$/);
      expect(isValidUscc(m.code.slice(0, 18))).toBe(true);
    }
  });

  it('never promises more than the law allows', () => {
    for (const m of DEMO_MATTERS) {
      expect(m.promisedDays, m.name).toBeLessThanOrEqual(m.legalDays);
      expect(m.promisedDays, m.name).toBeGreaterThanOrEqual(0);
      if (m.caseType === 'immediate') expect(m.promisedDays, m.name).toBe(0);
      else expect(m.promisedDays, m.name).toBeGreaterThan(0);
    }
  });

  it('gives every accept_and_forward matter a target level, and only those', () => {
    for (const m of DEMO_MATTERS) {
      if (m.villageMode === 'accept_and_forward') expect(m.forwardTo, m.name).toBeDefined();
      else expect(m.forwardTo, m.name).toBeUndefined();
      if (m.level === 'county' && m.forwardTo !== undefined) expect(m.forwardTo).toBe('county');
      if (m.level === 'town' && m.forwardTo !== undefined) expect(m.forwardTo).toBe('town');
    }
  });

  it('has village matters the village completes itself, among them 即办 ones', () => {
    for (const m of DEMO_MATTERS) {
      expect(m.villageMode === 'direct_complete', m.name).toBe(m.level === 'village');
    }
    expect(DEMO_MATTERS.some((m) => m.level === 'village' && m.caseType === 'immediate')).toBe(
      true,
    );
  });

  it('has matters at every level and deferrable materials somewhere', () => {
    for (const level of ['village', 'town', 'county'] as const) {
      expect(DEMO_MATTERS.filter((m) => m.level === level).length, level).toBeGreaterThanOrEqual(4);
    }
    expect(
      DEMO_MATTERS.filter((m) => m.materials.some((x) => x.necessity === 'deferrable')).length,
    ).toBeGreaterThanOrEqual(10);
  });

  it('has sound materials and implementing units that exist', () => {
    const unitIds = new Set(DEMO_COUNTY.map((u) => u.id));
    for (const m of DEMO_MATTERS) {
      expect(unitIds.has(m.implementingUnitId), m.name).toBe(true);
      expect(m.materials.length, m.name).toBeGreaterThan(0);
      expect(new Set(m.materials.map((x) => x.id)).size, m.name).toBe(m.materials.length);
      expect(
        m.materials.some((x) => x.necessity === 'required'),
        m.name,
      ).toBe(true);
      for (const x of m.materials)
        expect(x.originals + x.copies, `${m.name} ${x.name}`).toBeGreaterThan(0);
      expect(m.pinyinInitials).toMatch(/^[a-z]+$/);
      expect(m.serviceObjects.length).toBeGreaterThan(0);
    }
  });
});

describe('DEMO_COUNTY', () => {
  const byId = new Map(DEMO_COUNTY.map((u) => [u.id, u]));

  it('is one county with towns under it, villages under towns, departments under it', () => {
    const counties = DEMO_COUNTY.filter((u) => u.level === 'county');
    expect(counties).toHaveLength(1);
    expect(counties[0]!.parentId).toBeNull();
    for (const u of DEMO_COUNTY) {
      if (u.level === 'town' || u.level === 'department') expect(u.parentId).toBe('county-sx');
      if (u.level === 'village') expect(byId.get(u.parentId ?? '')?.level).toBe('town');
    }
    expect(DEMO_COUNTY.filter((u) => u.level === 'town')).toHaveLength(2);
    expect(DEMO_COUNTY.filter((u) => u.level === 'village')).toHaveLength(5);
    expect(DEMO_COUNTY.filter((u) => u.level === 'department')).toHaveLength(4);
  });

  it('has unique ids and point codes of the right shape, and valid USCCs', () => {
    expect(new Set(DEMO_COUNTY.map((u) => u.id)).size).toBe(DEMO_COUNTY.length);
    expect(new Set(DEMO_COUNTY.map((u) => u.pointCode)).size).toBe(DEMO_COUNTY.length);
    for (const u of DEMO_COUNTY) {
      expect(u.pointCode).toMatch(/^[A-Z0-9]{2,6}$/);
      if (u.uscc !== undefined) expect(isValidUscc(u.uscc), u.id).toBe(true);
      if (u.divisionCode !== undefined) expect(u.divisionCode).toMatch(/^\d{12}$/);
    }
    expect(byId.get('village-dq-01')?.pointCode).toBe('DQ01');
  });
});

describe('DEMO_USERS', () => {
  const byId = new Map(DEMO_COUNTY.map((u) => [u.id, u]));
  const expectedLevel = {
    village_helper: 'village',
    town_lead: 'town',
    centre_agent: 'county',
    dept_assistant: 'department',
    supervisor: 'county',
    it_admin: 'county',
  } as const;

  it('has every role, unique usernames, units of the right level and the demo password', () => {
    expect(new Set(DEMO_USERS.map((u) => u.username)).size).toBe(DEMO_USERS.length);
    for (const role of ROLES)
      expect(
        DEMO_USERS.some((u) => u.role === role),
        role,
      ).toBe(true);
    for (const u of DEMO_USERS) {
      expect(byId.get(u.orgUnitId)?.level, u.username).toBe(expectedLevel[u.role]);
      expect(u.password).toBe(DEMO_PASSWORD);
    }
  });

  it('has a helper for every village, a lead for every town and an assistant per department', () => {
    for (const unit of DEMO_COUNTY) {
      const role =
        unit.level === 'village'
          ? 'village_helper'
          : unit.level === 'town'
            ? 'town_lead'
            : unit.level === 'department'
              ? 'dept_assistant'
              : null;
      if (role)
        expect(
          DEMO_USERS.some((u) => u.orgUnitId === unit.id && u.role === role),
          unit.id,
        ).toBe(true);
    }
    expect(DEMO_USERS.map((u) => u.username)).toEqual(
      expect.arrayContaining(['v.dq01', 't.dq', 'c.agent', 'd.zrzy', 'sup', 'it']),
    );
  });
});
