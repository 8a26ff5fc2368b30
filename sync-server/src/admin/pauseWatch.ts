/**
 * Stalls of this hub process: times its event loop could not answer anyone, and how much of
 * that was garbage collection. A request that is slow once in a while (a cockpit figure that
 * takes 1.3 s where it usually takes 0.1 s) is either the hub stalling or something else
 * (the store, the network, the caller); IT's health and the benchmarks tell which from this.
 *
 * A timer that should fire every TICK_MS and fires late measures the stall; the runtime's GC
 * entries (perf_hooks) say how much of it was collection. Wall-clock times, so that a caller
 * on the same machine can line stalls up with its own requests.
 */
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { ItRuntime } from '@sibantong/shared';

const TICK_MS = 100;
/** A stall shorter than this is ordinary work (a large response, a minor collection). */
const STALL_MS = 200;
/** Stalls and collections kept (newest kept); an hour of a hub in trouble, at most. */
const KEEP = 200;
const KEEP_FOR_MS = 60 * 60 * 1000;
/** A collection shorter than this cannot explain a stall worth reporting. */
const GC_NOTED_MS = 10;

interface Span {
  /** Wall-clock start and end, ms since the epoch. */
  start: number;
  end: number;
}

export class PauseWatch {
  private readonly stalls: Span[] = [];
  private readonly collections: Span[] = [];
  private timer: NodeJS.Timeout | null = null;
  private observer: PerformanceObserver | null = null;
  private expected = 0;
  private gcTotal = 0;

  constructor(private readonly log: (line: string) => void = () => undefined) {}

  start(): void {
    if (this.timer) return;
    this.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) this.noteCollection(e);
    });
    this.observer.observe({ entryTypes: ['gc'] });
    this.expected = Date.now() + TICK_MS;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    // A hub with nothing else to do may still exit (tests stop it by closing the server).
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.observer?.disconnect();
    this.observer = null;
  }

  /** Milliseconds of garbage collection since start, every collection counted. */
  get gcMs(): number {
    return this.gcTotal;
  }

  private noteCollection(e: PerformanceEntry): void {
    this.gcTotal += e.duration;
    if (e.duration < GC_NOTED_MS) return;
    const start = performance.timeOrigin + e.startTime;
    push(this.collections, { start, end: start + e.duration });
  }

  private tick(): void {
    const now = Date.now();
    const late = now - this.expected;
    this.expected = now + TICK_MS;
    if (late < STALL_MS) return;
    const stall = { start: now - late, end: now };
    push(this.stalls, stall);
    // A stall of a second or more is worth a line in the hub's log even if nobody asks.
    if (late >= 1000) this.log(JSON.stringify({ event: 'stall', ms: late }));
  }

  /** What IT's health shows: memory, and the stalls of the last hour, newest first. */
  report(now = Date.now()): ItRuntime {
    const since = now - KEEP_FOR_MS;
    const heap = v8.getHeapStatistics();
    const stalls = this.stalls
      .filter((s) => s.end >= since)
      .reverse()
      .slice(0, 20)
      .map((s) => ({
        at: new Date(s.start).toISOString(),
        ms: Math.round(s.end - s.start),
        gcMs: Math.round(overlap(s, this.collections)),
      }));
    return {
      heapUsedMb: Math.round(heap.used_heap_size / 1e6),
      heapLimitMb: Math.round(heap.heap_size_limit / 1e6),
      stalls,
    };
  }
}

function push(list: Span[], s: Span): void {
  list.push(s);
  if (list.length > KEEP) list.splice(0, list.length - KEEP);
}

/** Milliseconds of `spans` inside `s` (a late timer starts a little before the tick noticed). */
function overlap(s: Span, spans: readonly Span[]): number {
  let ms = 0;
  for (const c of spans) {
    const from = Math.max(s.start - TICK_MS, c.start);
    const to = Math.min(s.end, c.end);
    if (to > from) ms += to - from;
  }
  return ms;
}
