import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { renderScreen } from './support/renderInApp';
import {
  ChangePasswordForm,
  changePasswordProblem,
} from '../../src/renderer/features/auth/ChangePasswordForm';
import type { DeviceConfig } from '../../src/renderer/auth/deviceConfig';

const cfg: DeviceConfig = {
  hubUrl: 'http://127.0.0.1:1',
  hubName: '示县',
  deviceId: 'dev-1',
  orgUnitId: 'village-dq-01',
  deviceSecretSealed: 'wc:x:y',
  allowInsecure: false,
  enrolledAt: '2026-11-22T00:00:00Z',
};

describe('change password form', () => {
  afterEach(cleanup);

  it('checks the form with the hub’s own policy before sending', () => {
    expect(changePasswordProblem({})).toBe('请输入原密码');
    expect(changePasswordProblem({ oldPassword: 'a' })).toBe('请输入新密码');
    expect(changePasswordProblem({ oldPassword: 'a', newPassword: 'short' })).toBe('密码至少 8 位');
    expect(
      changePasswordProblem({ oldPassword: 'a', newPassword: 'Next@2027x', confirm: 'Next@2027' }),
    ).toBe('两次输入的新密码不一致');
    expect(
      changePasswordProblem({
        oldPassword: 'Next@2027x',
        newPassword: 'Next@2027x',
        confirm: 'Next@2027x',
      }),
    ).toBe('新密码不能与原密码相同');
  });

  it('shows the problem in Chinese without calling the hub', async () => {
    renderScreen(<ChangePasswordForm cfg={cfg} />);
    fireEvent.change(screen.getByLabelText('原密码'), { target: { value: 'Old@2026' } });
    fireEvent.change(screen.getByLabelText('新密码'), { target: { value: 'Next@2027x' } });
    fireEvent.change(screen.getByLabelText('再次输入新密码'), { target: { value: 'Other@2027' } });
    fireEvent.click(screen.getByRole('button', { name: /修改密码/ }));
    expect(await screen.findByText('两次输入的新密码不一致')).toBeTruthy();
  }, 30_000);
});
