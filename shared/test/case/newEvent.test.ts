import { describe, expect, it } from 'vitest';
import { createEvent } from '../../src/case/newEvent.js';
import { helper, PAYLOADS } from './fixtures.js';

describe('createEvent', () => {
  it('starts a case at lamport 1 with a device-scoped id', () => {
    const event = createEvent({
      caseId: 'case-7',
      caseEvents: [],
      type: 'receive',
      payload: PAYLOADS.receive,
      actor: helper,
      deviceId: 'dev-1',
      counter: 42,
      now: new Date('2026-03-02T01:00:00.000Z'),
    });
    expect(event).toEqual({
      id: 'dev-1:42',
      caseId: 'case-7',
      type: 'receive',
      lamport: 1,
      actor: helper,
      deviceId: 'dev-1',
      deviceTime: '2026-03-02T01:00:00.000Z',
      payload: PAYLOADS.receive,
    });
    expect(event.actor).not.toBe(helper);
  });

  it('takes 1 + the highest lamport seen and the case id of the history', () => {
    const history = [
      { lamport: 3, caseId: 'case-7' },
      { lamport: 9, caseId: 'case-7' },
      { lamport: 4, caseId: 'case-7' },
    ];
    const event = createEvent({
      caseEvents: history,
      type: 'log',
      payload: { text: '回访' },
      actor: helper,
      deviceId: 'dev-1',
      counter: 43,
      now: '2026-03-02T02:00:00.000Z',
    });
    expect(event).toMatchObject({ lamport: 10, caseId: 'case-7', id: 'dev-1:43' });
  });

  it('needs a case id for the first event', () => {
    expect(() =>
      createEvent({
        caseEvents: [],
        type: 'log',
        payload: { text: 'x' },
        actor: helper,
        deviceId: 'd',
        counter: 1,
        now: new Date(),
      }),
    ).toThrow(/CASE_ID_MISSING/);
  });
});
