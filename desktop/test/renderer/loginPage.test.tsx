import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { renderScreen } from './support/renderInApp';
import { LoginPage } from '../../src/renderer/features/auth/LoginPage';
import { EnrolPage } from '../../src/renderer/features/auth/EnrolPage';
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

describe('login and enrolment screens', () => {
  afterEach(cleanup);

  it('login refuses an empty form in Chinese without calling the hub', async () => {
    renderScreen(<LoginPage cfg={cfg} />);
    fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
    expect(await screen.findByText('请输入用户名')).toBeTruthy();
  }, 30_000);

  it('enrolment refuses plain http to a non-loopback hub and a malformed code', async () => {
    renderScreen(<EnrolPage onEnrolled={() => undefined} />);
    fireEvent.change(screen.getByLabelText('中心服务器地址'), {
      target: { value: 'http://10.1.2.3:8787' },
    });
    fireEvent.change(screen.getByLabelText('一次性注册码'), { target: { value: '!' } });
    fireEvent.change(screen.getByLabelText('设备名称'), { target: { value: '东桥村电脑' } });
    fireEvent.click(screen.getByRole('button', { name: '注册本设备' }));
    expect(
      await screen.findByText('非本机地址必须使用 https；试点环境可勾选“允许 http”'),
    ).toBeTruthy();
    expect(await screen.findByText('请输入信息管理员提供的一次性注册码')).toBeTruthy();
    expect(localStorage.getItem('sibantong.device')).toBeNull();
  });
});
