import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import {
  addWorkingDays,
  buildCalendar,
  SEED_CALENDAR_YEARS,
  type CalendarYearTable,
  type SessionUser,
} from '@sibantong/shared';
import { openDatabase, type AppDatabase } from '../../src/renderer/db/database';
import { deadlineViewOf } from '../../src/renderer/hooks/deadlineView';
import { CaseDetail } from '../../src/renderer/features/case-detail/CaseDetail';
import { caseDoc, ev } from './caseFixtures';
import { renderInApp } from './support/renderInApp';

/**
 * Deadlines on screen: the shared computation on the China date, with the calendar the hub
 * synced (not the built-in seed), suspensions stopping the clock, and a date that reaches a
 * year without a holiday table marked 暂估 on screen and on the receipt.
 */
const Y2026 = SEED_CALENDAR_YEARS.find((t) => t.year === 2026)!;
const Y2027: CalendarYearTable = {
  year: 2027,
  holidays: [
    { date: '2027-01-01', name: '元旦' },
    { date: '2027-01-04', name: '元旦' },
  ],
  workdays: [],
};
const limits = { promisedDays: 20, legalDays: 20 };
const at = (iso: string) => ({ deviceTime: iso, hubTime: iso });
const RECEIVED = {
  matterCode: 'M1',
  provisionalNo: 'LS-V1-d1',
  applicantKind: 'person',
  applicantName: '张三',
  materials: [{ materialId: 'id-card', name: '身份证', originals: 1, copies: 1, missing: false }],
  agentAuthorised: false,
  channel: 'village_window',
};

/** An accepted case; `more` mints later events (after these, in Lamport order). */
function accepted(acceptedAt: string, more: () => ReturnType<typeof ev>[] = () => []) {
  const first = [ev('receive', at(acceptedAt), RECEIVED), ev('accept', at(acceptedAt))];
  return caseDoc('d1', { status: 'accepted', events: [...first, ...more()] });
}

describe('deadline view', () => {
  it('a case accepted on 2026-12-10 with 20 working days is provisional until 2027 is imported', () => {
    const doc = accepted('2026-12-10T02:00:00.000Z');
    const now = new Date('2026-12-10T03:00:00.000Z');
    const before = deadlineViewOf(doc, limits, buildCalendar([Y2026]), now);
    expect(before).toMatchObject({ source: 'local', provisional: true, clockRunning: true });
    expect(before.promisedDue! > '2027-01-01').toBe(true);
    const after = deadlineViewOf(doc, limits, buildCalendar([Y2026, Y2027]), now);
    expect(after.provisional).toBe(false);
    // 2027's days off now count: the due date moves past them.
    expect(after.promisedDue).toBe(addWorkingDays('2026-12-10', 20, buildCalendar([Y2026, Y2027])));
    expect(after.promisedDue! > before.promisedDue!).toBe(true);
  });

  it('takes the acceptance date and "today" in China time, not UTC', () => {
    // 01:30 in Beijing on 12-03 is still 12-02 in UTC.
    const doc = accepted('2026-12-02T17:30:00.000Z');
    const cal = buildCalendar([Y2026]);
    const v = deadlineViewOf(
      doc,
      { promisedDays: 1, legalDays: 1 },
      cal,
      new Date('2026-12-02T17:40:00.000Z'),
    );
    expect(v.promisedDue).toBe('2026-12-04');
    expect(v.daysLeft).toBe(1);
  });

  it('uses the synced calendar: a day off IT added moves the date', () => {
    const doc = accepted('2026-12-02T02:00:00.000Z');
    const extra = { ...Y2026, holidays: [...Y2026.holidays, { date: '2026-12-03', name: '调休' }] };
    const now = new Date('2026-12-02T03:00:00.000Z');
    const seedLike = deadlineViewOf(
      doc,
      { promisedDays: 1, legalDays: 1 },
      buildCalendar([Y2026]),
      now,
    );
    const synced = deadlineViewOf(
      doc,
      { promisedDays: 1, legalDays: 1 },
      buildCalendar([extra]),
      now,
    );
    expect(seedLike.promisedDue).toBe('2026-12-03');
    expect(synced.promisedDue).toBe('2026-12-04');
  });

  it('stops the clock while suspended', () => {
    const cal = buildCalendar([Y2026]);
    const plain = accepted('2026-11-02T02:00:00.000Z');
    const suspended = accepted('2026-11-02T02:00:00.000Z', () => [
      ev('suspend', at('2026-11-04T02:00:00.000Z'), { reason: '鉴定', kind: '检验检测' }),
      ev('resume', at('2026-11-10T02:00:00.000Z'), {}),
    ]);
    const now = new Date('2026-11-11T02:00:00.000Z');
    const a = deadlineViewOf(plain, limits, cal, now).promisedDue!;
    const b = deadlineViewOf({ ...suspended, status: 'processing' }, limits, cal, now).promisedDue!;
    expect(b > a).toBe(true);
  });

  it('shows the hub’s dates when it has dated the case, and stops counting once concluded', () => {
    const cal = buildCalendar([Y2026]);
    const deadlines = {
      startDate: '2026-12-10',
      legalDue: '2027-01-11',
      promisedDue: '2027-01-11',
      computedAt: '2026-12-10T02:00:00.000Z',
      provisional: true,
    };
    const doc = accepted('2026-12-10T02:00:00.000Z');
    const v = deadlineViewOf({ ...doc, deadlines }, limits, cal, new Date('2026-12-11T02:00:00Z'));
    expect(v).toMatchObject({ source: 'hub', promisedDue: '2027-01-11', provisional: true });
    const done = deadlineViewOf(
      { ...doc, deadlines, status: 'concluded_approved' },
      limits,
      cal,
      new Date('2026-12-11T02:00:00Z'),
    );
    expect(done.clockRunning).toBe(false);
  });
});

let db: AppDatabase | null = null;
afterEach(async () => {
  cleanup();
  await db?.close();
  db = null;
});

describe('暂估 on screen and on paper', () => {
  it('marks a provisional deadline on the case page and on the 受理回执', async () => {
    db = await openDatabase(`dev-dl-${Date.now()}`, 'k-0123456789abcdef');
    await db.calendars.insert({ id: '2026', ...Y2026 });
    await db.cases.insert(
      caseDoc('p1', {
        status: 'accepted',
        events: [
          ev('receive', at('2026-12-10T02:00:00.000Z'), { ...RECEIVED, provisionalNo: 'LS-V1-p1' }),
          ev('accept', at('2026-12-10T02:00:00.000Z')),
        ],
        deadlines: {
          startDate: '2026-12-10',
          legalDue: '2027-01-08',
          promisedDue: '2027-01-08',
          computedAt: '2026-12-10T02:00:00.000Z',
          provisional: true,
        },
      }),
    );
    const user: SessionUser = {
      userId: 'u',
      name: '李秀英',
      role: 'village_helper',
      orgUnitId: 'v1',
    } as SessionUser;
    renderInApp(<CaseDetail caseId="p1" />, { db, user, deviceId: 'dev-dl' });
    await waitFor(
      () => expect(screen.getByTestId('deadline-provisional').textContent).toContain('暂估'),
      {
        timeout: 10_000,
      },
    );
    fireEvent.click(screen.getByTestId('detail-print-receipt'));
    await waitFor(() => expect(document.body.textContent).toContain('2027-01-08（暂估）'));
  }, 30_000);
});
