import { Alert, Space, Table, Tag, Tooltip, Typography } from 'antd';
import {
  type ProjectScheduleResult,
  type ProjectState,
  type ScheduledMatter,
} from '@sibantong/shared';

const DAY_PX = 6;

function dayNo(iso: string): number {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
}

type DateField = 'latestStart' | 'latestFinish' | 'earliestStart' | 'earliestFinish';

/** A date column whose cell a test can read per matter (`latestStart-<matterKey>`). */
const dateColumn = (title: string, field: DateField) => ({
  title,
  key: field,
  width: 100,
  render: (_: unknown, m: ScheduledMatter) => (
    <span data-testid={`${field}-${m.key}`}>{m[field]}</span>
  ),
});

/**
 * 倒排时间表: the shared reverse schedule (latest start/finish back from the target through
 * the dependencies on the synced working-day calendar, earliest dates forwards from today),
 * drawn as bars: the grey frame is the latest window, the bar the projected one (red on the
 * critical path). Slack in working days; 督办 warnings above.
 */
export function TimetableTab({
  state,
  schedule,
  today,
}: {
  state: ProjectState;
  schedule: ProjectScheduleResult | null;
  today: string;
}) {
  if (!schedule)
    return <Alert type="info" showIcon message="尚未设定开工/竣工目标日期，无法倒排时间表" />;
  const names = new Map(state.matters.map((m) => [m.matterKey, m.name]));
  const dates = schedule.matters.flatMap((m) => [
    m.latestStart,
    m.latestFinish,
    m.earliestStart,
    m.earliestFinish,
  ]);
  const first = Math.min(dayNo(today), ...dates.map(dayNo));
  const last = Math.max(dayNo(schedule.targetFinish), ...dates.map(dayNo));
  const span = (last - first + 1) * DAY_PX;
  const x = (iso: string) => (dayNo(iso) - first) * DAY_PX;
  const critical = new Set(schedule.criticalPath);
  return (
    <div data-testid="project-timetable">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Tag data-testid="schedule-target">目标完成：{schedule.targetFinish}</Tag>
          <Tag color={schedule.projectedFinish > schedule.targetFinish ? 'red' : 'green'}>
            按当前进度预计完成：{schedule.projectedFinish}
          </Tag>
          <Tag color={schedule.projectSlackDays < 0 ? 'red' : 'blue'}>
            最小余量：{schedule.projectSlackDays} 个工作日
          </Tag>
        </Space>
        {schedule.provisional && (
          <Alert
            type="warning"
            showIcon
            message={`${schedule.missingYears.join('、')} 年的节假日安排尚未导入，相关日期按周末暂估`}
          />
        )}
        {schedule.warnings.map((w, i) => (
          <Alert
            key={i}
            type="error"
            showIcon
            data-testid="schedule-warning"
            message={`督办：${w.messageZh}`}
          />
        ))}
        <Table<ScheduledMatter>
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={schedule.matters}
          scroll={{ x: 900 + span }}
          rowClassName={(m) => (critical.has(m.key) ? 'critical-row' : '')}
          columns={[
            {
              title: '审批事项',
              key: 'name',
              width: 200,
              fixed: 'left',
              render: (_, m) => (
                <Typography.Text
                  type={critical.has(m.key) ? 'danger' : undefined}
                  strong={critical.has(m.key)}
                >
                  {names.get(m.key) ?? m.key}
                  {critical.has(m.key) ? '（关键）' : ''}
                </Typography.Text>
              ),
            },
            { title: '工作日', dataIndex: 'durationDays', width: 60 },
            dateColumn('最迟开始', 'latestStart'),
            dateColumn('最迟完成', 'latestFinish'),
            dateColumn('预计开始', 'earliestStart'),
            dateColumn('预计完成', 'earliestFinish'),
            {
              title: '余量',
              key: 'slack',
              width: 70,
              render: (_, m) =>
                m.done ? (
                  '已办结'
                ) : (
                  <Typography.Text type={m.slackDays < 0 ? 'danger' : undefined}>
                    {m.slackDays}
                  </Typography.Text>
                ),
            },
            {
              title: '甘特图',
              key: 'gantt',
              width: span + 20,
              render: (_, m) => (
                <svg width={span} height={22}>
                  <rect
                    x={x(m.latestStart)}
                    y={2}
                    width={Math.max(DAY_PX, x(m.latestFinish) - x(m.latestStart) + DAY_PX)}
                    height={18}
                    fill="none"
                    stroke="#999"
                    strokeDasharray="3 2"
                  />
                  <Tooltip
                    title={`${m.earliestStart} → ${m.earliestFinish}（${m.durationDays} 个工作日）`}
                  >
                    <rect
                      x={x(m.earliestStart)}
                      y={6}
                      width={Math.max(DAY_PX, x(m.earliestFinish) - x(m.earliestStart) + DAY_PX)}
                      height={10}
                      fill={m.done ? '#52c41a' : critical.has(m.key) ? '#cf1322' : '#2f54eb'}
                    />
                  </Tooltip>
                  <line x1={x(today)} x2={x(today)} y1={0} y2={22} stroke="#faad14" />
                </svg>
              ),
            },
          ]}
        />
        <Typography.Text type="secondary">
          虚线框：最迟时间窗（倒排）；实心条：按今天起的预计办理时间（红色为关键路径，绿色为已办结）；黄线：今天。
        </Typography.Text>
      </Space>
    </div>
  );
}
