import { useEffect, useState } from 'react';
import { Button, Card, Table, Tag } from 'antd';
import { chinaDateTime } from '@sibantong/shared';
import { useApp } from '../../appContext';
import { projectStoreOf, type ProjectRefusalDoc } from '../../db/projectsCollection';

const TYPE_ZH: Record<string, string> = {
  register: '项目登记',
  update_info: '修改项目信息',
  set_team: '组建团队',
  add_matter: '加入审批事项',
  remove_matter: '移出审批事项',
  set_dependency: '设置前置事项',
  set_mode: '设置办理方式',
  set_duration: '设置计划工作日',
  set_target: '设置目标日期',
  set_stage: '设置阶段',
  set_status: '设置项目状态',
  set_matter_progress: '填写事项进度',
  link_case: '关联办件',
  log_entry: '审批工作日志',
  plan_item: '周工作计划',
  plan_review: '计划评议',
};

/**
 * Project writes the hub refused (sync/projectReplication.ts records them), in the refusal log
 * next to the cases': which project, what was refused, the hub's reason and code. The refused
 * events are out of the local copy already; the user acknowledges (知道了) once they have
 * redone the work or decided not to.
 */
export function ProjectRefusalsCard() {
  const { db, navigate } = useApp();
  const [docs, setDocs] = useState<ProjectRefusalDoc[]>([]);
  useEffect(() => {
    const store = projectStoreOf(db);
    if (!store) return;
    const sub = store.projectRefusals
      .find({ sort: [{ id: 'desc' }] })
      .$.subscribe((rows) => setDocs(rows.map((r) => r.toMutableJSON() as ProjectRefusalDoc)));
    return () => sub.unsubscribe();
  }, [db]);
  if (docs.length === 0) return null;
  const dismiss = async (r: ProjectRefusalDoc) => {
    const doc = await projectStoreOf(db)?.projectRefusals.findOne(r.id).exec();
    await doc?.incrementalPatch({ state: 'dismissed' });
  };
  const open = docs.filter((d) => d.state === 'open');
  return (
    <Card title={`被中心拒绝的项目写入（${open.length}）`} data-testid="project-refusal-list">
      <Table<ProjectRefusalDoc>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={docs}
        columns={[
          {
            title: '项目',
            key: 'p',
            render: (_, r) => (
              <Button
                type="link"
                onClick={() => navigate({ page: 'project', projectId: r.projectId })}
              >
                {r.projectName || r.projectId}
              </Button>
            ),
          },
          {
            title: '被拒操作',
            key: 't',
            render: (_, r) =>
              [...new Set(r.refusedEventTypes)].map((t) => <Tag key={t}>{TYPE_ZH[t] ?? t}</Tag>),
          },
          {
            title: '中心服务器的理由',
            key: 'm',
            render: (_, r) => (
              <span data-testid="project-refusal-message">
                {r.message}（{r.code}）
              </span>
            ),
          },
          { title: '时间', key: 'c', render: (_, r) => chinaDateTime(r.createdAt).slice(5) },
          {
            title: '处理',
            key: 'a',
            render: (_, r) =>
              r.state === 'open' ? (
                <Button size="small" onClick={() => void dismiss(r)}>
                  知道了
                </Button>
              ) : (
                '已确认'
              ),
          },
        ]}
      />
    </Card>
  );
}
