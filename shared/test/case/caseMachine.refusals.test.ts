import { describe, expect, it } from 'vitest';
import { applyEvent, deriveCaseState } from '../../src/case/caseMachine.js';
import {
  CASE_EVENT_TYPES,
  CASE_STATUSES,
  type CaseEvent,
  type CaseEventType,
  type CaseStatus,
} from '../../src/case/caseTypes.js';
import type { MachineContext } from '../../src/case/machineContext.js';
import { TRANSITIONS } from '../../src/case/transitionTable.js';
import { ROLES, type Actor } from '../../src/org/orgTypes.js';
import {
  agent,
  deferredAccept,
  deptZj,
  deptZrzy,
  helper,
  helper2,
  Journey,
  org,
  PAYLOADS,
  townLead,
  townLeadXh,
} from './fixtures.js';

/** A village-only history that ends in each status. */
function journeyTo(status: CaseStatus): Journey {
  const j = new Journey().add(helper, 'receive');
  switch (status) {
    case 'received':
      return j;
    case 'correction_required':
      return j.add(helper, 'inform_missing');
    case 'accepted':
      return j.add(helper, 'accept');
    case 'accepted_deferred':
      return j.add(helper, 'accept', deferredAccept());
    case 'not_accepted':
      return j.add(helper, 'refuse');
    case 'processing':
      return j.add(helper, 'accept').add(helper, 'claim');
    case 'suspended':
      return j.add(helper, 'accept').add(helper, 'claim').add(helper, 'suspend');
    case 'concluded_approved':
      return j.add(helper, 'accept').add(helper, 'conclude');
    case 'concluded_denied':
      return j
        .add(helper, 'accept')
        .add(helper, 'conclude', { outcome: 'denied', opinion: '不符合' });
    case 'result_delivered':
      return j.add(helper, 'accept').add(helper, 'conclude').add(helper, 'deliver_result');
    case 'evaluated':
      return j
        .add(helper, 'accept')
        .add(helper, 'conclude')
        .add(helper, 'deliver_result')
        .add(helper, 'rate');
    case 'withdrawn':
      return j.add(helper, 'withdraw');
    case 'terminated':
      return j.add(helper, 'accept', deferredAccept()).wait(10).add(helper, 'terminate');
  }
}

/** Applies one more event to the journey's state. */
function attempt<T extends CaseEventType>(
  j: Journey,
  by: Actor,
  type: T,
  payload?: Parameters<Journey['make']>[2],
  ctx?: MachineContext,
) {
  const state = deriveCaseState(j.events);
  const event = j.make(by, type, payload as never);
  return applyEvent(state, event, ctx);
}

const codeOf = (result: ReturnType<typeof applyEvent>) => (result.ok ? 'OK' : result.code);

describe('status table', () => {
  it('reaches every status with a clean history', () => {
    for (const status of CASE_STATUSES) {
      const state = deriveCaseState(journeyTo(status).events);
      expect([status, state.status, state.voidEventIds]).toEqual([status, status, []]);
    }
  });

  const illegal: [CaseStatus, CaseEventType][] = [];
  for (const status of CASE_STATUSES) {
    for (const type of CASE_EVENT_TYPES) {
      if (type !== 'receive' && !TRANSITIONS[type].from.includes(status))
        illegal.push([status, type]);
    }
  }

  it.each(illegal)('refuses %s + %s with ILLEGAL_TRANSITION', (status, type) => {
    const result = attempt(journeyTo(status), helper, type);
    expect(result).toMatchObject({
      ok: false,
      code: 'ILLEGAL_TRANSITION',
      details: { status, type },
    });
  });

  it('covers every status and refuses more than a hundred pairs', () => {
    expect(illegal.length).toBeGreaterThan(100);
    expect(new Set(illegal.map(([status]) => status)).size).toBe(CASE_STATUSES.length);
  });

  it.each(CASE_STATUSES)('refuses a second receive in %s', (status) => {
    expect(codeOf(attempt(journeyTo(status), helper, 'receive'))).toBe('RECEIVE_DUPLICATED');
  });

  it.each(CASE_EVENT_TYPES.filter((t) => t !== 'receive'))('refuses %s as first event', (type) => {
    expect(codeOf(attempt(new Journey(), helper, type))).toBe('RECEIVE_NOT_FIRST');
  });

  it('refuses an unknown event type', () => {
    const j = journeyTo('received');
    const event = { ...j.make(helper, 'log'), type: 'approve_everything' } as unknown as CaseEvent;
    expect(applyEvent(deriveCaseState(j.events), event)).toMatchObject({
      ok: false,
      code: 'UNKNOWN_EVENT_TYPE',
    });
  });

  it('refuses to conclude while a department has not replied', () => {
    const j = journeyTo('received')
      .add(helper, 'forward')
      .add(townLead, 'escalate')
      .add(agent, 'accept')
      .add(agent, 'request_assistance');
    expect(attempt(j, agent, 'conclude')).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      details: { reason: 'assistance_pending' },
    });
  });
});

