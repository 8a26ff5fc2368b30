/**
 * 4. Local queries at growing sizes on the client (the product's RxDB + Dexie + AES-GCM
 *    database, in Chromium): each screen's queries as the renderer issues them — village
 *    workbench, town inbox, supervisor, the all-cases list with its status filter and its
 *    searches by number, official number, name prefix and ID — and, for the same-run
 *    comparison, the deadline lists as earlier builds read them (every open case loaded).
 * 6. Memory of the client at the largest size: JS heap of the page (peak while filling and
 *    querying, and retained after a full garbage collection) and the proportional set size
 *    of the whole Chromium process tree (/proc).
 */
import type { Harness } from '../support/page.ts';
import { Sampler, chromiumPids, type ResourceReport } from '../support/procStats.ts';
import { round, summarize, type Summary } from '../support/stats.ts';

export interface QuerySizeResult {
  size: number;
  fillSec: number;
  queries: Record<string, Summary & { rows: number }>;
  /** Worst p95 of the product's screens (not the reference rows). */
  worstP95: number;
}

export interface ClientMemoryResult {
  cases: number;
  peakJsHeapMB: number;
  /** After a full garbage collection at the end: what the page really holds. */
  retainedJsHeapMB: number;
  chromium: ResourceReport;
}

export interface LocalQueriesResult {
  sizes: QuerySizeResult[];
  memory: ClientMemoryResult | null;
}

/** Rows that are not product screens: kept as references, outside the goal. */
export const isReferenceRow = (name: string) =>
  name.startsWith('before:') || name.includes('not offered');

export async function localQueries(
  h: Harness,
  opts: { sizes: number[]; reps: number; beforeReps: number },
  log: (m: string) => void,
): Promise<LocalQueriesResult> {
  const page = await h.open();
  const cdp = await page.context.newCDPSession(page.page);
  await cdp.send('Performance.enable');
  const heapMB = async () => {
    const m = await cdp.send('Performance.getMetrics');
    const v = m.metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? 0;
    return v / 1048576;
  };
  let peakHeap = 0;
  let sampling = false;
  const heapTimer = setInterval(() => {
    if (sampling) return;
    sampling = true;
    heapMB()
      .then((v) => (peakHeap = Math.max(peakHeap, v)))
      .catch(() => undefined)
      .finally(() => (sampling = false));
  }, 250);
  const chrome = new Sampler(chromiumPids, 250).start();
  let stopped = false;
  try {
    await page.call('openLocal', { name: `q${Date.now()}` });
    const sizes: QuerySizeResult[] = [];
    let have = 0;
    for (const size of opts.sizes) {
      const t0 = performance.now();
      await page.call('fill', { from: have, to: size, chunk: 2000 });
      have = size;
      const fillSec = round((performance.now() - t0) / 1000);
      const q = await page.call<{
        timings: Record<string, number[]>;
        hits: Record<string, number>;
      }>('queries', { n: size, reps: opts.reps, beforeReps: opts.beforeReps });
      const queries: QuerySizeResult['queries'] = {};
      for (const [name, t] of Object.entries(q.timings))
        queries[name] = { ...summarize(t), rows: q.hits[name] ?? 0 };
      const worst = Math.max(
        ...Object.entries(queries)
          .filter(([k]) => !isReferenceRow(k))
          .map(([, s]) => s.p95),
      );
      sizes.push({ size, fillSec, queries, worstP95: worst });
      log(`@ ${size}: filled in ${fillSec} s; worst p95 of the screens ${round(worst)} ms`);
    }
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const retained = await heapMB();
    stopped = true;
    const memory: ClientMemoryResult = {
      cases: have,
      peakJsHeapMB: Math.round(Math.max(peakHeap, retained)),
      retainedJsHeapMB: Math.round(retained),
      chromium: chrome.stop(),
    };
    log(
      `client memory @ ${have}: peak JS heap ${memory.peakJsHeapMB} MB, retained ${memory.retainedJsHeapMB} MB, Chromium peak PSS ${memory.chromium.peakRssMB} MB`,
    );
    await page.call('closeDb');
    return { sizes, memory };
  } finally {
    clearInterval(heapTimer);
    if (!stopped) chrome.stop();
    await cdp.detach().catch(() => undefined);
    await page.close();
  }
}
