/** The one deadline computation hub and PC share: China dates, suspensions, extensions, 暂估. */
import { describe, expect, it } from 'vitest';
import { buildCalendar, seedCalendar } from '../../src/calendar/index.js';
import {
  computeCaseDeadlines,
  sameDeadlines,
  type DeadlineInputs,
} from '../../src/deadlines/index.js';
import type { CaseEvent } from '../../src/case/caseTypes.js';
import { CN_2027_SAMPLE } from '../calendar/cn2027Sample.js';
import { helper, Journey } from '../case/fixtures.js';

const limits = { promisedDays: 20, legalDays: 30 };

/** Stamps an event as the hub received it at `hubTime`. */
const atHub = (e: CaseEvent, hubTime: string): CaseEvent => ({ ...e, hubTime });

function accepted(acceptHubTime: string): CaseEvent[] {
  const j = new Journey().add(helper, 'receive').add(helper, 'accept');
  return j.events.map((e) => (e.type === 'accept' ? atHub(e, acceptHubTime) : e));
}

const input = (events: CaseEvent[], over: Partial<DeadlineInputs> = {}): DeadlineInputs => ({
  events,
  limits,
  calendar: seedCalendar,
  now: new Date('2026-12-10T03:00:00Z'),
  ...over,
});

describe('computeCaseDeadlines', () => {
  it('counts from the working day after acceptance, on the China date', () => {
    // 2026-03-01T20:00Z is Monday 03-02 04:00 in China: day 1 is Tuesday 03-03.
    const d = computeCaseDeadlines(
      input(accepted('2026-03-01T20:00:00Z'), {
        limits: { promisedDays: 1, legalDays: 5 },
        now: new Date('2026-03-02T01:00:00Z'),
      }),
    );
    expect(d).toEqual({
      startDate: '2026-03-02',
      legalDue: '2026-03-09',
      promisedDue: '2026-03-03',
      promisedDaysLeft: 1,
      computedAt: '2026-03-02T01:00:00.000Z',
      provisional: false,
    });
  });

  it('is null before acceptance or without matter limits', () => {
    const received = new Journey().add(helper, 'receive').events;
    expect(computeCaseDeadlines(input(received))).toBeNull();
    expect(
      computeCaseDeadlines(input(accepted('2026-03-02T02:00:00Z'), { limits: undefined })),
    ).toBeNull();
  });

  it('accepted on 2026-12-10 with 20 working days: a provisional date, exact once 2027 exists', () => {
    const events = accepted('2026-12-10T02:00:00Z');
    const provisional = computeCaseDeadlines(input(events))!;
    expect(provisional).toMatchObject({
      startDate: '2026-12-10',
      promisedDue: '2027-01-07',
      provisional: true,
    });
    const calendar = buildCalendar([...seedCalendar.tables, CN_2027_SAMPLE]);
    const exact = computeCaseDeadlines(input(events, { calendar }))!;
    expect(exact).toMatchObject({ promisedDue: '2027-01-08', provisional: false });
    expect(sameDeadlines(provisional, exact)).toBe(false);
  });

  it('stops the clock while suspended (an open suspension runs to today) and adds extensions', () => {
    const j = new Journey().add(helper, 'receive').add(helper, 'accept');
    const acceptAt = '2026-03-02T02:00:00Z'; // Monday
    const base = j.events.map((e) => (e.type === 'accept' ? atHub(e, acceptAt) : e));
    const suspend = atHub(j.make(helper, 'suspend', undefined, base), '2026-03-03T02:00:00Z');
    const limits5 = { promisedDays: 5, legalDays: 10 };
    const now = new Date('2026-03-05T02:00:00Z');
    // Open suspension 03-03..03-05 (today): 03-06 (1), 03-09..03-12 (2..5).
    expect(
      computeCaseDeadlines(input([...base, suspend], { limits: limits5, now }))!.promisedDue,
    ).toBe('2026-03-12');
    const resume = atHub(
      j.make(helper, 'resume', undefined, [...base, suspend]),
      '2026-03-04T02:00:00Z',
    );
    const extend = atHub(
      j.make(helper, 'extend', { reason: '复杂', extraDays: 2, approverName: '李' }, [
        ...base,
        suspend,
        resume,
      ]),
      '2026-03-05T02:00:00Z',
    );
    // Suspended 03-03..03-04; 03-05 (1) .. 03-11 (5), +2 extension: 03-13.
    expect(
      computeCaseDeadlines(input([...base, suspend, resume, extend], { limits: limits5, now }))!
        .promisedDue,
    ).toBe('2026-03-13');
  });
});

describe('sameDeadlines', () => {
  const a = {
    startDate: '2026-12-10',
    legalDue: '2027-01-21',
    promisedDue: '2027-01-07',
    computedAt: '2026-12-10T03:00:00.000Z',
  };
  it('ignores when they were computed and treats a missing flag as exact', () => {
    expect(sameDeadlines(a, { ...a, computedAt: 'later', provisional: false })).toBe(true);
    expect(sameDeadlines(a, { ...a, provisional: true })).toBe(false);
    expect(sameDeadlines(null, null)).toBe(true);
    expect(sameDeadlines(a, null)).toBe(false);
  });
});
