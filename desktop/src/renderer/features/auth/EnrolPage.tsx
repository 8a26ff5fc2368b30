import { Button, Checkbox, Form, Input } from 'antd';
import { enrolDevice, validateEnrolInput, type EnrolInput } from '../../auth/enrolment';
import type { DeviceConfig } from '../../auth/deviceConfig';
import { AuthCard, useSubmission } from './AuthCard';

/** First run: IT types the hub address and the one-time code the hub CLI printed. */
export function EnrolPage({ onEnrolled }: { onEnrolled: (cfg: DeviceConfig) => void }) {
  const [form] = Form.useForm<EnrolInput>();
  const { error, setError, busy, run } = useSubmission();

  const submit = async (values: EnrolInput) => {
    setError(null);
    const input = { ...values, allowInsecure: !!values.allowInsecure };
    const problems = validateEnrolInput(input);
    const fields = Object.entries(problems).map(([name, msg]) => ({
      name: name as keyof EnrolInput,
      errors: [msg],
    }));
    if (fields.length) {
      form.setFields(fields);
      return;
    }
    await run(async () => onEnrolled(await enrolDevice(input)));
  };

  return (
    <AuthCard
      title="四办通 · 设备注册"
      width={460}
      testId="enrol-page"
      hint="首次使用请由信息管理员填写县级中心服务器地址和一次性注册码。"
      error={error}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ deviceName: '', allowInsecure: false }}
      >
        <Form.Item
          label="中心服务器地址"
          name="hubAddress"
          rules={[{ required: true, message: '请输入中心服务器地址' }]}
        >
          <Input placeholder="https://10.1.2.3:8787" autoFocus />
        </Form.Item>
        <Form.Item
          label="一次性注册码"
          name="code"
          rules={[{ required: true, message: '请输入一次性注册码' }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          label="设备名称"
          name="deviceName"
          rules={[{ required: true, message: '请填写设备名称' }]}
        >
          <Input placeholder="大桥村便民服务点电脑" />
        </Form.Item>
        <Form.Item name="allowInsecure" valuePropName="checked">
          <Checkbox>允许 http（仅限试点环境）</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block>
          注册本设备
        </Button>
      </Form>
    </AuthCard>
  );
}
