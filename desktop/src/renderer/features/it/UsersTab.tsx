/** 用户: accounts of the county; add, disable/enable, unlock, reset password (shown once). */
import { useCallback, useState } from 'react';
import {
  Alert,
  Button,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  message,
} from 'antd';
import { ROLES, ROLE_LABELS_ZH, type OrgUnit, type Role } from '@sibantong/shared';
import { isAccountLocked, type ItPasswordResponse, type ItUserRow } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { itApi, itErrorText } from './itApi';
import { unitLabel, unitOptions } from './unitNames';
import { useItData } from './useItData';

interface NewUserForm {
  username: string;
  name: string;
  role: Role;
  orgUnitId: string;
}

export function UsersTab({ units }: { units: OrgUnit[] | null }) {
  const { cfg, user: me } = useApp();
  const load = useCallback(() => itApi.users(cfg), [cfg]);
  const { data, error, loading, reload } = useItData(load);
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<ItPasswordResponse | null>(null);
  const [form] = Form.useForm<NewUserForm>();

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      void message.success(done);
      await reload();
    } catch (e) {
      void message.error(itErrorText(e));
    }
  };
  const reset = async (u: ItUserRow) => {
    try {
      setShown(await itApi.resetPassword(cfg, u.username));
      await reload();
    } catch (e) {
      void message.error(itErrorText(e));
    }
  };
  const add = async () => {
    const v = await form.validateFields();
    try {
      setShown(await itApi.addUser(cfg, v));
      setAdding(false);
      form.resetFields();
      await reload();
    } catch (e) {
      void message.error(itErrorText(e));
    }
  };

  const now = new Date();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Button type="primary" onClick={() => setAdding(true)}>
          添加用户
        </Button>
        <Button onClick={() => void reload()}>刷新</Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<ItUserRow>
        data-testid="it-users"
        rowKey="username"
        size="small"
        loading={loading}
        dataSource={data ?? []}
        pagination={{ pageSize: 50 }}
        onRow={(u) => ({ 'data-testid': `user-${u.username}` }) as object}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'name' },
          { title: '角色', render: (_, u) => ROLE_LABELS_ZH[u.role] },
          { title: '单位', render: (_, u) => unitLabel(units, u.orgUnitId) },
          {
            title: '状态',
            render: (_, u) => (
              <Space size={4}>
                {u.disabled ? <Tag color="red">已停用</Tag> : <Tag color="green">正常</Tag>}
                {isAccountLocked(u, now) && (
                  <Tag color="orange" data-testid={`locked-${u.username}`}>
                    已锁定（密码错误 {u.failedLogins} 次）
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: '操作',
            render: (_, u) => (
              <Space size={4}>
                <Button
                  size="small"
                  data-testid={`reset-${u.username}`}
                  onClick={() => void reset(u)}
                >
                  重置密码
                </Button>
                {isAccountLocked(u, now) && (
                  <Button
                    size="small"
                    onClick={() =>
                      void act(
                        () => itApi.userAction(cfg, u.username, 'unlock'),
                        `已解除 ${u.username} 的锁定`,
                      )
                    }
                  >
                    解锁
                  </Button>
                )}
                {u.username !== me.username &&
                  (u.disabled ? (
                    <Button
                      size="small"
                      onClick={() =>
                        void act(
                          () => itApi.userAction(cfg, u.username, 'enable'),
                          `已启用 ${u.username}`,
                        )
                      }
                    >
                      启用
                    </Button>
                  ) : (
                    <Button
                      size="small"
                      danger
                      onClick={() =>
                        void act(
                          () => itApi.userAction(cfg, u.username, 'disable'),
                          `已停用 ${u.username}，其登录已全部失效`,
                        )
                      }
                    >
                      停用
                    </Button>
                  ))}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={adding}
        title="添加用户"
        okText="添加"
        cancelText="取消"
        onOk={() => void add()}
        onCancel={() => setAdding(false)}
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="username"
            label="用户名"
            rules={[
              { required: true, message: '请填写用户名' },
              {
                pattern: /^[a-z0-9][a-z0-9._-]{1,39}$/,
                message: '小写字母、数字、点、下划线和连字符，2–40 位',
              },
            ]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
            <Select options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS_ZH[r] }))} />
          </Form.Item>
          <Form.Item
            name="orgUnitId"
            label="单位"
            rules={[{ required: true, message: '请选择单位' }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={units ? unitOptions(units) : []}
            />
          </Form.Item>
        </Form>
        <Typography.Text type="secondary">初始密码由中心服务器生成，只显示一次。</Typography.Text>
      </Modal>
      <Modal
        open={!!shown}
        title="新密码"
        okText="已告知本人"
        cancelButtonProps={{ style: { display: 'none' } }}
        onOk={() => setShown(null)}
        onCancel={() => setShown(null)}
      >
        <p>
          用户 {shown?.username} 的新密码（只显示这一次，请当面或电话告知本人，登录后尽快修改）：
        </p>
        <Typography.Text strong copyable style={{ fontSize: 20 }} data-testid="new-password">
          {shown?.password}
        </Typography.Text>
      </Modal>
    </Space>
  );
}