describe('roles', () => {
  /** A status in which the event is legal, reached at the village. */
  const legalStatus = (type: CaseEventType): CaseStatus =>
    TRANSITIONS[type].from.find((s): s is CaseStatus => s !== 'none') ?? 'received';

  const cases: [CaseEventType, Actor['role']][] = [];
  for (const type of CASE_EVENT_TYPES) {
    for (const role of ROLES) if (!TRANSITIONS[type].roles.includes(role)) cases.push([type, role]);
  }

  it.each(cases)('refuses %s by %s', (type, role) => {
    const j = type === 'receive' ? new Journey() : journeyTo(legalStatus(type));
    const actor: Actor = { ...helper, userId: `u-${role}`, role };
    expect(codeOf(attempt(j, actor, type))).toBe('ROLE_NOT_PERMITTED');
  });

  it('never lets IT or the supervisor act on a case', () => {
    expect(cases.filter(([, role]) => role === 'it_admin')).toHaveLength(CASE_EVENT_TYPES.length);
    expect(cases.filter(([, role]) => role === 'supervisor')).toHaveLength(CASE_EVENT_TYPES.length);
  });
});

describe('units', () => {
  it('only the holding unit acts', () => {
    const j = journeyTo('received');
    expect(codeOf(attempt(j, helper2, 'accept'))).toBe('WRONG_UNIT');
    expect(codeOf(attempt(j, townLead, 'accept'))).toBe('WRONG_UNIT');
    j.add(helper, 'forward');
    expect(codeOf(attempt(j, helper, 'accept'))).toBe('WRONG_UNIT');
    expect(codeOf(attempt(j, townLeadXh, 'claim'))).toBe('WRONG_UNIT');
    expect(codeOf(attempt(j, townLead, 'claim'))).toBe('OK');
  });

  it('lets the origin window take a withdrawal or supplement while others hold the case', () => {
    const j = journeyTo('accepted').add(helper, 'forward');
    expect(codeOf(attempt(j, helper, 'withdraw'))).toBe('OK');
    expect(codeOf(attempt(j, helper, 'supplement'))).toBe('OK');
    expect(codeOf(attempt(j, helper2, 'withdraw'))).toBe('WRONG_UNIT');
  });

  it('only a requested department replies, and only for itself', () => {
    const j = journeyTo('received')
      .add(helper, 'forward')
      .add(townLead, 'escalate')
      .add(agent, 'accept')
      .add(agent, 'request_assistance');
    expect(
      codeOf(
        attempt(j, deptZj, 'assistance_reply', {
          departmentId: 'dept-zj',
          opinion: '同意',
          outcome: 'agree',
        }),
      ),
    ).toBe('WRONG_UNIT');
    expect(
      codeOf(
        attempt(j, deptZrzy, 'assistance_reply', {
          departmentId: 'dept-zj',
          opinion: '同意',
          outcome: 'agree',
        }),
      ),
    ).toBe('WRONG_UNIT');
    expect(codeOf(attempt(j, deptZrzy, 'assistance_reply'))).toBe('OK');
  });

  it('delivers and rates at the unit the result went to', () => {
    const j = journeyTo('received')
      .add(helper, 'forward')
      .add(townLead, 'accept')
      .add(townLead, 'conclude');
    expect(codeOf(attempt(j, townLead, 'deliver_result'))).toBe('WRONG_UNIT');
    expect(codeOf(attempt(j, helper, 'deliver_result'))).toBe('OK');
  });

  it('refuses an actor whose unit does not fit the role when the org is known', () => {
    const j = journeyTo('received');
    const wrong: Actor = { ...townLead, orgUnitId: 'village-dq-01' };
    expect(codeOf(attempt(j, wrong, 'accept', undefined, { org }))).toBe('WRONG_UNIT');
    expect(codeOf(attempt(j, wrong, 'accept'))).toBe('OK'); // history derivation ignores the tree
  });
});

