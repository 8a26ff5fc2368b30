import type { CaseEvent, MaterialReceipt } from '@sibantong/shared';
import { RATING_LABELS_ZH as RATING_LABELS } from '@sibantong/shared';

/** One line of human text per event, for the timeline. */
export function eventSummary(e: CaseEvent, unitName: (id: string) => string): string {
  switch (e.type) {
    case 'receive':
      return `收件：${e.payload.applicantName}${e.payload.agentAuthorised ? '（代办，已签委托书）' : ''}`;
    case 'inform_missing':
      return `一次性告知缺件：${e.payload.items.map((i) => `${i.name}（${i.problem}）`).join('、')}`;
    case 'supplement':
      return `补充材料：${e.payload.materials.map((m) => m.name).join('、')}`;
    case 'accept':
      return e.payload.deferred ? `容缺受理，承诺 ${e.payload.deferred.dueDate} 前补齐` : '受理';
    case 'refuse':
      return `不予受理：${e.payload.reason}；指引：${e.payload.guidance}；批准人：${e.payload.approverName}`;
    case 'forward':
      return `转办至 ${unitName(e.payload.toUnitId)}${e.payload.note ? `：${e.payload.note}` : ''}`;
    case 'escalate':
      return `上报至 ${unitName(e.payload.toUnitId)}${e.payload.note ? `：${e.payload.note}` : ''}`;
    case 'claim':
      return `${e.actor.name} 认领`;
    case 'assign':
      return `指派给 ${e.payload.toUserName}`;
    case 'request_assistance':
      return `请求协办：${e.payload.departmentIds.map(unitName).join('、')}；事项：${e.payload.question}`;
    case 'assistance_reply':
      return `${unitName(e.payload.departmentId)} 回复（${e.payload.outcome === 'agree' ? '同意' : e.payload.outcome === 'disagree' ? '不同意' : '步骤已完成'}）：${e.payload.opinion}`;
    case 'return_for_correction':
      return `退回 ${unitName(e.payload.toUnitId)} 补正：${e.payload.reason}`;
    case 'suspend':
      return `中止（${e.payload.kind}）：${e.payload.reason}`;
    case 'resume':
      return `恢复办理${e.payload.note ? `：${e.payload.note}` : ''}`;
    case 'extend':
      return `延期 ${e.payload.extraDays} 个工作日：${e.payload.reason}（批准人 ${e.payload.approverName}）`;
    case 'conclude':
      return `办结（${e.payload.outcome === 'approved' ? '准予' : '不予许可'}）：${e.payload.opinion}${e.payload.resultName ? `；结果：${e.payload.resultName} ${e.payload.resultNo ?? ''}` : ''}`;
    case 'deliver_result':
      return `结果送达（${e.payload.method === 'collected' ? '现场领取' : e.payload.method === 'posted' ? '邮寄' : '电子送达'}），领取人 ${e.payload.recipientName}`;
    case 'rate':
      return `好差评：${RATING_LABELS[e.payload.level]}${e.payload.text ? `，${e.payload.text}` : ''}`;
    case 'withdraw':
      return `申请人撤回：${e.payload.reason}`;
    case 'terminate':
      return `终止：${e.payload.reason}`;
    case 'log':
      return `工作日志：${e.payload.text}`;
  }
}

export function eventMaterials(e: CaseEvent): MaterialReceipt[] | null {
  if (
    e.type === 'receive' ||
    e.type === 'forward' ||
    e.type === 'escalate' ||
    e.type === 'supplement'
  )
    return e.payload.materials;
  return null;
}
