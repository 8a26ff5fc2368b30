/**
 * Authority at receipt (issue 13) and the rules that ride with it: a unit that no longer holds
 * a case cannot slip a decision in before its handoff; a supplement still can; only the bad
 * events of a push are refused; caps; a repeated claim.
 */
import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../../src/case/caseTypes.js';
import { deriveCaseState } from '../../src/case/caseMachine.js';
import { MAX_CASE_EVENTS, MAX_NEW_EVENTS_PER_ROW } from '../../src/case/caseLimits.js';
import { validateNewEvents, type NewEventsContext } from '../../src/case/validateNewEvents.js';
import type { Actor } from '../../src/org/orgTypes.js';
import { agent, deferredAccept, helper, Journey, material, org, townLead } from './fixtures.js';

/** Another PC of the same village (another user there). */
const helper2OfSameVillage = (): Actor => ({ ...helper, userId: 'v.dq01b', name: '同村同事' });

const ctxOf = (by: Actor, event: CaseEvent): NewEventsContext => ({
  org,
  pushedBy: by,
  deviceId: event.deviceId,
});

/** Received and accepted (容缺: m2 outstanding) by the village, then forwarded to the town. */
function forwarded(): { j: Journey; beforeHandoff: CaseEvent[] } {
  const j = new Journey()
    .add(helper, 'receive')
    .add(helper, 'accept', deferredAccept('2026-03-20'));
  const beforeHandoff = [...j.events];
  j.add(helper, 'forward').add(townLead, 'claim');
  return { j, beforeHandoff };
}

describe('authority at receipt', () => {
  it('refuses a deadline extension a village back-dates before its own handoff', () => {
    const { j, beforeHandoff } = forwarded();
    // Written "before" the forward: at that place the village still held the case.
    const extend = j.make(
      helper,
      'extend',
      { reason: '材料复杂', extraDays: 30, approverName: '村主任' },
      beforeHandoff.slice(0, 1),
    );
    const verdict = validateNewEvents(j.events, [extend], ctxOf(helper, extend));
    expect(verdict).toMatchObject({
      ok: false,
      code: 'LATE_EVENT_NOT_HOLDER',
      refusedEventIds: [extend.id],
    });
    expect(verdict.ok ? null : verdict.messageZh).toContain('延期');
  });

  it('refuses a back-dated work-log line and a back-dated suspension from a former holder', () => {
    const { j, beforeHandoff } = forwarded();
    for (const type of ['log', 'suspend'] as const) {
      const event = j.make(helper, type, undefined, beforeHandoff.slice(0, 1));
      expect(validateNewEvents(j.events, [event], ctxOf(helper, event))).toMatchObject({
        ok: false,
        code: 'LATE_EVENT_NOT_HOLDER',
      });
    }
  });

  it('refuses an extension the holder back-dates before its own conclusion', () => {
    const j = new Journey().add(helper, 'receive').add(helper, 'accept');
    const view = [...j.events];
    j.add(helper, 'conclude');
    const extend = j.make(helper, 'extend', undefined, view.slice(0, 1));
    expect(validateNewEvents(j.events, [extend], ctxOf(helper, extend))).toMatchObject({
      ok: false,
      code: 'LATE_EVENT_SUPERSEDED',
    });
  });

  it('judges a push’s own events on top of each other at receipt', () => {
    const j = new Journey().add(helper, 'receive');
    const view = [...j.events];
    // The other PC had seen more history (a higher lamport) than this one.
    j.events.push({ ...j.make(helper2OfSameVillage(), 'log'), lamport: 9 });
    const accept = j.make(helper, 'accept', undefined, view);
    const conclude = j.make(helper, 'conclude', undefined, [...view, accept]);
    // Both sort before the other PC's log line, so both are back-dated.
    const verdict = validateNewEvents(j.events, [accept, conclude], ctxOf(helper, accept));
    expect(verdict.ok).toBe(true);
  });

  it('refuses the same event placed after the handoff, with the place rule', () => {
    const { j } = forwarded();
    const extend = j.make(helper, 'extend');
    expect(validateNewEvents(j.events, [extend], ctxOf(helper, extend))).toMatchObject({
      ok: false,
      code: 'WRONG_UNIT',
    });
  });

  it('keeps a 容缺 supplement the village took in offline before it heard of the handoff', () => {
    const { j, beforeHandoff } = forwarded();
    const supplement = j.make(helper, 'supplement', { materials: [material('m2')] }, beforeHandoff);
    const verdict = validateNewEvents(j.events, [supplement], ctxOf(helper, supplement));
    expect(verdict.ok).toBe(true);
    if (verdict.ok) {
      expect(verdict.value.state.deferred).toBeNull();
      expect(verdict.value.state.holderUnitId).toBe('town-dq');
    }
  });

  it('keeps a late supplement from a town that already escalated, refuses its late withdrawal', () => {
    const { j } = forwarded();
    const townView = [...j.events];
    j.add(townLead, 'escalate').add(agent, 'claim');
    const supplement = j.make(townLead, 'supplement', { materials: [material('m2')] }, townView);
    expect(validateNewEvents(j.events, [supplement], ctxOf(townLead, supplement)).ok).toBe(true);
    const withdraw = j.make(townLead, 'withdraw', undefined, townView);
    expect(validateNewEvents(j.events, [withdraw], ctxOf(townLead, withdraw))).toMatchObject({
      ok: false,
      code: 'LATE_EVENT_NOT_HOLDER',
    });
  });

  it('lets the origin record the applicant’s withdrawal now; a back-dated one cannot undo the holder’s work', () => {
    const { j, beforeHandoff } = forwarded();
    const now = j.make(helper, 'withdraw');
    expect(validateNewEvents(j.events, [now], ctxOf(helper, now)).ok).toBe(true);
    const late = j.make(helper, 'withdraw', undefined, beforeHandoff);
    expect(validateNewEvents(j.events, [late], ctxOf(helper, late))).toMatchObject({
      ok: false,
      code: 'HISTORY_CONFLICT',
    });
  });

  it('keeps a former holder’s supplement whichever side of the handoff it sorts on', () => {
    const { j } = forwarded();
    const townView = [...j.events];
    j.add(townLead, 'escalate');
    // Same view as the escalation, written later on the same device: sorts after it.
    const supplement = j.make(townLead, 'supplement', { materials: [material('m2')] }, townView);
    expect(validateNewEvents(j.events, [supplement], ctxOf(townLead, supplement)).ok).toBe(true);
  });
});

