import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import type { SessionUser } from '@sibantong/shared';
import { openDatabase, type AppDatabase } from '../../src/renderer/db/database';
import { TownInbox } from '../../src/renderer/features/town/TownInbox';
import { VillageWorkbench } from '../../src/renderer/features/village/VillageWorkbench';
import { SyncStatusBar } from '../../src/renderer/features/shell/SyncStatusBar';
import { SupervisorView } from '../../src/renderer/features/supervisor/SupervisorView';
import {
  addWorkingDays,
  buildCalendar,
  chinaDate,
  DUE_SOON_WORKING_DAYS,
  SEED_CALENDAR_YEARS,
} from '@sibantong/shared';
import { caseDoc, ev } from './caseFixtures';
import { renderInApp } from './support/renderInApp';

let db: AppDatabase | null = null;

afterEach(async () => {
  cleanup();
  await db?.close();
  db = null;
});

function renderWith(ui: React.ReactElement, user: Partial<SessionUser>) {
  const who = { userId: 'lead', name: '镇领导', role: 'town_lead', orgUnitId: 't1', ...user };
  return renderInApp(ui, { db, user: who as SessionUser, deviceId: 'dev-lists' });
}

const rowsOf = (testId: string) =>
  within(screen.getByTestId(testId))
    .queryAllByTestId('case-no')
    .map((n) => n.textContent);

// Each test opens a database and renders antd screens: seconds on a loaded machine.
describe('lists read their rows through the indexed queries', { timeout: 30_000 }, () => {
  it('town inbox: unclaimed and mine among the open cases the town holds', async () => {
    db = await openDatabase(`dev-town-${Date.now()}`, 'k-0123456789abcdef');
    await db.cases.bulkInsert([
      caseDoc('a1', { status: 'processing', holderUnitId: 't1' }),
      caseDoc('a2', { status: 'processing', holderUnitId: 't1', handlerUserId: 'lead' }),
      caseDoc('a3', { status: 'concluded_approved', holderUnitId: 't1' }),
      caseDoc('a4', { status: 'processing', holderUnitId: 't2', townId: 't2' }),
    ]);
    renderWith(<TownInbox />, {});
    await waitFor(() => expect(rowsOf('inbox-unclaimed')).toEqual(['LS-V1-a1']));
    expect(rowsOf('inbox-mine')).toEqual(['LS-V1-a2']);
  });

  it('village workbench and status bar: returned, to deliver, pending uploads', async () => {
    db = await openDatabase(`dev-village-${Date.now()}`, 'k-0123456789abcdef');
    await db.cases.bulkInsert([
      caseDoc('b1', { status: 'correction_required' }),
      caseDoc('b2', { status: 'concluded_denied' }),
      caseDoc('b3', { status: 'result_delivered', updatedAt: '2026-11-02T00:00:00.000Z' }),
      caseDoc('b4', { status: 'correction_required', holderUnitId: 't1' }),
      caseDoc('b5', { events: [ev('receive'), ev('supplement', { hubTime: undefined })] }),
    ]);
    renderWith(
      <>
        <VillageWorkbench />
        <SyncStatusBar />
      </>,
      { userId: 'vh', role: 'village_helper', orgUnitId: 'v1' },
    );
    await waitFor(() => expect(rowsOf('returned')).toEqual(['LS-V1-b1']));
    expect(rowsOf('to-deliver').sort()).toEqual(['LS-V1-b2', 'LS-V1-b3']);
    await waitFor(() => expect(screen.getByTestId('sync-pending').textContent).toBe('待上传 1 件'));
    // A local write that the hub has not stamped shows up without re-reading every case.
    const b1 = await db.cases.findOne('b1').exec();
    await b1!.incrementalPatch({
      events: [...b1!.events, ev('supplement', { hubTime: undefined })],
    });
    await waitFor(() => expect(screen.getByTestId('sync-pending').textContent).toBe('待上传 2 件'));
  });

  it('supervisor: overdue and due-soon lists and counts by the shared rule, on the synced calendar', async () => {
    db = await openDatabase(`dev-sup-${Date.now()}`, 'k-0123456789abcdef');
    // The hub's calendar as synced: the seed years plus one more IT-made day off tomorrow,
    // which the built-in seed does not know. The lists must count with the synced one.
    const today = chinaDate(new Date());
    const tomorrow = chinaDate(new Date(Date.now() + 86_400_000));
    const tables = SEED_CALENDAR_YEARS.map((t) =>
      t.year === Number(tomorrow.slice(0, 4)) && !t.holidays.some((d) => d.date === tomorrow)
        ? { ...t, holidays: [...t.holidays, { date: tomorrow, name: '测试调休' }] }
        : t,
    );
    await db.calendars.bulkInsert(tables.map((t) => ({ id: String(t.year), ...t })));
    const synced = buildCalendar(tables);
    const daysAgo = (n: number) => chinaDate(new Date(Date.now() - n * 86_400_000));
    const dl = (promisedDue: string) => ({
      startDate: daysAgo(30),
      legalDue: promisedDue,
      promisedDue,
      computedAt: new Date().toISOString(),
    });
    const accepted = [ev('receive'), ev('accept')];
    const open = { status: 'processing' as const, events: accepted, holderUnitId: 'centre' };
    const lastSoon = addWorkingDays(today, DUE_SOON_WORKING_DAYS, synced);
    await db.cases.bulkInsert([
      caseDoc('s1', { ...open, deadlines: dl(daysAgo(9)) }),
      caseDoc('s2', { ...open, deadlines: dl(daysAgo(2)) }),
      caseDoc('s3', { ...open, deadlines: dl(today) }),
      caseDoc('s4', { ...open, deadlines: dl(lastSoon) }),
      // One working day past the window (the renderer's old rule said 3 days: it was due soon).
      caseDoc('s5', { ...open, deadlines: dl(addWorkingDays(today, 3, synced)) }),
      caseDoc('s6', { ...open, status: 'concluded_approved', deadlines: dl(daysAgo(5)) }),
    ]);
    expect(DUE_SOON_WORKING_DAYS).toBe(2);
    renderWith(<SupervisorView />, { userId: 'sup', role: 'supervisor', orgUnitId: 'county' });
    // Most overdue first; finished cases are never overdue.
    await waitFor(() => expect(rowsOf('overdue')).toEqual(['LS-V1-s1', 'LS-V1-s2']), {
      timeout: 10_000,
    });
    await waitFor(() => expect(rowsOf('due-soon')).toEqual(['LS-V1-s3', 'LS-V1-s4']), {
      timeout: 10_000,
    });
    const stat = (title: string) =>
      [...document.querySelectorAll('.ant-statistic')]
        .find((el) => el.querySelector('.ant-statistic-title')?.textContent === title)
        ?.querySelector('.ant-statistic-content')?.textContent;
    await waitFor(() => expect(stat('已超期')).toBe('2'));
    expect(stat('即将到期（2个工作日内）')).toBe('2');
    expect(stat('在办')).toBe('5');
  }, 30_000);
});
