import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { PauseWatch } from '../src/admin/pauseWatch.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    /* the event loop answers nobody meanwhile */
  }
}

describe('PauseWatch: the hub’s stalls, as IT’s health reports them', () => {
  let watch: PauseWatch | null = null;
  afterEach(() => watch?.stop());

  it('reports nothing while the loop keeps answering', async () => {
    watch = new PauseWatch();
    watch.start();
    await sleep(500);
    const r = watch.report();
    // A test worker on a loaded machine may miss a tick now and then, never by a second.
    expect(r.stalls.filter((s) => s.ms >= 1000)).toEqual([]);
    expect(r.heapUsedMb).toBeGreaterThan(0);
    expect(r.heapLimitMb).toBeGreaterThan(r.heapUsedMb);
  });

  it('reports a blocked loop with its start and length, newest first, and logs a long one', async () => {
    const lines: string[] = [];
    watch = new PauseWatch((l) => lines.push(l));
    watch.start();
    await sleep(250);
    const before = Date.now();
    busy(400);
    await sleep(250);
    busy(1100);
    await sleep(250);
    const r = watch.report();
    const [newer, older] = r.stalls.filter((s) => s.ms >= 300);
    expect(newer!.ms).toBeGreaterThanOrEqual(1000);
    expect(newer!.ms).toBeLessThan(1400);
    expect(older!.ms).toBeGreaterThanOrEqual(300);
    expect(older!.ms).toBeLessThan(700);
    expect(Date.parse(older!.at)).toBeGreaterThanOrEqual(before - 150);
    expect(Date.parse(newer!.at)).toBeGreaterThan(Date.parse(older!.at));
    // Busy work, not collection.
    expect(older!.gcMs).toBeLessThan(100);
    expect(lines.map((l) => JSON.parse(l) as { event: string; ms: number })).toEqual([
      { event: 'stall', ms: newer!.ms },
    ]);
  });

  it('says how much of a stall was garbage collection', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // A heap of a few million small objects: a full collection of it takes tens to hundreds of ms.
    const held = Array.from({ length: 3_000_000 }, (_, i) => ({ i, s: `n${i}` }));
    watch = new PauseWatch();
    watch.start();
    await sleep(250);
    const t0 = performance.now();
    gc();
    gc();
    const gcTook = performance.now() - t0;
    busy(Math.max(0, 250 - gcTook)); // long enough to count as a stall either way
    await sleep(300);
    const [stall] = watch.report().stalls;
    expect(held.length).toBe(3_000_000);
    expect(stall).toBeDefined();
    expect(stall!.gcMs).toBeGreaterThan(gcTook * 0.5);
    expect(stall!.gcMs).toBeLessThanOrEqual(stall!.ms + 100);
  }, 30_000);
});