describe('concurrent offline edits are decided by meaning, not by device id', () => {
  /** Village supplement and town suspend written on the same view, with every id order. */
  for (const supplementFirst of [true, false]) {
    it(`keeps both a supplement and a suspension (${supplementFirst ? 'supplement' : 'suspend'} sorts first)`, () => {
      const { j } = forwarded();
      const view = [...j.events];
      const suspend = j.make(townLead, 'suspend', undefined, view);
      const supplement = j.make(helper, 'supplement', { materials: [material('m2')] }, view);
      // Same lamport; which sorts first depends only on the ids, so set them.
      const s = { ...suspend, id: supplementFirst ? 'zz-town:1' : 'aa-town:1', deviceId: 'x' };
      const m = { ...supplement, id: supplementFirst ? 'aa-village:1' : 'zz-village:1' };
      for (const [first, second] of [
        [s, m],
        [m, s],
      ] as const) {
        const one = validateNewEvents(view, [first]);
        expect(one.ok).toBe(true);
        const stored = [...view, first];
        const two = validateNewEvents(stored, [second]);
        expect(two.ok).toBe(true);
        const state = deriveCaseState([...stored, second]);
        expect(state.status).toBe('suspended');
        expect(state.deferred).toBeNull();
        // On resume the case is no longer waiting for 容缺 materials.
        expect(state.statusBeforeSuspend).toBe('processing');
        expect(state.voidEventIds).toEqual([]);
      }
    });
  }
});

describe('a supplement against a decision that closes the intake', () => {
  for (const supplementFirst of [true, false]) {
    it(`is refused once the conclusion reached the hub (${supplementFirst ? 'supplement' : 'conclusion'} sorts first)`, () => {
      const j = new Journey().add(helper, 'receive').add(helper, 'accept').add(helper, 'forward');
      j.add(townLead, 'claim');
      const view = [...j.events];
      const conclude = {
        ...j.make(townLead, 'conclude', undefined, view),
        id: supplementFirst ? 'zz:1' : 'aa:1',
      };
      const supplement = {
        ...j.make(helper, 'supplement', { materials: [material('m3')] }, view),
        id: supplementFirst ? 'aa:2' : 'zz:2',
      };
      expect(validateNewEvents(view, [conclude]).ok).toBe(true);
      const verdict = validateNewEvents([...view, conclude], [supplement]);
      expect(verdict.ok).toBe(false);
      expect(verdict.ok ? '' : verdict.code).toBe(
        supplementFirst ? 'LATE_EVENT_SUPERSEDED' : 'ILLEGAL_TRANSITION',
      );
    });
  }
});

