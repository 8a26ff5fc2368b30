/** The one due-soon rule: 2 working days before the promised date, China date, 暂估 flagged. */
import { describe, expect, it } from 'vitest';
import { seedCalendar } from '../../src/calendar/index.js';
import {
  DUE_SOON_WORKING_DAYS,
  daysLeft,
  deadlineClockRunning,
  dueBucket,
  dueWindow,
} from '../../src/deadlines/index.js';

describe('due soon', () => {
  it('is two working days, counted from the China date', () => {
    expect(DUE_SOON_WORKING_DAYS).toBe(2);
    // Thursday 2026-03-05 23:30 UTC is Friday 03-06 in China: soon through Tuesday 03-10.
    const w = dueWindow(seedCalendar, new Date('2026-03-05T23:30:00Z'));
    expect(w).toEqual({ today: '2026-03-06', soonThrough: '2026-03-10', provisional: false });
    expect(dueBucket('2026-03-05', w)).toBe('overdue');
    expect(dueBucket('2026-03-06', w)).toBe('due_soon');
    expect(dueBucket('2026-03-10', w)).toBe('due_soon');
    expect(dueBucket('2026-03-11', w)).toBeNull();
    expect(dueBucket(null, w)).toBeNull();
  });

  it('counts days left on the China date and flags uncovered years', () => {
    expect(daysLeft('2026-03-10', seedCalendar, new Date('2026-03-05T23:30:00Z'))).toMatchObject({
      days: 2,
      provisional: false,
    });
    expect(daysLeft('2027-01-07', seedCalendar, new Date('2026-12-30T02:00:00Z'))).toMatchObject({
      days: 6,
      provisional: true,
    });
    expect(dueWindow(seedCalendar, new Date('2026-12-30T02:00:00Z')).provisional).toBe(true);
  });

  it('runs the clock only while accepted or processing', () => {
    expect(deadlineClockRunning('processing')).toBe(true);
    expect(deadlineClockRunning('accepted_deferred')).toBe(true);
    expect(deadlineClockRunning('suspended')).toBe(false);
    expect(deadlineClockRunning('concluded_approved')).toBe(false);
  });
});
