/** Percentiles and small number helpers for the reports. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  const mean = n ? values.reduce((a, b) => a + b, 0) / n : NaN;
  return {
    n,
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    max: round(n ? Math.max(...values) : NaN),
    mean: round(mean),
  };
}

export function round(v: number, digits = 1): number {
  if (!Number.isFinite(v)) return v;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value or the deadline passes (then returns null). */
export async function until<T>(
  fn: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs: number,
  stepMs = 100,
): Promise<T | null> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) return null;
    await sleep(stepMs);
  }
}

/**
 * A figure measured several times: the median and the spread (min–max and the interquartile
 * range), with every sample kept so a reader can check the summary.
 */
export interface Spread {
  n: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
  samples: number[];
}

/** Linear-interpolated quantile of sorted values (q in 0..1). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function spread(values: readonly number[], digits = 1): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: round(quantile(sorted, 0.5), digits),
    min: round(sorted.length ? sorted[0]! : NaN, digits),
    max: round(sorted.length ? sorted[sorted.length - 1]! : NaN, digits),
    q1: round(quantile(sorted, 0.25), digits),
    q3: round(quantile(sorted, 0.75), digits),
    samples: values.map((v) => round(v, digits)),
  };
}

/** Ratio of two medians (a / b), two decimals; NaN when either is missing. */
export function ratioOf(a: Spread | null | undefined, b: Spread | null | undefined): number {
  if (!a || !b || !Number.isFinite(a.median) || !Number.isFinite(b.median) || b.median === 0)
    return NaN;
  return round(a.median / b.median, 2);
}
