import { useMemo, useState } from 'react';
import { Button, Select, Space, Table, Tag, Typography } from 'antd';
import {
  listedMatterPayload,
  MATTER_MODE_LABELS_ZH,
  PROJECT_MATTER_PROFILES,
  PROJECT_STAGE_LABELS_ZH,
  type LinkedCase,
  type Matter,
  type ProjectEventType,
  type ProjectMatter,
  type ProjectState,
} from '@sibantong/shared';
import { matterProgress } from '@sibantong/shared';
import type { ProjectRefs } from './useProjects';
import { useProjectWriter } from './projectWriter';
import { useApp } from '../../appContext';
import { pendingCaseLinks } from '../../db/projectCaseLinks';
import { MatterEditDialog } from './MatterEditDialog';
import { MatterProgressDialog } from './MatterProgressDialog';
import { RemoveMatterButton } from './RemoveMatterButton';

const PROGRESS_ZH = {
  not_started: '未开始',
  in_progress: '办理中',
  done: '已办结',
  failed: '未通过（需重办）',
} as const;

/**
 * 审批事项清单: the tailored list with its 模拟审批 / 容缺受理 / 联合审批 marks and 警示点; the
 * centre adds matters from the catalogue's project profiles (prerequisites kept when listed),
 * edits a listed one (办理方式, 计划工作日, 前置事项) or removes it; a team member records
 * the dates of a matter handled outside a case. Each action is offered where `may` (the
 * shared `mayActOnProject`) allows its event type.
 */
