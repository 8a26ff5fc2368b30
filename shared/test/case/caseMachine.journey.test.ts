import { describe, expect, it } from 'vitest';
import { deriveCaseFields, deriveCaseState } from '../../src/case/caseMachine.js';
import {
  agent,
  agent2,
  deferredAccept,
  deptZj,
  deptZrzy,
  fullJourney,
  helper,
  Journey,
  townLead,
} from './fixtures.js';

const statusAfterEach = (journey: Journey) =>
  journey.events.map((_, i) => deriveCaseState(journey.events.slice(0, i + 1)).status);

describe('the 四办 journey', () => {
  it('walks village → town → centre → department → back to the village', () => {
    const journey = fullJourney();
    expect(statusAfterEach(journey)).toEqual([
      'received',
      'accepted_deferred',
      'accepted_deferred', // forward
      'accepted_deferred', // town claim
      'accepted_deferred', // escalate
      'accepted_deferred', // centre claim
      'accepted_deferred', // request_assistance
      'accepted_deferred', // department reply
      'processing', // deferred material supplied, work had started
      'concluded_approved',
      'result_delivered',
      'evaluated',
    ]);
    const state = deriveCaseState(journey.events);
    expect(state.voidEvents).toEqual([]);
    expect(state.originUnitId).toBe('village-dq-01');
    expect(state.holderUnitId).toBe('village-dq-01');
    expect(state.previousHolderUnitIds).toEqual(['village-dq-01', 'town-dq', 'county-sx']);
    expect(state.requestedDeptIds).toEqual(['dept-zrzy']);
    expect(state.assistingDeptIds).toEqual([]);
    expect(state.deferred).toBeNull();
    expect(state.conclusion).toMatchObject({
      outcome: 'approved',
      deliverAtUnitId: 'village-dq-01',
    });
    expect(state.rating).toMatchObject({ level: 1, realName: true });
    expect(state.materials.find((line) => line.materialId === 'm2')?.missing).toBe(false);
  });

  it('tracks holder, handler and open assistance on the way', () => {
    const journey = fullJourney();
    const at = (n: number) => deriveCaseFields(journey.events.slice(0, n));
    expect(at(3)).toEqual({
      status: 'accepted_deferred',
      holderUnitId: 'town-dq',
      handlerUserId: null,
      assistingDeptIds: [],
    });
    expect(at(4).handlerUserId).toBe('t.dq');
    expect(at(5)).toMatchObject({ holderUnitId: 'county-sx', handlerUserId: null });
    expect(at(7)).toMatchObject({ handlerUserId: 'c.agent', assistingDeptIds: ['dept-zrzy'] });
    expect(at(8).assistingDeptIds).toEqual([]);
    expect(at(10)).toMatchObject({
      status: 'concluded_approved',
      holderUnitId: 'village-dq-01',
      handlerUserId: null,
    });
  });

  it('records the 容缺 commitment until the material arrives', () => {
    const events = fullJourney().events.slice(0, 2);
    const state = deriveCaseState(events);
    expect(state.deferred).toEqual({
      materialIds: ['m2'],
      dueDate: '2026-03-10',
      acceptEventId: events[1]!.id,
    });
    expect(state.materials.find((line) => line.materialId === 'm2')).toMatchObject({
      missing: true,
      deferred: true,
    });
  });

  it('lets the village complete a 即办 matter on the spot', () => {
    const journey = new Journey()
      .add(helper, 'receive')
      .add(helper, 'accept')
      .add(helper, 'conclude')
      .add(helper, 'deliver_result')
      .add(helper, 'rate', { level: 2, channel: 'pad', realName: false });
    expect(statusAfterEach(journey)).toEqual([
      'received',
      'accepted',
      'concluded_approved',
      'result_delivered',
      'evaluated',
    ]);
    expect(deriveCaseState(journey.events).voidEventIds).toEqual([]);
  });

  it('handles 一次性告知 then 补正 then acceptance', () => {
    const journey = new Journey()
      .add(helper, 'receive')
      .add(helper, 'inform_missing')
      .add(helper, 'supplement')
      .add(helper, 'accept');
    expect(statusAfterEach(journey)).toEqual([
      'received',
      'correction_required',
      'received',
      'accepted',
    ]);
  });

  it('refuses with reason, guidance and approver (不予受理)', () => {
    const journey = new Journey().add(helper, 'receive').add(helper, 'refuse');
    expect(deriveCaseState(journey.events).status).toBe('not_accepted');
  });

  it('withdraws from any state before conclusion', () => {
    const journey = new Journey()
      .add(helper, 'receive')
      .add(helper, 'accept')
      .add(helper, 'forward')
      .add(townLead, 'claim');
    journey.add(helper, 'withdraw'); // applicant walks into the village window
    const state = deriveCaseState(journey.events);
    expect(state.status).toBe('withdrawn');
    expect(state.voidEventIds).toEqual([]);
  });

  it('terminates a 容缺 case whose materials never came, once the date has passed', () => {
    const journey = new Journey()
      .add(helper, 'receive')
      .add(helper, 'accept', deferredAccept('2026-03-10'))
      .wait(8) // 2026-03-10, Beijing time: still the due date
      .add(helper, 'terminate');
    expect(deriveCaseState(journey.events)).toMatchObject({
      status: 'accepted_deferred',
      voidEvents: [{ code: 'ILLEGAL_TRANSITION' }],
    });
    journey.events.pop();
    journey.wait(1).add(helper, 'terminate');
    expect(deriveCaseState(journey.events).status).toBe('terminated');
  });

  it('suspends and resumes to the previous status, recording the period', () => {
    const journey = new Journey()
      .add(helper, 'receive')
      .add(helper, 'accept', deferredAccept())
      .add(helper, 'suspend')
      .add(helper, 'extend')
      .add(helper, 'resume')
      .add(helper, 'claim')
      .add(helper, 'suspend')
      .add(helper, 'resume');
    const state = deriveCaseState(journey.events);
    expect(statusAfterEach(journey).slice(2, 5)).toEqual([
      'suspended',
      'suspended',
      'accepted_deferred',
    ]);
    expect(state.status).toBe('accepted_deferred');
    expect(state.extensionDaysTotal).toBe(5);
    expect(state.suspensions).toHaveLength(2);
    expect(state.suspensions[0]).toMatchObject({
      kind: '现场勘验',
      resumeEventId: journey.events[4]!.id,
      startedAt: journey.events[2]!.deviceTime,
      endedAt: journey.events[4]!.deviceTime,
    });
  });

  it('returns a case one level down and lets it climb again', () => {
    const journey = new Journey()
      .add(helper, 'receive')
      .add(helper, 'forward')
      .add(townLead, 'return_for_correction')
      .add(helper, 'supplement')
      .add(helper, 'forward')
      .add(townLead, 'accept');
    expect(statusAfterEach(journey)).toEqual([
      'received',
      'received',
      'correction_required',
      'received',
      'received',
      'accepted',
    ]);
    expect(deriveCaseState(journey.events).voidEventIds).toEqual([]);
  });

  it('lets the centre assign an agent and ask several departments', () => {
    const journey = new Journey()
      .add(helper, 'receive')
      .add(helper, 'forward')
      .add(townLead, 'escalate')
      .add(agent, 'accept')
      .add(agent, 'assign')
      .add(agent2, 'request_assistance', {
        departmentIds: ['dept-zrzy', 'dept-zj'],
        question: '联合审查',
      })
      .add(deptZj, 'assistance_reply', {
        departmentId: 'dept-zj',
        opinion: '同意',
        outcome: 'step_done',
      });
    const state = deriveCaseState(journey.events);
    expect(state).toMatchObject({
      status: 'processing',
      handlerUserId: 'c.agent2',
      assistingDeptIds: ['dept-zrzy'],
    });
    journey.add(agent2, 'conclude');
    expect(deriveCaseState(journey.events).voidEvents[0]).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
    });
    journey.events.pop();
    journey.add(deptZrzy, 'assistance_reply').add(agent2, 'conclude', {
      outcome: 'denied',
      opinion: '不符合条件',
      deliverAtUnitId: 'town-dq',
    });
    expect(deriveCaseFields(journey.events)).toMatchObject({
      status: 'concluded_denied',
      holderUnitId: 'town-dq',
    });
  });

  it('derives the same state whatever order the events arrive in', () => {
    const events = fullJourney().events;
    const reversed = [...events].reverse();
    expect(deriveCaseState(reversed)).toEqual(deriveCaseState(events));
  });

  it('throws CASE_NOT_RECEIVED for derived fields of a history without receive', () => {
    expect(() => deriveCaseFields([])).toThrow(/CASE_NOT_RECEIVED/);
  });
});
