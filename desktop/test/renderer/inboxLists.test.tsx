import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import type { SessionUser } from '@sibantong/shared';
import { AppContext, type AppCtx } from '../../src/renderer/appContext';
import { openDatabase, type AppDatabase } from '../../src/renderer/db/database';
import { TownInbox } from '../../src/renderer/features/town/TownInbox';
import { VillageWorkbench } from '../../src/renderer/features/village/VillageWorkbench';
import { SyncStatusBar } from '../../src/renderer/features/shell/SyncStatusBar';
import { caseDoc, ev } from './caseFixtures';

let db: AppDatabase | null = null;

afterEach(async () => {
  cleanup();
  await db?.close();
  db = null;
});

function renderWith(ui: React.ReactElement, user: Partial<SessionUser>) {
  const ctx = {
    db,
    cfg: { hubUrl: 'http://127.0.0.1:1', deviceId: 'dev-lists' },
    user: { userId: 'lead', name: '镇领导', role: 'town_lead', orgUnitId: 't1', ...user },
    syncNow: () => undefined,
    navigate: () => undefined,
  } as unknown as AppCtx;
  return render(<AppContext.Provider value={ctx}>{ui}</AppContext.Provider>);
}

const rowsOf = (testId: string) =>
  within(screen.getByTestId(testId))
    .queryAllByTestId('case-no')
    .map((n) => n.textContent);

describe('lists read their rows through the indexed queries', () => {
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
    await waitFor(() => expect(screen.getByTestId('sync-pending').textContent).toBe('待上传 1'));
    // A local write that the hub has not stamped shows up without re-reading every case.
    const b1 = await db.cases.findOne('b1').exec();
    await b1!.incrementalPatch({
      events: [...b1!.events, ev('supplement', { hubTime: undefined })],
    });
    await waitFor(() => expect(screen.getByTestId('sync-pending').textContent).toBe('待上传 2'));
  });
});
