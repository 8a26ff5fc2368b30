import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  chinaDate,
  DEMO_COUNTY,
  DEMO_MATTERS,
  matterToDoc,
  SEED_CALENDAR_YEARS,
  type SessionUser,
} from '@sibantong/shared';
import { openDatabase, type AppDatabase } from '../../src/renderer/db/database';
import { AcceptCaseForm } from '../../src/renderer/features/village/AcceptCaseForm';
import { renderInApp } from './support/renderInApp';

/**
 * The accept form at the counter: a 容缺 date of today passed the form's own check before and
 * the hub refused it later. Now the hub's check runs before the write: the clerk sees its
 * Chinese message in the form, and nothing is stored.
 */
let db: AppDatabase | null = null;
afterEach(async () => {
  cleanup();
  await db?.close();
  db = null;
});

const clerk = {
  userId: 'u-v-dq01',
  name: '李秀英',
  role: 'village_helper',
  orgUnitId: 'village-dq-01',
} as SessionUser;

async function openForm() {
  db = await openDatabase(`dev-af-${Date.now()}`, 'k-0123456789abcdef');
  const docs = DEMO_MATTERS.map((m) => matterToDoc(m, '2026-11-01T00:00:00.000Z', DEMO_COUNTY));
  await db.orgUnits.bulkInsert(DEMO_COUNTY.map((u) => ({ ...u })));
  await db.matters.bulkInsert(docs);
  await db.calendars.bulkInsert(SEED_CALENDAR_YEARS.map((t) => ({ id: String(t.year), ...t })));
  const matter = docs.find(
    (m) =>
      m.villageMode === 'accept_and_forward' &&
      m.materials.some((x) => x.necessity === 'deferrable'),
  )!;
  renderInApp(<AcceptCaseForm />, { db, user: clerk, deviceId: 'dev-af' });
  // Pick the matter through the search box, as a clerk types its name.
  const select = screen.getByTestId('matter-select');
  const search = select.querySelector('input')!;
  fireEvent.mouseDown(select.querySelector('.ant-select-selector') ?? select);
  fireEvent.change(search, { target: { value: matter.name } });
  const option = await waitFor(
    () => {
      const o = document.querySelector(`.ant-select-item-option[title^="${matter.name}"]`);
      if (!o) throw new Error('option not shown');
      return o;
    },
    { timeout: 10_000 },
  );
  fireEvent.click(option);
  fireEvent.change(screen.getByTestId('applicant-name'), { target: { value: '王小明' } });
  fireEvent.change(screen.getByTestId('applicant-id'), { target: { value: '11010519491231002X' } });
  fireEvent.change(screen.getByTestId('applicant-phone'), {
    target: { value: '+86 138 0013 8000' },
  });
  const deferrable = matter.materials.find((x) => x.necessity === 'deferrable')!;
  await waitFor(() => screen.getByTestId(`mat-state-${deferrable.id}`));
  fireEvent.click(within(screen.getByTestId(`mat-state-${deferrable.id}`)).getByText('容缺后补'));
  return db;
}

async function setCommitmentDate(date: string) {
  const input = await waitFor(() => {
    const i = screen.getByTestId('commitment-date').querySelector('input');
    if (!i) throw new Error('no date input');
    return i;
  });
  fireEvent.mouseDown(input);
  fireEvent.focus(input);
  fireEvent.change(input, { target: { value: date } });
  fireEvent.keyDown(input, { key: 'Enter', code: 'Enter', keyCode: 13 });
  fireEvent.click(screen.getByTestId('commitment-signed'));
}

describe('the accept form runs the hub’s check before saving', () => {
  it('shows the refusal of a 容缺 date of today in the form and stores nothing', async () => {
    const store = await openForm();
    await setCommitmentDate(chinaDate(new Date()));
    await act(async () => {
      fireEvent.click(screen.getByTestId('submit-accept'));
    });
    await waitFor(
      () =>
        expect(screen.getByTestId('save-error').textContent).toContain(
          '容缺补交期限须晚于受理日期',
        ),
      { timeout: 10_000 },
    );
    expect(await store.cases.count().exec()).toBe(0);
  }, 60_000);

  it('saves a 容缺 acceptance with tomorrow’s date, phone in the stored form', async () => {
    const store = await openForm();
    await setCommitmentDate(chinaDate(new Date(Date.now() + 86_400_000)));
    await act(async () => {
      fireEvent.click(screen.getByTestId('submit-accept'));
    });
    await waitFor(() => screen.getByTestId('accept-done'), { timeout: 10_000 });
    const [stored] = await store.cases.find().exec();
    expect(stored?.status).toBe('accepted_deferred');
    expect(stored?.toJSON().applicant.phone).toBe('13800138000');
  }, 60_000);
});
