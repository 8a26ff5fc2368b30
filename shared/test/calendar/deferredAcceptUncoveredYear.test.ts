/**
 * Issue 19 fault 4 (calendar half): a 容缺 acceptance in December whose limit check reaches a
 * year the calendar does not cover came back INVALID_EVENT "事件格式无法识别" (the calendar
 * threw inside the check). With the provisional calendar the check answers, weekends only.
 */
import { describe, expect, it } from 'vitest';
import { addWorkingDays, seedCalendar } from '../../src/calendar/index.js';
import { validateNewEvents } from '../../src/case/validateNewEvents.js';
import type { NewEventsContext } from '../../src/case/validateNewEvents.js';
import { deferredAccept, helper, Journey } from '../case/fixtures.js';

/** The context the hub builds for a push (pushHandler): matter limits and its calendar. */
const ctx: NewEventsContext = {
  matterLimits: () => ({ promisedDays: 20, legalDays: 30 }),
  addWorkingDays: (iso, n) => addWorkingDays(iso, n, seedCalendar),
};

describe('容缺 acceptance checked against an uncovered year', () => {
  // Journey starts 2026-03-02; 283 days later is 2026-12-10 (China date).
  const journey = () => new Journey().wait(283).add(helper, 'receive');

  it('accepts a due date within the provisional limit (2027-01-07), not INVALID_EVENT', () => {
    const j = journey();
    const accept = j.make(helper, 'accept', deferredAccept('2027-01-05'));
    const verdict = validateNewEvents([], [...j.events, accept], ctx);
    expect(verdict).toMatchObject({ ok: true });
  });

  it('refuses a due date past the provisional limit with INVALID_PAYLOAD naming the limit', () => {
    const j = journey();
    const accept = j.make(helper, 'accept', deferredAccept('2027-01-20'));
    const verdict = validateNewEvents([], [...j.events, accept], ctx);
    expect(verdict).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    expect(verdict.ok ? '' : verdict.messageZh).toContain('2027-01-07');
  });
});
