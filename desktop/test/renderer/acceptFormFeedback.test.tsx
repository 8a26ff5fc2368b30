import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { AcceptCaseForm } from '../../src/renderer/features/village/AcceptCaseForm';
import { helper, UNITS } from './caseHistory';
import { renderInApp, useTestDatabase } from './support/renderInApp';

const testDb = useTestDatabase();

describe('收件受理 form feedback', { timeout: 30_000 }, () => {
  it('labels name their inputs, and a fixed field loses its message at once', async () => {
    const db = await testDb.open('dev-accept-form', UNITS);
    renderInApp(<AcceptCaseForm />, { db, user: helper });
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