describe('only the bad events of a push are refused', () => {
  it('stores the receive of a new case whose later event is refused', () => {
    const j = new Journey();
    const receive = j.make(helper, 'receive', undefined, []);
    const badAccept = j.make(helper, 'accept', deferredAccept('2026-03-01'), [receive]);
    const verdict = validateNewEvents([], [receive, badAccept], ctxOf(helper, receive));
    expect(verdict).toMatchObject({
      ok: false,
      code: 'INVALID_PAYLOAD',
      refusedEventIds: [badAccept.id],
    });
    if (!verdict.ok) {
      expect(verdict.accepted.added.map((e) => e.id)).toEqual([receive.id]);
      expect(verdict.accepted.state.status).toBe('received');
    }
  });

  it('refuses the events written on top of a refused one, but never a supplement', () => {
    const j = new Journey().add(helper, 'receive');
    const seen = [...j.events];
    const bad = j.make(helper, 'refuse', { reason: '', guidance: 'x', approverName: 'y' }, seen);
    const after = j.make(helper, 'log', undefined, [...seen, bad]);
    const supplement = j.make(helper, 'supplement', undefined, [...seen, bad, after]);
    const verdict = validateNewEvents(j.events, [bad, after, supplement], ctxOf(helper, bad));
    expect(verdict).toMatchObject({ ok: false, refusedEventIds: [bad.id, after.id] });
    if (!verdict.ok) expect(verdict.accepted.added).toEqual([supplement]);
  });

  it('blames the decision, not the supplement pushed with it, for voiding the holder’s work', () => {
    const { j, beforeHandoff } = forwarded();
    const supplement = j.make(helper, 'supplement', { materials: [material('m2')] }, beforeHandoff);
    const withdraw = j.make(helper, 'withdraw', undefined, [...beforeHandoff, supplement]);
    const both = [supplement, { ...withdraw, lamport: supplement.lamport } as CaseEvent];
    const verdict = validateNewEvents(j.events, both, ctxOf(helper, supplement));
    expect(verdict).toMatchObject({
      ok: false,
      code: 'HISTORY_CONFLICT',
      refusedEventIds: [withdraw.id],
    });
    if (!verdict.ok) expect(verdict.accepted.added).toEqual([supplement]);
  });

  it('refuses a whole push that carries a forged event', () => {
    const j = new Journey().add(helper, 'receive');
    const log = j.make(helper, 'log');
    const forged = { ...j.make(helper, 'log'), actor: townLead } as CaseEvent;
    const verdict = validateNewEvents(j.events, [log, forged], ctxOf(helper, log));
    expect(verdict).toMatchObject({ ok: false, code: 'ACTOR_MISMATCH' });
    if (!verdict.ok) expect(verdict.accepted.added).toEqual([]);
  });
});

describe('caps', () => {
  it(`refuses a row with more than ${MAX_NEW_EVENTS_PER_ROW} new events`, () => {
    const j = new Journey().add(helper, 'receive');
    const logs: CaseEvent[] = [];
    for (let i = 0; i <= MAX_NEW_EVENTS_PER_ROW; i += 1) {
      logs.push(j.make(helper, 'log', { text: `第${i}条` }, [...j.events, ...logs]));
    }
    expect(validateNewEvents(j.events, logs, ctxOf(helper, logs[0]!))).toMatchObject({
      ok: false,
      code: 'PUSH_EVENTS_LIMIT',
    });
    expect(validateNewEvents(j.events, logs.slice(1), ctxOf(helper, logs[0]!)).ok).toBe(true);
  });

  it(`keeps a case at ${MAX_CASE_EVENTS} events whatever the push carries`, () => {
    const j = new Journey().add(helper, 'receive');
    const stored: CaseEvent[] = [...j.events];
    // Built without the machine's help: a long stored history of log lines.
    for (let i = stored.length; i < MAX_CASE_EVENTS - 3; i += 1) {
      stored.push({
        ...stored[0]!,
        id: `hist:${i}`,
        type: 'log',
        lamport: i + 1,
        payload: { text: '日志' },
      } as CaseEvent);
    }
    const fresh: CaseEvent[] = [];
    for (let i = 0; i < 6; i += 1) {
      fresh.push(j.make(helper, 'log', { text: `新${i}` }, [...stored, ...fresh]));
    }
    const verdict = validateNewEvents(stored, fresh, ctxOf(helper, fresh[0]!));
    expect(verdict).toMatchObject({
      ok: false,
      code: 'CASE_EVENTS_LIMIT',
      refusedEventIds: fresh.slice(3).map((e) => e.id),
    });
    if (!verdict.ok) expect(stored.length + verdict.accepted.added.length).toBe(MAX_CASE_EVENTS);
  });
});

describe('a calendar that cannot answer', () => {
  it('does not turn a 容缺 acceptance into an unreadable event', () => {
    const j = new Journey().add(helper, 'receive');
    const accept = j.make(helper, 'accept', deferredAccept('2026-03-04'));
    const verdict = validateNewEvents(j.events, [accept], {
      ...ctxOf(helper, accept),
      matterLimits: () => ({ promisedDays: 5, legalDays: 20 }),
      addWorkingDays: () => {
        throw new Error('CALENDAR_YEAR_MISSING');
      },
    });
    expect(verdict.ok).toBe(true);
  });
});

describe('claims', () => {
  it('refuses a second claim by the user who already handles the case', () => {
    const { j } = forwarded();
    const again = j.make(townLead, 'claim');
    expect(validateNewEvents(j.events, [again], ctxOf(townLead, again))).toMatchObject({
      ok: false,
      code: 'CLAIM_DUPLICATED',
    });
  });
});
