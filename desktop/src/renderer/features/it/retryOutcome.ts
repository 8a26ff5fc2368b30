/** What IT reads after a dead letter retry (the hub's outcomes, shared ItDeadLetterRetry). */
import type { ItDeadLetterRetry } from '@sibantong/shared';

export interface RetrySummary {
  type: 'success' | 'warning' | 'info';
  text: string;
}

const ONE: Record<ItDeadLetterRetry['outcome'], (r: ItDeadLetterRetry) => RetrySummary> = {
  processed: (r) => ({
    type: 'success',
    text: `办件 ${r.caseId} 的「${r.job}」已重新处理成功，记录已移除`,
  }),
  failed: (r) => ({
    type: 'warning',
    text: `办件 ${r.caseId} 的「${r.job}」重试仍失败：${r.message ?? ''}（${r.code ?? ''}），请先排除原因`,
  }),
  queued: (r) => ({
    type: 'info',
    text: `办件 ${r.caseId} 的「${r.job}」已交由运行后台流程的枢纽进程重试，数秒后刷新查看结果`,
  }),
  case_gone: (r) => ({ type: 'info', text: `办件 ${r.caseId} 已不存在，记录已关闭` }),
};

export function retrySummary(results: ItDeadLetterRetry[]): RetrySummary {
  if (results.length === 1) return ONE[results[0]!.outcome](results[0]!);
  if (results.length === 0) return { type: 'info', text: '没有需要重试的记录' };
  const n = (o: ItDeadLetterRetry['outcome']) => results.filter((r) => r.outcome === o).length;
  const failed = n('failed');
  const parts = [`成功 ${n('processed') + n('case_gone')} 条`, `仍失败 ${failed} 条`];
  if (n('queued') > 0) parts.push(`已交由运行后台流程的枢纽进程重试 ${n('queued')} 条`);
  return {
    type: failed > 0 ? 'warning' : 'success',
    text: `重试 ${results.length} 条：${parts.join('，')}`,
  };
}
