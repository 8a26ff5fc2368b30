import type { ProjectState, WeeklyReport } from '@sibantong/shared';

const OUTCOME_ZH = { done: '已完成', not_done: '未完成', dropped: '已取消' } as const;

/**
 * 周工作计划 report for the file and the weekly meeting: the week's items and last weeks'
 * unfinished ones with their review, the review counts, and the 审批工作日志 of the week.
 * Printed through PrintPreview (shared `weeklyReport`).
 */
export function WeeklyReportPrint({
  state,
  report,
  today,
}: {
  state: ProjectState;
  report: WeeklyReport;
  today: string;
}) {
  const names = new Map(state.matters.map((m) => [m.matterKey, m.name]));
  const rows = [
    ...report.items.map((i) => ({ i, carried: false })),
    ...report.carriedOver.map((i) => ({ i, carried: true })),
  ];
  const r = report.review;
  return (
    <div className="doc-sheet" data-testid="weekly-report-print">
      <h2>重点项目周工作计划及完成情况</h2>
      <p>
        项目：<b>{state.info?.name}</b>，周次：{report.weekOf} 至 {report.weekEnd}
      </p>
      <table>
        <thead>
          <tr>
            <th>序号</th>
            <th>工作内容</th>
            <th>关联事项</th>
            <th>责任人</th>
            <th>完成时限</th>
            <th>完成情况</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ i, carried }, n) => (
            <tr key={i.itemId}>
              <td>{n + 1}</td>
              <td>
                {carried ? `【上周结转】` : ''}
                {i.text}
              </td>
              <td>{i.matterKey ? (names.get(i.matterKey) ?? i.matterKey) : '—'}</td>
              <td>{i.responsibleName}</td>
              <td>{i.dueDate}</td>
              <td>
                {i.review ? OUTCOME_ZH[i.review.outcome] : '待评议'}
                {i.review?.note ? `（${i.review.note}）` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="weekly-review">
        本周评议：已完成 {r.done} 项，未完成 {r.notDone} 项，已取消 {r.dropped} 项，待评议 {r.open}{' '}
        项。
      </p>
      <h3>本周审批工作日志</h3>
      <table>
        <thead>
          <tr>
            <th>日期</th>
            <th>事项</th>
            <th>办理情况</th>
            <th>存在问题</th>
            <th>下一步</th>
            <th>记录人</th>
          </tr>
        </thead>
        <tbody>
          {report.log.map((e) => (
            <tr key={e.eventId}>
              <td>{e.date}</td>
              <td>{e.matterKey ? (names.get(e.matterKey) ?? e.matterKey) : '—'}</td>
              <td>{e.done}</td>
              <td>{e.problem ?? ''}</td>
              <td>{e.nextStep ?? ''}</td>
              <td>{e.by.name}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="sign">
        <span>牵头代办员：{state.team?.lead.name ?? ''}</span>
        <span>打印日期 {today}</span>
      </div>
    </div>
  );
}
