import { Button, DatePicker, Form, Input, List, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { chinaDateTime, type ProjectState } from '@sibantong/shared';

import { useProjectWriter } from './projectWriter';

interface LogForm {
  date: dayjs.Dayjs;
  matterKey?: string;
  done: string;
  problem?: string;
  nextStep?: string;
}

/** 审批工作日志: any acting team member adds an entry, also offline; every entry survives a merge. */
export function LogTab({
  state,
  canWrite,
  today,
}: {
  state: ProjectState;
  canWrite: boolean;
  today: string;
}) {
  const { write, busy } = useProjectWriter(state.projectId ?? '');
  const [form] = Form.useForm<LogForm>();
  const names = new Map(state.matters.map((m) => [m.matterKey, m.name]));
  const submit = async (v: LogForm) => {
    const ok = await write(
      'log_entry',
      {
        date: v.date.format('YYYY-MM-DD'),
        matterKey: v.matterKey ?? null,
        done: v.done.trim(),
        ...(v.problem?.trim() ? { problem: v.problem.trim() } : {}),
        ...(v.nextStep?.trim() ? { nextStep: v.nextStep.trim() } : {}),
      },
      '工作日志已保存',
    );
    if (ok) form.resetFields();
  };
  const entries = [...state.log].sort((a, b) =>
    a.date === b.date ? (a.deviceTime < b.deviceTime ? 1 : -1) : a.date < b.date ? 1 : -1,
  );
  return (
    <div data-testid="project-log">
      {canWrite && (
        <Form<LogForm>
          form={form}
          layout="vertical"
          initialValues={{ date: dayjs(today) }}
          onFinish={(v) => void submit(v)}
          style={{ maxWidth: 640, marginBottom: 16 }}
        >
          <Space wrap>
            <Form.Item name="date" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="matterKey" label="涉及事项">
              <Select
                allowClear
                style={{ width: 300 }}
                placeholder="（可不选）"
                options={state.matters.map((m) => ({ value: m.matterKey, label: m.name }))}
              />
            </Form.Item>
          </Space>
          <Form.Item
            name="done"
            label="今日工作"
            rules={[{ required: true, whitespace: true, message: '请填写做了什么' }]}
          >
            <Input.TextArea rows={2} data-testid="log-done" maxLength={2000} />
          </Form.Item>
          <Form.Item name="problem" label="存在问题">
            <Input.TextArea rows={1} maxLength={2000} />
          </Form.Item>
          <Form.Item name="nextStep" label="下一步">
            <Input.TextArea rows={1} maxLength={2000} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="log-submit">
            记录日志
          </Button>
        </Form>
      )}
      <List
        bordered
        dataSource={entries}
        locale={{ emptyText: '暂无工作日志' }}
        renderItem={(e) => (
          <List.Item data-testid="log-entry">
            <Space direction="vertical" size={0}>
              <Typography.Text strong>
                {e.date} · {e.by.name}
                {e.matterKey ? ` · ${names.get(e.matterKey) ?? e.matterKey}` : ''}
              </Typography.Text>
              <span>{e.done}</span>
              {e.problem && <Typography.Text type="danger">问题：{e.problem}</Typography.Text>}
              {e.nextStep && <span>下一步：{e.nextStep}</span>}
              <Typography.Text type="secondary">
                记录于 {chinaDateTime(e.deviceTime)}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </div>
  );
}
