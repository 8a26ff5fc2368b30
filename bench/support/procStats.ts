/**
 * CPU and memory of processes from /proc (Linux): the hub, its store child, Chromium's tree.
 * A sampler runs on a timer and keeps peaks; nothing here needs privileges.
 */
import { readFileSync, readdirSync } from 'node:fs';

const CLK_TCK = 100;
const PAGE = 4096;

interface ProcSample {
  cpuTicks: number;
  rssBytes: number;
}

/**
 * Proportional set size (shared pages split between the processes sharing them), so that a
 * process tree's sum is not inflated by shared libraries; falls back to RSS.
 */
function pssBytes(pid: number): number | null {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function readProc(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3); utime is field 14, stime 15, rss 24 (1-based).
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(fields[21]);
    return { cpuTicks: utime + stime, rssBytes: pssBytes(pid) ?? rssPages * PAGE };
  } catch {
    return null;
  }
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

export function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** pid and all its descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const ppid = parentOf(pid);
    if (ppid > 0) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Chromium processes started by this Node process (Playwright spawns them directly). */
export function chromiumPids(): number[] {
  const all = processTree(process.pid).filter((p) => p !== process.pid);
  return all.filter((p) => /chrom/i.test(commOf(p)));
}

export interface ResourceReport {
  /** CPU time used during the window, as a share of one core (100 % = one core busy). */
  cpuPercentOfOneCore: number;
  cpuSeconds: number;
  /** Peak of the summed proportional set size (PSS) of the processes, MB. */
  peakRssMB: number;
  endRssMB: number;
  wallSeconds: number;
}

/** Samples a group of pids (re-resolved on every tick) every `everyMs`. */
export class Sampler {
  private timer: NodeJS.Timeout | null = null;
  private startTicks = new Map<number, number>();
  private lastTicks = new Map<number, number>();
  private peak = 0;
  private last = 0;
  private t0 = 0;
  constructor(
    private readonly pids: () => number[],
    private readonly everyMs = 250,
  ) {}

  start(): this {
    this.t0 = performance.now();
    this.tick(true);
    this.timer = setInterval(() => this.tick(false), this.everyMs);
    this.timer.unref();
    return this;
  }

  private tick(first: boolean): void {
    let rss = 0;
    for (const pid of this.pids()) {
      const s = readProc(pid);
      if (!s) continue;
      rss += s.rssBytes;
      if (first || !this.startTicks.has(pid)) this.startTicks.set(pid, first ? s.cpuTicks : 0);
      this.lastTicks.set(pid, s.cpuTicks);
    }
    this.last = rss;
    this.peak = Math.max(this.peak, rss);
  }

  stop(): ResourceReport {
    this.tick(false);
    if (this.timer) clearInterval(this.timer);
    const wall = (performance.now() - this.t0) / 1000;
    let ticks = 0;
    for (const [pid, end] of this.lastTicks) ticks += end - (this.startTicks.get(pid) ?? 0);
    const cpuSeconds = ticks / CLK_TCK;
    return {
      cpuPercentOfOneCore: Math.round((cpuSeconds / Math.max(wall, 0.001)) * 100),
      cpuSeconds: Math.round(cpuSeconds * 10) / 10,
      peakRssMB: Math.round(this.peak / 1048576),
      endRssMB: Math.round(this.last / 1048576),
      wallSeconds: Math.round(wall * 10) / 10,
    };
  }
}
