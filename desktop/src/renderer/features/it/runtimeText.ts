/** IT's health row 运行状态: the hub's memory and its stalls of the last hour (admin/pauseWatch.ts). */
import type { ItHealth } from '@sibantong/shared';

/** Memory, and the longest stall of the last hour (why a request was slow now and then). */
export function runtimeText(r: ItHealth['runtime']): string {
  const memory = `内存 ${r.heapUsedMb.toLocaleString('zh-CN')} MB（上限 ${r.heapLimitMb.toLocaleString('zh-CN')} MB）`;
  const worst = r.stalls.reduce<ItHealth['runtime']['stalls'][number] | null>(
    (a, s) => (a && a.ms >= s.ms ? a : s),
    null,
  );
  if (!worst) return `${memory}；最近一小时无停顿`;
  const when = new Date(worst.at).toLocaleTimeString('zh-CN');
  const gc = worst.gcMs > 0 ? `，其中垃圾回收 ${worst.gcMs} 毫秒` : '';
  return `${memory}；最近一小时停顿 ${r.stalls.length} 次，最长 ${worst.ms} 毫秒（${when}${gc}）`;
}
