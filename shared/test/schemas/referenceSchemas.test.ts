import { describe, expect, it } from 'vitest';
import type { CalendarYearTable } from '../../src/calendar/calendarTypes.js';
import type { OrgUnit } from '../../src/org/orgTypes.js';
import type { MatterDoc, SupervisionDoc, TicketDoc } from '../../src/schemas/docTypes.js';
import {
  validateCalendarYearDoc,
  validateMatterDoc,
  validateOrgUnitDoc,
  validateSupervisionDoc,
  validateTicketDoc,
} from '../../src/schemas/validators.js';
import { UNITS } from '../case/fixtures.js';

const matter: MatterDoc = {
  id: '11330100MB0000000X4000000000000',
  basicCode: '000000000000',
  name: '城乡居民养老保险参保登记',
  matterType: '20',
  exerciseLevel: '5',
  implementingBody: '东桥镇人民政府',
  legalDays: 20,
  promisedDays: 5,
  caseType: 'promised',
  serviceObjects: ['1'],
  villageMode: 'accept_and_forward',
  targetLevel: 'town',
  materials: [
    {
      id: 'm1',
      name: '居民身份证',
      originals: 1,
      copies: 1,
      form: 'paper',
      source: 'applicant',
      necessity: 'required',
    },
    {
      id: 'm2',
      name: '户口簿',
      originals: 0,
      copies: 1,
      form: 'paper',
      source: 'applicant',
      necessity: 'deferrable',
    },
  ],
  active: true,
  updatedAt: '2026-01-05T00:00:00.000Z',
};

const calendar: CalendarYearTable & { id: string } = {
  id: '2026',
  year: 2026,
  holidays: [
    { date: '2026-01-01', name: '元旦' },
    { date: '2026-01-02', name: '元旦' },
  ],
  workdays: [{ date: '2026-01-04', name: '元旦' }],
};

const ticket: TicketDoc = {
  id: 'ticket-1',
  caseId: 'case-1',
  ratingEventId: 'dev-v.dq01:12',
  level: 5,
  status: 'verifying',
  dueDate: '2026-03-20',
  createdAt: '2026-03-10T02:00:00.000Z',
  updatedAt: '2026-03-11T02:00:00.000Z',
  steps: [
    {
      status: 'verifying',
      note: '已电话核实',
      byUserId: 'sup',
      byName: '县督办',
      byRole: 'supervisor',
      at: '2026-03-11T02:00:00.000Z',
    },
  ],
};

const supervision: SupervisionDoc = {
  id: 'sv-1',
  caseId: 'case-1',
  kind: 'due_soon',
  dueDate: '2026-03-13',
  issuedAt: '2026-03-11T00:00:00.000Z',
  unitId: 'town-dq',
  resolved: false,
};

const codeOf = (result: { ok: boolean; code?: string }) => (result.ok ? 'OK' : result.code);

describe('reference schemas', () => {
  it('accept good examples', () => {
    expect(codeOf(validateMatterDoc(matter))).toBe('OK');
    expect(codeOf(validateCalendarYearDoc(calendar))).toBe('OK');
    expect(codeOf(validateTicketDoc(ticket))).toBe('OK');
    expect(codeOf(validateSupervisionDoc(supervision))).toBe('OK');
    for (const unit of UNITS)
      expect([unit.id, codeOf(validateOrgUnitDoc(unit))]).toEqual([unit.id, 'OK']);
  });

  it('refuse bad matters', () => {
    expect(codeOf(validateMatterDoc({ ...matter, id: 'x'.repeat(51) }))).toBe('SCHEMA_INVALID');
    expect(codeOf(validateMatterDoc({ ...matter, matterType: '11' }))).toBe('SCHEMA_INVALID');
    expect(codeOf(validateMatterDoc({ ...matter, promisedDays: -1 }))).toBe('SCHEMA_INVALID');
    const badMaterial = { ...matter.materials[0], necessity: 'nice_to_have' };
    expect(codeOf(validateMatterDoc({ ...matter, materials: [badMaterial] }))).toBe(
      'SCHEMA_INVALID',
    );
  });

  it('refuse bad org units', () => {
    const unit: OrgUnit = UNITS[0]!;
    expect(codeOf(validateOrgUnitDoc({ ...unit, level: 'province' }))).toBe('SCHEMA_INVALID');
    expect(codeOf(validateOrgUnitDoc({ ...unit, pointCode: 'dq' }))).toBe('SCHEMA_INVALID');
    expect(codeOf(validateOrgUnitDoc({ ...unit, uscc: '91330100MA0000000I' }))).toBe(
      'SCHEMA_INVALID',
    );
    expect(codeOf(validateOrgUnitDoc({ ...unit, uscc: '91330100MA2K0000XY' }))).toBe('OK');
  });

  it('refuse bad calendars', () => {
    expect(codeOf(validateCalendarYearDoc({ ...calendar, id: '26' }))).toBe('SCHEMA_INVALID');
    expect(
      codeOf(
        validateCalendarYearDoc({ ...calendar, holidays: [{ date: '2026/01/01', name: '元旦' }] }),
      ),
    ).toBe('SCHEMA_INVALID');
  });

  it('refuse bad tickets and supervision records', () => {
    expect(codeOf(validateTicketDoc({ ...ticket, level: 3 }))).toBe('SCHEMA_INVALID');
    expect(codeOf(validateTicketDoc({ ...ticket, status: 'forgotten' }))).toBe('SCHEMA_INVALID');
    expect(codeOf(validateSupervisionDoc({ ...supervision, kind: 'late' }))).toBe('SCHEMA_INVALID');
    expect(codeOf(validateSupervisionDoc({ ...supervision, resolved: 'no' }))).toBe(
      'SCHEMA_INVALID',
    );
  });
});
