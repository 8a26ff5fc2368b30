import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Space } from 'antd';
import { getBridge } from '../../../bridge/bridgeApi';
import { useApp } from '../../appContext';
import { logout } from '../../auth/sessionStore';
import { checkHubAddress, probeHub, saveHubAddress } from './hubAddress';

/**
 * 修改中心服务器地址 (IT guide §4): for when the county hub moves to a new address. The device
 * keeps its enrolment and data; it must log in again, and a different hub would not know it.
 */
export function HubAddressForm() {
  const { cfg, changeDeviceConfig } = useApp();
  const [form] = Form.useForm<{ hubAddress: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmUrl, setConfirmUrl] = useState<string | null>(null);

  const submit = async ({ hubAddress }: { hubAddress: string }) => {
    const checked = checkHubAddress(hubAddress, cfg);
    if (!checked.ok) {
      form.setFields([{ name: 'hubAddress', errors: [checked.message] }]);
      return;
    }
    setBusy(true);
    const problem = await probeHub(checked.url).finally(() => setBusy(false));
    if (problem) {
      setError(problem);
      return;
    }
    setConfirmUrl(checked.url);
  };

  const apply = () => {
    if (!confirmUrl) return;
    const next = saveHubAddress(cfg, confirmUrl);
    // The main process keeps the address for update checks (docs/updates.md).
    void getBridge()?.checkForUpdates(confirmUrl);
    setConfirmUrl(null);
    changeDeviceConfig(next);
    logout();
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="hub-address">
      <Alert
        type="info"
        showIcon
        title="仅在本县中心服务器更换地址时修改"
        description={
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            <li>本设备的登记、本机保存的办件和“待上传”的记录都保持不变，修改后需重新登录。</li>
            <li>
              新地址必须是同一台中心服务器。若是另一台服务器，它不认识本设备，登录会被拒绝，需由信息管理员重新登记本设备；重新登记前请确认“待上传”为
              0 件，否则未上传的记录无法再上传。
            </li>
            <li>必须使用 https；只有本机测试地址或登记时允许了试点 http 的设备可用 http。</li>
          </ul>
        }
      />
      {error && <Alert type="error" showIcon title={error} data-testid="hub-address-error" />}
      <Form
        form={form}
        layout="inline"
        onFinish={(v) => void submit(v)}
        onValuesChange={() => setError(null)}
      >
        <Form.Item
          label="新的中心服务器地址"
          name="hubAddress"
          rules={[{ required: true, whitespace: true, message: '请输入新的中心服务器地址' }]}
        >
          <Input placeholder={cfg.hubUrl} style={{ width: 320 }} />
        </Form.Item>
        <Button htmlType="submit" loading={busy} data-testid="hub-address-save">
          检查并修改
        </Button>
      </Form>
      <Modal
        open={confirmUrl !== null}
        title="确认修改中心服务器地址？"
        okText="修改并重新登录"
        cancelText="取消"
        onOk={apply}
        onCancel={() => setConfirmUrl(null)}
        okButtonProps={{ ...({ 'data-testid': 'hub-address-confirm' } as object) }}
      >
        新地址：{confirmUrl}。修改后将退出登录，请用原账号重新登录。
      </Modal>
    </Space>
  );
}
