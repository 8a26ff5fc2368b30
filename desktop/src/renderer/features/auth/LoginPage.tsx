import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { login, validateLoginInput } from '../../auth/sessionStore';
import type { DeviceConfig } from '../../auth/deviceConfig';

export function LoginPage({ cfg }: { cfg: DeviceConfig }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: { username: string; password: string }) => {
    const problem = validateLoginInput(v.username ?? '', v.password ?? '');
    if (problem) {
      setError(problem);
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await login(cfg, v.username, v.password);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 80 }}>
      <Card title="四办通 · 登录" style={{ width: 420 }} data-testid="login-page">
        <Typography.Paragraph type="secondary">
          {cfg.hubName}（设备 {cfg.deviceId}）。联网登录过一次后，断网时也可登录。
        </Typography.Paragraph>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 16 }}
            data-testid="form-error"
          />
        )}
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
      </Card>
    </div>
  );
}
