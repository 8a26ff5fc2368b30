import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { SessionUser } from '@sibantong/shared';
import { AppContext, type AppCtx } from '../../src/renderer/appContext';
import { openDatabase, type AppDatabase } from '../../src/renderer/db/database';
import { AcceptCaseForm } from '../../src/renderer/features/village/AcceptCaseForm';
import { helper, UNITS } from './caseHistory';

let db: AppDatabase | null = null;
afterEach(async () => {
  cleanup();
  await db?.close();
  db = null;
});

describe('收件受理 form feedback', { timeout: 30_000 }, () => {
  it('labels name their inputs, and a fixed field loses its message at once', async () => {
    db = await openDatabase(`dev-accept-form-${Date.now()}`, 'k-0123456789abcdef');
    await db.orgUnits.bulkInsert(UNITS as never[]);
    const ctx = {
      db,
      cfg: { hubUrl: 'http://127.0.0.1:1', deviceId: 'dev-here' },
      user: { ...helper, username: 'vh' } as unknown as SessionUser,
      syncNow: () => undefined,
      navigate: () => undefined,
    } as unknown as AppCtx;
    render(
      <AppContext.Provider value={ctx}>
        <AcceptCaseForm />
      </AppContext.Provider>,
    );
    // Every text field is found by its visible label (a screen reader reads the same link).
    const phone = await screen.findByLabelText('联系电话');
    expect(phone.getAttribute('data-testid')).toBe('applicant-phone');
    expect(screen.getByLabelText('姓名').getAttribute('data-testid')).toBe('applicant-name');
    expect(screen.getByLabelText('身份证号码').getAttribute('data-testid')).toBe('applicant-id');

    fireEvent.click(screen.getByTestId('submit-accept'));
    await screen.findByTestId('form-error');
    expect(screen.getByTestId('err-name')).toBeTruthy();
    expect(screen.getByTestId('err-phone')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('姓名'), { target: { value: '张三' } });
    await waitFor(() => expect(screen.queryByTestId('err-name')).toBeNull());
    // The other problems are still listed until they are fixed too.
    expect(screen.getByTestId('err-phone')).toBeTruthy();
    expect(screen.getByTestId('form-error').textContent).not.toContain('姓名');
  });
});
