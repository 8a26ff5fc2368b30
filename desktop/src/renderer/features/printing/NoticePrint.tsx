import type { CaseDoc, EventPayloads } from '@sibantong/shared';

export interface NoticeProps {
  doc: CaseDoc;
  matterName: string;
  unitName: string;
  staffName: string;
}

/**
 * 一次性告知单 (行政许可法 §32): every missing or wrong item at once, plus the 容缺 items with the
 * signed commitment's date, so the applicant never has to come back twice for the same reason.
 */
export function NoticePrint({ doc, matterName, unitName, staffName }: NoticeProps) {
  const receive = doc.events.find((e) => e.type === 'receive');
  const materials = receive ? (receive.payload as EventPayloads['receive']).materials : [];
  const informs = doc.events
    .filter((e) => e.type === 'inform_missing')
    .map((e) => e.payload as EventPayloads['inform_missing']);
  const accept = doc.events.find((e) => e.type === 'accept');
  const deferred = accept ? (accept.payload as EventPayloads['accept']).deferred : undefined;
  const problems = new Map<string, { name: string; problem: string }>();
  for (const m of materials)
    if (m.missing)
      problems.set(m.materialId, { name: m.name, problem: m.deferred ? '容缺后补' : '未提供' });
  for (const i of informs)
    for (const it of i.items) problems.set(it.materialId, { name: it.name, problem: it.problem });
  return (
    <div className="doc-sheet" data-testid="notice-print">
      <h2>一次性告知单</h2>
      <p>
        {doc.applicantName}：您申请的“{matterName}”（编号 {doc.provisionalNo}
        ），经审查尚需补充以下材料，现一次性告知如下：
      </p>
      <table>
        <thead>
          <tr>
            <th>序号</th>
            <th>材料名称</th>
            <th>问题</th>
          </tr>
        </thead>
        <tbody>
          {[...problems.values()].map((p, i) => (
            <tr key={p.name}>
              <td>{i + 1}</td>
              <td>{p.name}</td>
              <td>{p.problem}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {deferred && (
        <p>
          容缺受理：您已签署容缺承诺书，请于 <b>{deferred.dueDate}</b>{' '}
          前补齐上述容缺材料，逾期未补齐的将终止办理。
        </p>
      )}
      {informs.some((i) => i.deadlineDays) && (
        <p>请于 {informs.find((i) => i.deadlineDays)?.deadlineDays} 个工作日内补正。</p>
      )}
      <div className="sign">
        <span>告知单位：{unitName}</span>
        <span>经办人：{staffName}</span>
        <span>{new Date().toLocaleDateString('zh-CN')}</span>
      </div>
    </div>
  );
}