describe('targets', () => {
  const ctx = { org };
  it('forwards only to the village’s own town', () => {
    const j = journeyTo('received');
    expect(codeOf(attempt(j, helper, 'forward', { toUnitId: 'town-xh', materials: [] }, ctx))).toBe(
      'TARGET_UNIT_INVALID',
    );
    expect(
      codeOf(attempt(j, helper, 'forward', { toUnitId: 'village-dq-01', materials: [] })),
    ).toBe('TARGET_UNIT_INVALID');
    expect(codeOf(attempt(j, helper, 'forward', undefined, ctx))).toBe('OK');
  });

  it('escalates only from a town to its county centre', () => {
    const j = journeyTo('received').add(helper, 'forward');
    expect(
      codeOf(attempt(j, townLead, 'escalate', { toUnitId: 'dept-zj', materials: [] }, ctx)),
    ).toBe('TARGET_UNIT_INVALID');
    expect(
      codeOf(attempt(j, townLead, 'escalate', { toUnitId: 'county-other', materials: [] }, ctx)),
    ).toBe('TARGET_UNIT_INVALID');
    expect(codeOf(attempt(j, townLead, 'escalate', undefined, ctx))).toBe('OK');
  });

  it('returns only to a unit that held the case, one level down', () => {
    const j = journeyTo('received').add(helper, 'forward');
    const to = (toUnitId: string) => ({ toUnitId, reason: '材料不清' });
    expect(codeOf(attempt(j, townLead, 'return_for_correction', to('village-dq-02'), ctx))).toBe(
      'TARGET_UNIT_INVALID',
    );
    expect(codeOf(attempt(j, townLead, 'return_for_correction', to('town-dq'), ctx))).toBe(
      'TARGET_UNIT_INVALID',
    );
    expect(codeOf(attempt(j, townLead, 'return_for_correction', to('village-dq-01'), ctx))).toBe(
      'OK',
    );
  });

  it('asks only departments of the same county', () => {
    const j = journeyTo('received')
      .add(helper, 'forward')
      .add(townLead, 'escalate')
      .add(agent, 'accept');
    const ask = (ids: string[]) => ({ departmentIds: ids, question: '意见' });
    expect(codeOf(attempt(j, agent, 'request_assistance', ask(['dept-other']), ctx))).toBe(
      'TARGET_UNIT_INVALID',
    );
    expect(codeOf(attempt(j, agent, 'request_assistance', ask(['town-dq']), ctx))).toBe(
      'TARGET_UNIT_INVALID',
    );
    expect(
      codeOf(attempt(j, agent, 'request_assistance', ask(['dept-zj', 'dept-zrzy']), ctx)),
    ).toBe('OK');
  });

  it('returns to the village a case was moved to, never to the one it left', () => {
    const j = journeyTo('received').add(helper, 'forward');
    const to = (toUnitId: string) => ({ toUnitId, reason: '材料不清' });
    const moved = { org, caseOriginUnitId: 'village-dq-02', caseFormerUnitIds: ['village-dq-01'] };
    expect(codeOf(attempt(j, townLead, 'return_for_correction', to('village-dq-02'), moved))).toBe(
      'OK',
    );
    expect(codeOf(attempt(j, townLead, 'return_for_correction', to('village-dq-01'), moved))).toBe(
      'TARGET_UNIT_INVALID',
    );
  });

  it('delivers results only at the origin or a window that held the case', () => {
    const j = journeyTo('accepted');
    const at = (deliverAtUnitId: string) => ({
      outcome: 'approved' as const,
      opinion: '准予',
      deliverAtUnitId,
    });
    expect(codeOf(attempt(j, helper, 'conclude', at('dept-zj'), ctx))).toBe('TARGET_UNIT_INVALID');
    expect(codeOf(attempt(j, helper, 'conclude', at('town-dq'), ctx))).toBe('TARGET_UNIT_INVALID');
    expect(codeOf(attempt(j, helper, 'conclude', at('village-xh-01'), ctx))).toBe(
      'TARGET_UNIT_INVALID',
    );
    expect(codeOf(attempt(j, helper, 'conclude', at('village-dq-01'), ctx))).toBe('OK');
    const handed = journeyTo('received').add(helper, 'forward').add(townLead, 'accept');
    expect(codeOf(attempt(handed, townLead, 'conclude', at('town-dq'), ctx))).toBe('OK');
    expect(codeOf(attempt(handed, townLead, 'conclude', at('village-dq-01'), ctx))).toBe('OK');
    expect(codeOf(attempt(handed, townLead, 'conclude', at('village-dq-02'), ctx))).toBe(
      'TARGET_UNIT_INVALID',
    );
    // After a move the default (the receive's origin) no longer serves the applicant.
    const moved = { org, caseOriginUnitId: 'village-dq-02', caseFormerUnitIds: ['village-dq-01'] };
    const plain = { outcome: 'approved' as const, opinion: '准予' };
    expect(codeOf(attempt(handed, townLead, 'conclude', plain, moved))).toBe('TARGET_UNIT_INVALID');
    expect(codeOf(attempt(handed, townLead, 'conclude', at('village-dq-02'), moved))).toBe('OK');
  });
});