export function MattersTab({
  state,
  cases,
  refs,
  may,
}: {
  state: ProjectState;
  cases: ReadonlyMap<string, LinkedCase>;
  refs: ProjectRefs;
  may: (type: ProjectEventType) => boolean;
}) {
  const canEdit = may('add_matter');
  /** A team member (any level) may open a case for a listed matter (申请办件). */
  const canApply = may('link_case');
  const canChange = may('set_mode') || may('set_duration') || may('set_dependency');
  const canRemove = may('remove_matter');
  const canTypeProgress = may('set_matter_progress');
  const [editing, setEditing] = useState<ProjectMatter | null>(null);
  const [typing, setTyping] = useState<ProjectMatter | null>(null);
  const { write, busy } = useProjectWriter(state.projectId ?? '');
  const { cfg, navigate, user } = useApp();
  // A village window takes in only matters its catalogue entry allows there (the form's rule).
  const villageGuidanceOnly = (m: ProjectMatter) =>
    user.role === 'village_helper' &&
    [...refs.mattersByBasicCode.values()].find((c) => c.code === m.matterCode)?.villageMode ===
      'inform_only';
  const waiting = new Map(
    pendingCaseLinks(cfg.deviceId)
      .filter((l) => l.projectId === state.projectId)
      .map((l) => [l.matterKey, l.caseId]),
  );
  const apply = (m: ProjectMatter) =>
    navigate({
      page: 'accept',
      projectLink: {
        projectId: state.projectId ?? '',
        projectName: state.info?.name ?? '',
        matterKey: m.matterKey,
        matterCode: m.matterCode,
      },
    });
  const [pick, setPick] = useState<string | null>(null);
  const listed = useMemo(() => new Set(state.matters.map((m) => m.matterKey)), [state.matters]);
  const names = useMemo(
    () => new Map(state.matters.map((m) => [m.matterKey, m.name])),
    [state.matters],
  );
  // A project needs one of 备案 / 核准 / 可研审批: once one is listed, the others are not offered.
  const groupsListed = new Set(
    PROJECT_MATTER_PROFILES.filter((p) => listed.has(p.basicCode)).map((p) => p.alternativeGroup),
  );
  const offers = PROJECT_MATTER_PROFILES.filter(
    (p) =>
      !listed.has(p.basicCode) &&
      refs.mattersByBasicCode.has(p.basicCode) &&
      !(p.alternativeGroup && groupsListed.has(p.alternativeGroup)),
  );
  const add = async () => {
    const profile = PROJECT_MATTER_PROFILES.find((p) => p.basicCode === pick);
    const matter = pick ? refs.mattersByBasicCode.get(pick) : undefined;
    if (!profile || !matter) return;
    const ok = await write(
      'add_matter',
      listedMatterPayload(matter as unknown as Matter, profile, listed),
      `已加入审批事项：${matter.name}`,
    );
    if (ok) setPick(null);
  };
  return (
    <div data-testid="project-matters">
      {editing && (
        <MatterEditDialog
          state={state}
          matter={editing}
          may={may}
          onClose={() => setEditing(null)}
        />
      )}
      {typing && (
        <MatterProgressDialog
          projectId={state.projectId ?? ''}
          matter={typing}
          onClose={() => setTyping(null)}
        />
      )}
      {canEdit && (
        <Space style={{ marginBottom: 12 }} wrap>
          <Select
            data-testid="matter-pick"
            style={{ width: 420 }}
            placeholder="从事项目录选择工程建设项目审批事项"
            value={pick}
            onChange={setPick}
            showSearch
            optionFilterProp="label"
            options={offers.map((p) => ({
              value: p.basicCode,
              label: `【${PROJECT_STAGE_LABELS_ZH[p.stage]}】${refs.mattersByBasicCode.get(p.basicCode)?.name ?? p.basicCode}`,
            }))}
          />
          <Button type="primary" disabled={!pick} loading={busy} onClick={() => void add()}>
            加入清单
          </Button>
        </Space>
      )}
      <Table<ProjectMatter>
        size="small"
        rowKey="matterKey"
        pagination={false}
        dataSource={state.matters}
        columns={[
          {
            title: '阶段',
            key: 'stage',
            width: 140,
            render: (_, m) => PROJECT_STAGE_LABELS_ZH[m.stage],
          },
          { title: '审批事项', dataIndex: 'name' },
          { title: '计划工作日', dataIndex: 'durationDays', width: 90 },
          {
            title: '前置事项',
            key: 'deps',
            render: (_, m) => m.dependsOn.map((k) => names.get(k) ?? k).join('、') || '—',
          },
          {
            title: '办理方式',
            key: 'modes',
            render: (_, m) =>
              m.modes.map((mode) => (
                <Tag
                  key={mode}
                  color={mode === 'simulated' ? 'purple' : mode === 'deferred' ? 'gold' : 'blue'}
                >
                  {MATTER_MODE_LABELS_ZH[mode]}
                </Tag>
              )),
          },
          {
            title: '进度',
            key: 'progress',
            width: 170,
            render: (_, m) => {
              const p = matterProgress(m, cases);
              const linked = m.caseIds.at(-1);
              return (
                <Space direction="vertical" size={0}>
                  <span data-testid={`matter-progress-${m.matterKey}`}>
                    {PROGRESS_ZH[p.status]}
                  </span>
                  {p.source === 'manual' && (
                    <Typography.Text type="secondary" data-testid={`matter-dates-${m.matterKey}`}>
                      县外办理：{p.startedOn ?? '—'} 至 {p.finishedOn ?? '未办结'}
                    </Typography.Text>
                  )}
                  {linked && (
                    <Button
                      type="link"
                      size="small"
                      style={{ padding: 0 }}
                      data-testid={`matter-case-${m.matterKey}`}
                      onClick={() => navigate({ page: 'case', caseId: linked })}
                    >
                      查看办件
                    </Button>
                  )}
                  {waiting.has(m.matterKey) && (
                    <Tag color="orange" data-testid={`matter-waiting-${m.matterKey}`}>
                      办件待同步，同步后自动关联
                    </Tag>
                  )}
                  {canApply &&
                    // Not for a matter running or done (by its case or handled elsewhere).
                    (p.status === 'not_started' || p.status === 'failed') &&
                    !waiting.has(m.matterKey) &&
                    villageGuidanceOnly(m) && <Tag>村级仅指引，请到办理机关申请</Tag>}
                  {canApply &&
                    (p.status === 'not_started' || p.status === 'failed') &&
                    !waiting.has(m.matterKey) &&
                    !villageGuidanceOnly(m) && (
                      <Button
                        size="small"
                        data-testid={`matter-apply-${m.matterKey}`}
                        onClick={() => apply(m)}
                      >
                        申请办件
                      </Button>
                    )}
                </Space>
              );
            },
          },
          {
            title: '警示点',
            key: 'warning',
            render: (_, m) => <Typography.Text type="warning">{m.warningZh}</Typography.Text>,
          },
          ...(canChange || canRemove || canTypeProgress
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  width: 110,
                  render: (_: unknown, m: ProjectMatter) => {
                    // A case (linked or waiting to be) gives the dates and keeps the matter listed.
                    const caseBacked = m.caseIds.length > 0 || waiting.has(m.matterKey);
                    return (
                      <Space direction="vertical" size={0}>
                        {canChange && (
                          <Button
                            type="link"
                            size="small"
                            data-testid={`matter-edit-${m.matterKey}`}
                            onClick={() => setEditing(m)}
                          >
                            编辑
                          </Button>
                        )}
                        {canTypeProgress && !caseBacked && (
                          <Button
                            type="link"
                            size="small"
                            data-testid={`matter-type-progress-${m.matterKey}`}
                            onClick={() => setTyping(m)}
                          >
                            填写进度
                          </Button>
                        )}
                        {canRemove && !caseBacked && (
                          <RemoveMatterButton projectId={state.projectId ?? ''} matter={m} />
                        )}
                      </Space>
                    );
                  },
                },
              ]
            : []),
        ]}
      />
    </div>
  );
}
