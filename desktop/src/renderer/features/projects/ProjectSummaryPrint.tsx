import {
  MATTER_MODE_LABELS_ZH,
  PROJECT_CATEGORY_LABELS_ZH,
  PROJECT_STAGE_LABELS_ZH,
  type OrgDirectory,
  type ProjectScheduleResult,
  type ProjectState,
} from '@sibantong/shared';

const STATUS_ZH = {
  not_started: '未开始',
  in_progress: '办理中',
  done: '已办结',
  failed: '需重办',
} as const;

/**
 * 项目代办服务单: the record, the 1+1+N team and the tailored list with each matter's latest
 * finish (倒排时间表) and progress, for the firm and the file. Printed through PrintPreview.
 */
export function ProjectSummaryPrint({
  state,
  schedule,
  org,
  today,
}: {
  state: ProjectState;
  schedule: ProjectScheduleResult | null;
  org: OrgDirectory | undefined;
  today: string;
}) {
  const info = state.info;
  if (!info) return null;
  const slots = new Map(schedule?.matters.map((m) => [m.key, m]) ?? []);
  const progress = new Map(schedule?.progress.map((p) => [p.matterKey, p]) ?? []);
  const team = state.team;
  return (
    <div className="doc-sheet" data-testid="project-summary-print">
      <h2>项目代办服务单</h2>
      <p>
        项目名称：<b>{info.name}</b>（{PROJECT_CATEGORY_LABELS_ZH[info.category]}，总投资{' '}
        {info.investmentWan} 万元）
      </p>
      <p>投资项目统一代码：{info.projectCode ?? '尚未赋码'}</p>
      <p>
        建设单位：{info.owner.name}（统一社会信用代码 {info.owner.uscc}），联系人{' '}
        {info.owner.contactName} {info.owner.contactPhone}
      </p>
      <p>
        建设地点：{org?.unit(info.siteUnitId)?.name ?? info.siteUnitId} {info.siteAddress}
      </p>
      <p>
        目标：开工 {state.targets.startDate ?? '未定'}，竣工{' '}
        {state.targets.completionDate ?? '未定'}
        ；当前阶段：{PROJECT_STAGE_LABELS_ZH[state.stage]}
      </p>
      {team && (
        <p>
          服务团队（1+1+N）：班子成员 {team.leader?.name ?? '未指定'}；牵头代办员 {team.lead.name}
          ；成员 {team.members.map((m) => m.name).join('、') || '无'}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>阶段</th>
            <th>审批事项</th>
            <th>办理方式</th>
            <th>最迟完成</th>
            <th>进度</th>
          </tr>
        </thead>
        <tbody>
          {state.matters.map((m) => (
            <tr key={m.matterKey}>
              <td>{PROJECT_STAGE_LABELS_ZH[m.stage]}</td>
              <td>{m.name}</td>
              <td>{m.modes.map((x) => MATTER_MODE_LABELS_ZH[x]).join('、') || '常规'}</td>
              <td>{slots.get(m.matterKey)?.latestFinish ?? '—'}</td>
              <td>{STATUS_ZH[progress.get(m.matterKey)?.status ?? 'not_started']}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {schedule && schedule.warnings.length > 0 && (
        <p>督办提示：{schedule.warnings.map((w) => w.messageZh).join('；')}</p>
      )}
      <div className="sign">
        <span>代办单位：{org?.unit(team?.lead.orgUnitId ?? '')?.name ?? ''}</span>
        <span>牵头代办员：{team?.lead.name ?? ''}</span>
        <span>打印日期 {today}</span>
      </div>
    </div>
  );
}
