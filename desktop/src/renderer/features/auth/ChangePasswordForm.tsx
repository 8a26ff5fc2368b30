import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { passwordProblem } from '@sibantong/shared';
import type { DeviceConfig } from '../../auth/deviceConfig';
import { changePassword } from '../../auth/sessionStore';
import { useSubmission } from './AuthCard';

interface Values {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

/** Checks the form before anything is sent (the hub applies the same policy again). */
export function changePasswordProblem(v: Partial<Values>): string | null {
  if (!v.oldPassword) return '请输入原密码';
  if (!v.newPassword) return '请输入新密码';
  const policy = passwordProblem(v.newPassword);
  if (policy) return policy;
  if (v.newPassword !== v.confirm) return '两次输入的新密码不一致';
  if (v.newPassword === v.oldPassword) return '新密码不能与原密码相同';
  return null;
}

/**
 * The logged-in person changes their own password (Settings). Online only: the hub checks the
 * old password, ends the person's sessions on other PCs, and this PC's offline login takes
 * the new password at once.
 */
export function ChangePasswordForm({ cfg }: { cfg: DeviceConfig }) {
  const [form] = Form.useForm<Values>();
  const { error, setError, busy, run } = useSubmission();
  const [done, setDone] = useState<string | null>(null);

  const submit = async (v: Values) => {
    setDone(null);
    const problem = changePasswordProblem(v);
    if (problem) {
      setError(problem);
      return;
    }
    await run(async () => {
      const res = await changePassword(cfg, v.oldPassword, v.newPassword);
      form.resetFields();
      setDone(
        res.revokedSessions > 0
          ? `密码已修改。您在其他电脑上的 ${res.revokedSessions} 处登录已退出，需用新密码重新登录。`
          : '密码已修改，下次登录请使用新密码。',
      );
    });
  };

  return (
    <div data-testid="change-password" style={{ maxWidth: 420 }}>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginBottom: 16 }}
          data-testid="change-password-error"
        />
      )}
      {done && (
        <Alert
          type="success"
          showIcon
          title={done}
          style={{ marginBottom: 16 }}
          data-testid="change-password-done"
        />
      )}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item label="原密码" name="oldPassword">
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          label="新密码"
          name="newPassword"
          extra="至少 8 位，包含大写字母、小写字母、数字、符号中的至少两类"
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item label="再次输入新密码" name="confirm">
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          修改密码
        </Button>
      </Form>
    </div>
  );
}
