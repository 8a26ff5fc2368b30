/**
 * Why a sample was slow: the stalls of the hub (IT's health, admin/pauseWatch.ts) and of the
 * bench's own process, and what CouchDB was busy with (its `_active_tasks`: compaction,
 * indexing), lined up by wall-clock time with the samples much slower than their fellows.
 * A p95 decided by one sample of seven says little until the harness can say what it met.
 */
import type { ItRuntime } from '@sibantong/shared';
import { PauseWatch } from '../../sync-server/src/admin/pauseWatch.ts';
import { activeTasks } from './couch.ts';
import { percentile } from './stats.ts';

export interface TimedSample {
  label: string;
  /** Wall clock, ms since the epoch. */
  start: number;
  end: number;
  /** The hub's own account of the request (its Server-Timing: app, cpu, gc, in ms). */
  server?: Record<string, number>;
}

export interface SlowSample {
  label: string;
  ms: number;
  /** The median of the same request in this run. */
  medianMs: number;
  at: string;
  /** The hub's Server-Timing of this sample (app, cpu, gc), null when it sent none. */
  server: Record<string, number> | null;
  hubStalls: Array<{ ms: number; gcMs: number }>;
  benchStalls: Array<{ ms: number; gcMs: number }>;
  /** CouchDB tasks seen running during the sample (type and database). */
  couchTasks: string[];
}

const POLL_MS = 1_000;

export class StallWitness {
  private readonly own = new PauseWatch();
  private readonly seen: Array<{ at: number; tasks: string[] }> = [];
  private polling = false;
  private poller: Promise<void> = Promise.resolve();

  constructor(private readonly couchUrl: string | null) {}

  start(): void {
    this.own.start();
    if (!this.couchUrl || this.polling) return;
    this.polling = true;
    const url = this.couchUrl;
    this.poller = (async () => {
      while (this.polling) {
        try {
          const tasks = await activeTasks(url);
          this.seen.push({
            at: Date.now(),
            tasks: tasks.map((t) =>
              [t.type, t.database?.split('/').pop(), t.design_document].filter(Boolean).join(' '),
            ),
          });
        } catch {
          // A poll that fails says nothing about the sample.
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    })();
  }

  /**
   * Stops watching; the samples slower than twice their request's median (and 300 ms), each
   * with what the hub, the bench and CouchDB were doing meanwhile.
   */
  async explain(samples: readonly TimedSample[], hub: ItRuntime): Promise<SlowSample[]> {
    this.polling = false;
    await this.poller;
    const own = this.own.report();
    this.own.stop();
    const byLabel = new Map<string, number[]>();
    for (const s of samples) {
      const list = byLabel.get(s.label) ?? [];
      list.push(s.end - s.start);
      byLabel.set(s.label, list);
    }
    const within = (s: TimedSample, stalls: ItRuntime['stalls']) =>
      stalls
        .filter((x) => {
          const from = Date.parse(x.at);
          return from < s.end && from + x.ms > s.start;
        })
        .map(({ ms, gcMs }) => ({ ms, gcMs }));
    const out: SlowSample[] = [];
    for (const s of samples) {
      const ms = s.end - s.start;
      const med = percentile(byLabel.get(s.label)!, 50);
      if (ms < 300 || ms < 2 * med) continue;
      out.push({
        label: s.label,
        ms: Math.round(ms),
        medianMs: Math.round(med),
        at: new Date(s.start).toISOString(),
        server: s.server ?? null,
        hubStalls: within(s, hub.stalls),
        benchStalls: within(s, own.stalls),
        couchTasks: [
          ...new Set(
            this.seen
              .filter((p) => p.at >= s.start - POLL_MS && p.at <= s.end + POLL_MS)
              .flatMap((p) => p.tasks),
          ),
        ],
      });
    }
    return out;
  }
}

export function slowSampleLine(s: SlowSample): string {
  const stalls = (xs: SlowSample['hubStalls']) =>
    xs.length === 0 ? 'none' : xs.map((x) => `${x.ms} ms (GC ${x.gcMs} ms)`).join(', ');
  const server = s.server
    ? Object.entries(s.server)
        .map(([k, v]) => `${k} ${Math.round(v)} ms`)
        .join(', ')
    : 'not given';
  return `  slow sample: ${s.label} at ${s.at}: ${s.ms} ms (median ${s.medianMs} ms); hub's Server-Timing: ${server}; hub stalls: ${stalls(s.hubStalls)}; bench stalls: ${stalls(s.benchStalls)}; CouchDB tasks: ${s.couchTasks.length ? s.couchTasks.join('; ') : 'none'}`;
}
