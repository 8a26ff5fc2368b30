import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { deriveCaseFields, type Actor, type CaseDoc } from '@sibantong/shared';
import { openDatabase, type AppDatabase } from '../../src/renderer/db/database';
import { CaseDetail } from '../../src/renderer/features/case-detail/CaseDetail';
import { SyncStatusBar } from '../../src/renderer/features/shell/SyncStatusBar';
import { deadlineText } from '../../src/renderer/features/cases/deadlineText';
import { caseDoc } from './caseFixtures';
import { dialogWith, disabled, helper, History, lead, receive, UNITS } from './caseHistory';
import { renderInApp } from './support/renderInApp';

let db: AppDatabase | null = null;
afterEach(async () => {
  cleanup();
  await db?.close();
  db = null;
});

async function show(doc: CaseDoc, user: Actor) {
  db = await openDatabase(`dev-detail-${Date.now()}-${Math.random()}`, 'k-0123456789abcdef');
  await db.orgUnits.bulkInsert(UNITS as never[]);
  await db.cases.insert(doc);
  renderInApp(<CaseDetail caseId={doc.id} />, { db, user, deviceId: 'dev-here' });
  await screen.findByTestId('case-detail');
  await screen.findByTestId('action-panel');
}

describe('case detail: what a clerk is offered and told', { timeout: 30_000 }, () => {
  it('办结 is shown disabled with the 容缺 reason; the badge and the reason go once the material arrives', async () => {
    const h = new History().add(helper, 'receive', receive()).add(helper, 'accept', {
      deferred: { materialIds: ['m2'], dueDate: '2099-12-31', commitmentSigned: true },
    });
    await show(h.doc(), helper);
    const conclude = screen.getByTestId('action-conclude');
    expect(disabled(conclude)).toBe(true);
    expect(screen.getByTestId('action-reason-conclude').textContent).toContain('户口本');
    expect(screen.getByTestId('action-reason-conclude').textContent).toContain('2099-12-31');
    expect(screen.getByTestId('deferred-badge').textContent).toContain('2099-12-31');
    expect(disabled(screen.getByTestId('action-terminate'))).toBe(true);
    expect(screen.getByTestId('action-reason-terminate').textContent).toContain('未过');
    // The receipt of an accepted case can be printed and names the 容缺 item and its date.
    fireEvent.click(screen.getByTestId('detail-print-receipt'));
    const receipt = await screen.findAllByTestId('document-acceptance-receipt');
    expect(receipt[0]?.textContent).toContain('容缺材料 户口本 须于 2099-12-31 前补齐');
    fireEvent.click(document.querySelector('.ant-modal-close')!);

    // The applicant brings the 户口本: the clerk records the 补交 through the form.
    fireEvent.click(screen.getByTestId('action-supplement'));
    const dialog = await dialogWith('本次补交的材料');
    fireEvent.mouseDown(within(dialog).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('户口本'));
    fireEvent.click(within(dialog).getByTestId('action-ok'));
    await waitFor(() => {
      expect(within(dialog).queryByTestId('form-error')?.textContent ?? '', 'form error').toBe('');
      expect(screen.queryByTestId('deferred-badge')).toBeNull();
    });
    expect(screen.queryByTestId('material-deferred')).toBeNull();
    await waitFor(() => expect(disabled(screen.getByTestId('action-conclude'))).toBe(false));
    expect(screen.queryByTestId('action-reason-conclude')).toBeNull();
  });

  it('a case only received cannot print a 受理回执', async () => {
    await show(new History().add(helper, 'receive', receive()).doc(), helper);
    expect(disabled(screen.getByTestId('detail-print-receipt'))).toBe(true);
  });

  it('领办 is disabled for the lead who already claimed it', async () => {
    const h = new History()
      .add(helper, 'receive', receive([]))
      .add(helper, 'accept', {})
      .add(helper, 'forward', { toUnitId: 't1', materials: [] })
      .add(lead, 'claim', {});
    await show(h.doc({ holderUnitId: 't1' }), lead);
    expect(disabled(screen.getByTestId('action-claim'))).toBe(true);
    expect(screen.getByTestId('action-reason-claim').textContent).toContain('已领办');
  });

  it('a refused action shows the rule in the form instead of closing silently', async () => {
    const h = new History().add(helper, 'receive', receive([])).add(helper, 'accept', {});
    await show(h.doc(), helper);
    // The org tree changes under the open form: the hub's check now refuses the 转办.
    fireEvent.click(screen.getByTestId('action-forward'));
    const dialog = await dialogWith('移交说明');
    const t1 = await db!.orgUnits.findOne('t1').exec();
    await t1!.remove();
    await db!.orgUnits.insert({ ...UNITS[1]!, id: 't9' } as never);
    fireEvent.click(within(dialog).getByTestId('action-ok'));
    const error = await within(dialog).findByTestId('form-error');
    expect(error.textContent).not.toBe('');
    // Changing a field clears the banner that described the last attempt.
    fireEvent.change(within(dialog).getByLabelText('移交说明'), { target: { value: '补' } });
    await waitFor(() => expect(within(dialog).queryByTestId('form-error')).toBeNull());
  });

  it('work-log times are China time, as everywhere else', async () => {
    const h = new History()
      .add(helper, 'receive', receive([]))
      .add(helper, 'accept', {})
      .add(helper, 'log', { text: '电话联系申请人' }, '2026-11-02T17:30:00.000Z');
    await show(h.doc(), helper);
    expect(screen.getByTestId('log-entry').textContent).toContain('2026-11-03 01:30');
  });
});

describe('deadline cell', () => {
  it('says 已办结 after 办结 and 即办件 for an on-the-spot matter, never a countdown', () => {
    expect(deadlineText('concluded_approved', 15, { promisedDays: 20 }).text).toBe('已办结');
    expect(deadlineText('processing', 0, { immediate: true, promisedDays: 0 }).text).toContain(
      '即办件',
    );
    expect(deadlineText('processing', 15, { promisedDays: 20 }).text).toBe('剩 15 个工作日');
    expect(deadlineText('processing', -2, { promisedDays: 20 }).text).toBe('已超期 2 个工作日');
  });
});

describe('status bar', () => {
  it('counts cases waiting to upload, not events', async () => {
    const h = new History().add(helper, 'receive', receive([])).add(helper, 'accept', {});
    const offline = h.events.map((e) => ({ ...e, hubTime: undefined }));
    db = await openDatabase(`dev-bar-${Date.now()}`, 'k-0123456789abcdef');
    await db.cases.insert(caseDoc('k1', { events: offline, ...deriveCaseFields(offline) }));
    renderInApp(<SyncStatusBar />, { db, user: helper });
    await waitFor(() => expect(screen.getByTestId('sync-pending').textContent).toBe('待上传 1 件'));
  });
});
