import { describe, expect, it } from 'vitest';
import { runtimeText } from '../../src/renderer/features/it/runtimeText';

describe('IT health: 运行状态', () => {
  it('says the memory and that nothing stalled', () => {
    expect(runtimeText({ heapUsedMb: 1234, heapLimitMb: 4096, stalls: [] })).toBe(
      '内存 1,234 MB（上限 4,096 MB）；最近一小时无停顿',
    );
  });

  it('names the longest stall of the hour, when, and how much was garbage collection', () => {
    const at = '2026-12-05T01:02:03.000Z';
    const text = runtimeText({
      heapUsedMb: 900,
      heapLimitMb: 4096,
      stalls: [
        { at: '2026-12-05T01:10:00.000Z', ms: 250, gcMs: 0 },
        { at, ms: 1300, gcMs: 1180 },
        { at: '2026-12-05T00:50:00.000Z', ms: 400, gcMs: 0 },
      ],
    });
    expect(text).toBe(
      `内存 900 MB（上限 4,096 MB）；最近一小时停顿 3 次，最长 1300 毫秒（${new Date(at).toLocaleTimeString('zh-CN')}，其中垃圾回收 1180 毫秒）`,
    );
  });

  it('leaves out collection when the stall was the hub busy with work', () => {
    const text = runtimeText({
      heapUsedMb: 10,
      heapLimitMb: 100,
      stalls: [{ at: '2026-12-05T01:10:00.000Z', ms: 250, gcMs: 0 }],
    });
    expect(text).toContain('最长 250 毫秒（');
    expect(text).not.toContain('垃圾回收');
  });
});
