import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Actor, CaseDoc } from '@sibantong/shared';
import type { RefusalDoc } from '../../src/renderer/db/docTypes';
import { RefusalList } from '../../src/renderer/features/refusals/RefusalList';
import { dialogWith, helper, History, receive, UNITS } from './caseHistory';
import { renderInApp, useTestDatabase } from './support/renderInApp';

const colleague: Actor = { userId: 'vh2', name: '赵帮办', role: 'village_helper', orgUnitId: 'v1' };

const testDb = useTestDatabase();

describe('修正后重新提交', { timeout: 90_000 }, () => {
  it('corrects the refused action in its form, records it as the current user, keeps what arrived meanwhile', async () => {
    // A colleague's 延期 was refused (no approver named); since then the case moved on: a log arrived.
    const h = new History().add(helper, 'receive', receive([])).add(helper, 'accept', {});
    const before = h.doc();
    h.add(colleague, 'extend', { extraDays: 5, reason: '情况复杂', approverName: ' ' });
    const snapshot = h.doc();
    const refusedId = snapshot.events.at(-1)!.id;
    const later = new History().add(helper, 'receive', receive([])).add(helper, 'accept', {});
    later.add(helper, 'log', { text: '电话联系申请人' });
    const logEvent = later.doc().events.at(-1)!;
    const current: CaseDoc = {
      ...before,
      events: [...before.events, { ...logEvent, caseId: 'k1' }],
    };

    const db = await testDb.open('dev-refusal', UNITS);
    await db.cases.insert(current);
    const refusal: RefusalDoc = {
      id: 'r1',
      caseId: 'k1',
      provisionalNo: snapshot.provisionalNo,
      code: 'INVALID_PAYLOAD',
      message: '延期须写明批准人',
      refusedEventIds: [refusedId],
      refusedEventTypes: ['extend'],
      caseSnapshot: snapshot,
      createdAt: '2026-11-02T02:00:00.000Z',
      state: 'open',
      resolvedAt: null,
    };
    await db.refusals.insert(refusal);
    renderInApp(<RefusalList />, { db, user: helper });

    fireEvent.click(await screen.findByTestId('refusal-correct'));
    const dialog = await dialogWith('延期原因');
    // The form holds what was sent: the clerk corrects only what the hub refused.
    expect((within(dialog).getByLabelText('延期原因') as HTMLTextAreaElement).value).toBe(
      '情况复杂',
    );
    fireEvent.click(within(dialog).getByTestId('correct-ok'));
    expect(await within(dialog).findByText('请填写批准人')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('批准人'), { target: { value: '李主任' } });
    fireEvent.click(within(dialog).getByTestId('correct-ok'));

    await waitFor(
      async () => {
        expect(within(dialog).queryByTestId('correct-error')?.textContent ?? '', 'error').toBe('');
        const r = await db.refusals.findOne('r1').exec();
        expect(r?.state).toBe('resubmitted');
      },
      { timeout: 10_000 },
    );
    const stored = (await db.cases.findOne('k1').exec())!.toMutableJSON() as CaseDoc;
    const extend = stored.events.find((e) => e.type === 'extend');
    expect(extend?.actor.userId).toBe('vh');
    expect(extend?.id).not.toBe(refusedId);
    expect(extend?.payload).toMatchObject({ extraDays: 5, approverName: '李主任' });
    // The log that arrived after the refusal is still there, and the 延期 comes after it.
    const log = stored.events.find((e) => e.id === logEvent.id);
    expect(log).toBeDefined();
    expect(extend!.lamport).toBeGreaterThan(log!.lamport);
  });
  it('a case that left this device is not recreated by a resubmission', async () => {
    const h = new History().add(helper, 'receive', receive([])).add(helper, 'accept', {});
    h.add(helper, 'withdraw', { reason: '申请人要求撤回' });
    const snapshot = h.doc();
    const db = await testDb.open('dev-refusal-gone', UNITS);
    await db.refusals.insert({
      id: 'r2',
      caseId: 'k1',
      provisionalNo: snapshot.provisionalNo,
      code: 'WRONG_UNIT',
      message: '只有当前持有单位或收件单位才能办理此操作',
      refusedEventIds: [snapshot.events.at(-1)!.id],
      refusedEventTypes: ['withdraw'],
      caseSnapshot: snapshot,
      createdAt: '2026-11-02T02:00:00.000Z',
      state: 'open',
      resolvedAt: null,
    } satisfies RefusalDoc);
    renderInApp(<RefusalList />, { db, user: helper });
    fireEvent.click(await screen.findByTestId('refusal-correct'));
    const dialog = await dialogWith('不在本设备上');
    expect((within(dialog).getByTestId('correct-ok') as HTMLButtonElement).disabled).toBe(true);
    expect(await db.cases.findOne('k1').exec()).toBeNull();
  });
});
