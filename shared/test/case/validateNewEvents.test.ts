import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../../src/case/caseTypes.js';
import { validateNewEvents } from '../../src/case/validateNewEvents.js';
import {
  agent,
  CASE_ID,
  fullJourney,
  helper,
  Journey,
  org,
  townLead,
  townLeadXh,
} from './fixtures.js';

describe('validateNewEvents', () => {
  it('accepts a whole journey pushed step by step by each actor', () => {
    const events = fullJourney().events;
    for (let i = 0; i < events.length; i += 1) {
      const event = events[i]!;
      const verdict = validateNewEvents(events.slice(0, i), [event], {
        org,
        caseId: CASE_ID,
        pushedBy: event.actor,
        deviceId: event.deviceId,
        matterLimits: () => ({ promisedDays: 10, legalDays: 20 }),
      });
      expect([i, verdict.ok]).toEqual([i, true]);
    }
  });

  it('returns the added events and the merged state', () => {
    const events = new Journey().add(helper, 'receive').add(helper, 'accept').events;
    const verdict = validateNewEvents(events.slice(0, 1), events.slice(1), { org });
    expect(verdict).toMatchObject({
      ok: true,
      value: { added: [events[1]], state: { status: 'accepted' } },
    });
  });

  it('ignores an unchanged resend and refuses a changed one', () => {
    const events = new Journey().add(helper, 'receive').add(helper, 'log').events;
    const resend = validateNewEvents(events, [events[1]!]);
    expect(resend).toMatchObject({ ok: true, value: { added: [] } });
    const changed = { ...events[1]!, payload: { text: '改过的日志' } } as CaseEvent;
    expect(validateNewEvents(events, [changed])).toMatchObject({
      ok: false,
      code: 'EVENT_ID_CONFLICT',
      refusedEventIds: [changed.id],
    });
    // hubTime alone is not a change.
    expect(
      validateNewEvents(events, [{ ...events[1]!, hubTime: '2026-03-02T03:00:00.000Z' }]).ok,
    ).toBe(true);
  });

  it('refuses the failing event and everything pushed after it', () => {
    const j = new Journey().add(helper, 'receive');
    const good = j.make(helper, 'log');
    const badRefusal = j.make(helper, 'refuse', { reason: '', guidance: 'x', approverName: 'y' }, [
      ...j.events,
      good,
    ]);
    const after = j.make(helper, 'log', undefined, [...j.events, good, badRefusal]);
    const verdict = validateNewEvents(j.events, [after, good, badRefusal]);
    expect(verdict).toMatchObject({
      ok: false,
      code: 'INVALID_PAYLOAD',
      refusedEventIds: [badRefusal.id, after.id],
    });
  });

  it('checks the tree for new events: forward to a foreign town', () => {
    const j = new Journey().add(helper, 'receive');
    const forward = j.make(helper, 'forward', { toUnitId: 'town-xh', materials: [] });
    expect(validateNewEvents(j.events, [forward], { org })).toMatchObject({
      code: 'TARGET_UNIT_INVALID',
    });
  });

  it('refuses events that are not the pusher’s own', () => {
    const j = new Journey().add(helper, 'receive');
    const log = j.make(helper, 'log');
    expect(validateNewEvents(j.events, [log], { pushedBy: townLead })).toMatchObject({
      code: 'ACTOR_MISMATCH',
    });
    expect(
      validateNewEvents(j.events, [log], { pushedBy: helper, deviceId: 'dev-other' }),
    ).toMatchObject({
      code: 'ACTOR_MISMATCH',
    });
    expect(
      validateNewEvents(j.events, [log], { pushedBy: { ...helper, role: 'town_lead' } }),
    ).toMatchObject({
      code: 'ACTOR_MISMATCH',
    });
  });

  it('refuses events of another case and unknown types', () => {
    const j = new Journey().add(helper, 'receive');
    const log = j.make(helper, 'log');
    expect(
      validateNewEvents(j.events, [{ ...log, caseId: 'case-9' }], { caseId: CASE_ID }),
    ).toMatchObject({
      code: 'CASE_ID_MISMATCH',
    });
    const odd = { ...log, type: 'teleport' } as unknown as CaseEvent;
    expect(validateNewEvents(j.events, [odd])).toMatchObject({ code: 'UNKNOWN_EVENT_TYPE' });
  });

  it('refuses a first push that does not start with receive, or a second receive', () => {
    const j = new Journey().add(helper, 'receive');
    const log = j.make(helper, 'log');
    expect(validateNewEvents([], [log])).toMatchObject({ code: 'RECEIVE_NOT_FIRST' });
    const again = j.make(helper, 'receive');
    expect(validateNewEvents(j.events, [again])).toMatchObject({ code: 'RECEIVE_DUPLICATED' });
  });

  it('refuses an offline event that would void what the hub already accepted', () => {
    const j = new Journey().add(helper, 'receive');
    const seen = [...j.events];
    j.add(helper, 'accept').add(helper, 'forward');
    // A second village PC, offline since the receive, records a withdrawal that sorts first.
    const late = {
      ...j.make(helper, 'withdraw', undefined, seen),
      id: 'dev-aaa:1',
      deviceId: 'dev-aaa',
    } as CaseEvent;
    const verdict = validateNewEvents(j.events, [late]);
    expect(verdict).toMatchObject({
      ok: false,
      code: 'HISTORY_CONFLICT',
      refusedEventIds: [late.id],
      details: { conflictsWith: j.events[1]!.id },
    });
  });

  it('refuses an offline event that is illegal at its place', () => {
    const j = new Journey().add(helper, 'receive').add(helper, 'forward');
    const stale = j.make(townLeadXh, 'claim');
    expect(validateNewEvents(j.events, [stale], { org })).toMatchObject({ code: 'WRONG_UNIT' });
    const late = j.make(agent, 'claim');
    expect(validateNewEvents(j.events, [late], { org })).toMatchObject({ code: 'WRONG_UNIT' });
  });
});
