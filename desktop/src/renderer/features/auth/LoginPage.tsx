import { Button, Form, Input } from 'antd';
import { login, validateLoginInput } from '../../auth/sessionStore';
import type { DeviceConfig } from '../../auth/deviceConfig';
import { AuthCard, useSubmission } from './AuthCard';

export function LoginPage({ cfg }: { cfg: DeviceConfig }) {
  const { error, setError, busy, run } = useSubmission();

  const submit = async (v: { username: string; password: string }) => {
    const problem = validateLoginInput(v.username ?? '', v.password ?? '');
    if (problem) {
      setError(problem);
      return;
    }
    await run(() => login(cfg, v.username, v.password));
  };

  return (
    <AuthCard
      title="四办通 · 登录"
      width={420}
      testId="login-page"
      hint={`${cfg.hubName}（设备 ${cfg.deviceId}）。联网登录过一次后，断网时也可登录。`}
      error={error}
    >
      <Form layout="vertical" onFinish={submit}>
        <Form.Item label="用户名" name="username">
          <Input autoFocus autoComplete="username" />
        </Form.Item>
        <Form.Item label="密码" name="password">
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block>
          登录
        </Button>
      </Form>
    </AuthCard>
  );
}
