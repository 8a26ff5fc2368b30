import { Button, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { planForWeek, type ProjectPlanItem, type ProjectState } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { useProjectWriter } from './projectWriter';

interface PlanForm {
  text: string;
  matterKey?: string;
  responsibleUserId: string;
  dueDate: dayjs.Dayjs;
}

const OUTCOME_ZH = { done: '已完成', not_done: '未完成', dropped: '取消' } as const;

/**
 * 周工作计划: this week's items, last weeks' unfinished items carried over (shared
 * planForWeek: never reviewed, or reviewed 未完成), and the review of each item.
 */
export function PlanTab({
  state,
  canWrite,
  today,
}: {
  state: ProjectState;
  canWrite: boolean;
  today: string;
}) {
  const { cfg } = useApp();
  const { write, busy } = useProjectWriter(state.projectId ?? '');
  const [form] = Form.useForm<PlanForm>();
  const week = planForWeek(state, today);
  const names = new Map(state.matters.map((m) => [m.matterKey, m.name]));
  const people = state.team ? [state.team.lead, ...state.team.members] : [];
  const submit = async (v: PlanForm) => {
    const who = people.find((p) => p.userId === v.responsibleUserId);
    if (!who) return;
    const ok = await write(
      'plan_item',
      {
        itemId: `${cfg.deviceId}-${Date.now().toString(36)}`,
        weekOf: week.weekOf,
        text: v.text.trim(),
        matterKey: v.matterKey ?? null,
        responsibleUserId: who.userId,
        responsibleName: who.name,
        dueDate: v.dueDate.format('YYYY-MM-DD'),
      },
      '已加入本周计划',
    );
    if (ok) form.resetFields();
  };
  const review = (item: ProjectPlanItem, outcome: 'done' | 'not_done' | 'dropped') =>
    void write('plan_review', { itemId: item.itemId, outcome }, `已标记为${OUTCOME_ZH[outcome]}`);
  const columns = [
    { title: '计划事项', dataIndex: 'text' },
    {
      title: '涉及审批事项',
      key: 'matter',
      render: (_: unknown, i: ProjectPlanItem) =>
        i.matterKey ? (names.get(i.matterKey) ?? i.matterKey) : '—',
    },
    { title: '责任人', dataIndex: 'responsibleName', width: 90 },
    { title: '完成时限', dataIndex: 'dueDate', width: 100 },
    {
      title: '回顾',
      key: 'review',
      width: 240,
      render: (_: unknown, i: ProjectPlanItem) => (
        <Space>
          {i.review && <Tag>{OUTCOME_ZH[i.review.outcome]}</Tag>}
          {canWrite &&
            (!i.review || i.review.outcome === 'not_done') &&
            (['done', 'not_done', 'dropped'] as const)
              .filter((o) => o !== i.review?.outcome)
              .map((o) => (
                <Button key={o} size="small" disabled={busy} onClick={() => review(i, o)}>
                  {OUTCOME_ZH[o]}
                </Button>
              ))}
        </Space>
      ),
    },
  ];
  return (
    <div data-testid="project-plan">
      <Typography.Title level={5}>本周（{week.weekOf} 起）计划</Typography.Title>
      {canWrite && (
        <Form<PlanForm>
          form={form}
          layout="inline"
          onFinish={(v) => void submit(v)}
          style={{ marginBottom: 12, rowGap: 8 }}
        >
          <Form.Item
            name="text"
            rules={[{ required: true, whitespace: true, message: '请填写计划事项' }]}
          >
            <Input placeholder="计划事项" style={{ width: 260 }} maxLength={500} />
          </Form.Item>
          <Form.Item name="matterKey">
            <Select
              allowClear
              placeholder="涉及审批事项"
              style={{ width: 220 }}
              options={state.matters.map((m) => ({ value: m.matterKey, label: m.name }))}
            />
          </Form.Item>
          <Form.Item name="responsibleUserId" rules={[{ required: true, message: '请选择责任人' }]}>
            <Select
              placeholder="责任人"
              style={{ width: 140 }}
              options={people.map((p) => ({ value: p.userId, label: p.name }))}
            />
          </Form.Item>
          <Form.Item name="dueDate" rules={[{ required: true, message: '请选择时限' }]}>
            <DatePicker placeholder="完成时限" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            加入计划
          </Button>
        </Form>
      )}
      <Table<ProjectPlanItem>
        size="small"
        rowKey="itemId"
        pagination={false}
        dataSource={week.items}
        columns={columns}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        上周及以前未完成（结转）
      </Typography.Title>
      <Table<ProjectPlanItem>
        size="small"
        rowKey="itemId"
        pagination={false}
        dataSource={week.carriedOver}
        columns={[{ title: '原计划周', dataIndex: 'weekOf', width: 100 }, ...columns]}
        data-testid="plan-carried-over"
      />
    </div>
  );
}
