/**
 * 4. Local queries at growing sizes on the client (RxDB + Dexie + field encryption, in
 *    Chromium): the workbench lists, status filter, search by name, number and ID — as Mango
 *    queries — and the all-cases list the way the renderer builds it today (load every case,
 *    filter in JS). Two databases: the renderer's schema as it is ("product"), and the same
 *    schema plus indexes ("indexed", a proposal the figures argue for).
 * 6. Peak memory of the client at the largest size, on the product database: JS heap of the
 *    page (CDP) and resident memory of the whole Chromium process tree (/proc).
 */
import type { Harness } from '../support/page.ts';
import { Sampler, chromiumPids, type ResourceReport } from '../support/procStats.ts';
import { round, summarize, type Summary } from '../support/stats.ts';

export interface QuerySizeResult {
  size: number;
  fillSec: number;
  queries: Record<string, Summary & { rows: number }>;
  worstIndexedP95: number;
}

export interface VariantResult {
  variant: 'product' | 'indexed';
  sizes: QuerySizeResult[];
}

export interface ClientMemoryResult {
  cases: number;
  peakJsHeapMB: number;
  jsHeapAfterMB: number;
  chromium: ResourceReport;
}

export interface LocalQueriesResult {
  variants: VariantResult[];
  memory: ClientMemoryResult | null;
}

export async function localQueries(
  h: Harness,
  opts: { sizes: number[]; reps: number; listReps: number },
  log: (m: string) => void,
): Promise<LocalQueriesResult> {
  const variants: VariantResult[] = [];
  let memory: ClientMemoryResult | null = null;
  for (const variant of ['product', 'indexed'] as const) {
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
    const chrome = variant === 'product' ? new Sampler(chromiumPids, 250).start() : null;
    try {
      await page.call('openLocal', { variant, name: `q${variant}${Date.now()}` });
      const sizes: QuerySizeResult[] = [];
      let have = 0;
      for (const size of opts.sizes) {
        const t0 = performance.now();
        await page.call('fill', { from: have, to: size, chunk: 2000 });
        have = size;
        const fillSec = round((performance.now() - t0) / 1000);
        // Without indexes every query is a full scan (seconds at 50k+) whose time hardly
        // varies: one repetition at 50k+, five below. The all-cases list runs on the product
        // schema only (it uses no index, so it costs the same on both).
        const reps = variant === 'product' ? Math.min(opts.reps, size > 20_000 ? 1 : 5) : opts.reps;
        const listReps =
          variant === 'product' ? (size > 20_000 ? Math.min(opts.listReps, 2) : opts.listReps) : 0;
        const q = await page.call<{
          timings: Record<string, number[]>;
          hits: Record<string, number>;
        }>('queries', { n: size, reps, listReps });
        const queries: QuerySizeResult['queries'] = {};
        for (const [name, t] of Object.entries(q.timings))
          queries[name] = { ...summarize(t), rows: q.hits[name] ?? 0 };
        const worst = Math.max(
          ...Object.entries(queries)
            .filter(([k]) => !k.startsWith('all-cases') && !k.includes('contains'))
            .map(([, s]) => s.p95),
        );
        sizes.push({ size, fillSec, queries, worstIndexedP95: worst });
        log(
          `${variant} @ ${size}: filled in ${fillSec} s; worst p95 of the indexed-capable queries ${round(worst)} ms`,
        );
      }
      variants.push({ variant, sizes });
      if (chrome) {
        const after = await heapMB();
        memory = {
          cases: have,
          peakJsHeapMB: Math.round(Math.max(peakHeap, after)),
          jsHeapAfterMB: Math.round(after),
          chromium: chrome.stop(),
        };
        log(
          `client memory @ ${have}: peak JS heap ${memory.peakJsHeapMB} MB, Chromium peak RSS ${memory.chromium.peakRssMB} MB`,
        );
      }
      await page.call('closeDb');
    } finally {
      clearInterval(heapTimer);
      await cdp.detach().catch(() => undefined);
      await page.close();
    }
  }
  return { variants, memory };
}