describe('payloads', () => {
  const bad = <T extends CaseEventType>(
    status: CaseStatus,
    type: T,
    payload: unknown,
    ctx?: MachineContext,
  ) => codeOf(attempt(journeyTo(status), helper, type, payload as never, ctx));

  it('窗口无否决权: a refusal needs reason, guidance and approver', () => {
    for (const field of ['reason', 'guidance', 'approverName'] as const) {
      expect(bad('received', 'refuse', { ...PAYLOADS.refuse, [field]: '  ' })).toBe(
        'INVALID_PAYLOAD',
      );
    }
  });

  it('一次性告知 lists at least one item', () => {
    expect(bad('received', 'inform_missing', { items: [] })).toBe('INVALID_PAYLOAD');
    expect(
      bad('received', 'inform_missing', { items: [{ materialId: 'm2', name: '', problem: '缺' }] }),
    ).toBe('INVALID_PAYLOAD');
  });

  it('容缺 due date must follow acceptance and stay within the promised limit', () => {
    // Journey clock: acceptance on 2026-03-02 (Beijing time).
    expect(bad('received', 'accept', deferredAccept('2026-03-01'))).toBe('INVALID_PAYLOAD');
    expect(bad('received', 'accept', deferredAccept('2026-03-02'))).toBe('INVALID_PAYLOAD');
    expect(bad('received', 'accept', deferredAccept('2026-02-30'))).toBe('INVALID_PAYLOAD');
    expect(
      bad('received', 'accept', {
        deferred: { materialIds: [], dueDate: '2026-03-05', commitmentSigned: true },
      }),
    ).toBe('INVALID_PAYLOAD');
    const limits: MachineContext = { matterLimits: () => ({ promisedDays: 5, legalDays: 20 }) };
    expect(bad('received', 'accept', deferredAccept('2026-03-12'), limits)).toBe('OK');
    expect(bad('received', 'accept', deferredAccept('2026-03-13'), limits)).toBe('INVALID_PAYLOAD');
    const calendar: MachineContext = { ...limits, addWorkingDays: () => '2026-03-09' };
    expect(bad('received', 'accept', deferredAccept('2026-03-09'), calendar)).toBe('OK');
    expect(bad('received', 'accept', deferredAccept('2026-03-10'), calendar)).toBe(
      'INVALID_PAYLOAD',
    );
  });

  it('rating level is an integer from 1 to 5', () => {
    for (const level of [0, 6, 2.5, '3']) {
      expect(bad('result_delivered', 'rate', { level, channel: 'window', realName: true })).toBe(
        'INVALID_PAYLOAD',
      );
    }
    expect(bad('result_delivered', 'rate', { level: 5, channel: 'window', realName: true })).toBe(
      'OK',
    );
  });

  it('extension adds a positive whole number of days', () => {
    for (const extraDays of [0, -1, 1.5]) {
      expect(bad('processing', 'extend', { ...PAYLOADS.extend, extraDays })).toBe(
        'INVALID_PAYLOAD',
      );
    }
    expect(bad('processing', 'extend', { ...PAYLOADS.extend, approverName: '' })).toBe(
      'INVALID_PAYLOAD',
    );
  });

  it('other required texts', () => {
    expect(bad('received', 'withdraw', { reason: '' })).toBe('INVALID_PAYLOAD');
    expect(bad('accepted_deferred', 'terminate', { reason: '' })).toBe('INVALID_PAYLOAD');
    expect(bad('received', 'log', { text: '' })).toBe('INVALID_PAYLOAD');
    expect(bad('accepted', 'conclude', { outcome: 'maybe', opinion: 'x' })).toBe('INVALID_PAYLOAD');
    expect(bad('accepted', 'suspend', { reason: '', kind: '听证' })).toBe('INVALID_PAYLOAD');
    expect(
      bad('received', 'supplement', {
        materials: [{ materialId: 'm', name: 'n', originals: -1, copies: 0, missing: false }],
      }),
    ).toBe('INVALID_PAYLOAD');
  });

  it('malformed envelopes are INVALID_EVENT', () => {
    const j = journeyTo('received');
    const event = { ...j.make(helper, 'log'), lamport: 0 } as CaseEvent;
    expect(applyEvent(deriveCaseState(j.events), event)).toMatchObject({ code: 'INVALID_EVENT' });
  });
});

describe('derivation over a merged history', () => {
  it('voids the loser of an offline race instead of throwing', () => {
    const base = journeyTo('received');
    // Two village PCs, both offline, both saw only the receive.
    const accept = base.make(helper, 'accept', undefined, base.events);
    const refusal = base.make({ ...helper, userId: 'v.dq01b' }, 'refuse', undefined, base.events);
    expect(accept.lamport).toBe(refusal.lamport);
    const state = deriveCaseState([...base.events, refusal, accept]);
    const [first, second] = [accept, refusal].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(state.appliedEventIds).toContain(first!.id);
    expect(state.voidEvents).toEqual([
      { eventId: second!.id, code: 'ILLEGAL_TRANSITION', messageZh: expect.any(String) },
    ]);
  });

  it('voids events of a foreign case and garbage without stopping', () => {
    const j = journeyTo('accepted');
    const foreign = { ...j.make(helper, 'log'), caseId: 'case-2' } as CaseEvent;
    const garbage = { ...j.make(helper, 'claim'), actor: null } as unknown as CaseEvent;
    const state = deriveCaseState([...j.events, foreign, garbage]);
    expect(state.status).toBe('accepted');
    expect(state.voidEvents.map((v) => v.code).sort()).toEqual([
      'CASE_ID_MISMATCH',
      'ROLE_NOT_PERMITTED',
    ]);
  });
});
