/**
 * The machine a run was measured on, recorded by the harness itself (never typed in by hand):
 * CPU model, cores, memory, OS, and the load average at the start, sampled during the run
 * and at its end. A report whose load at start exceeds half the cores says so at its top.
 */
import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';

export interface LoadSample {
  /** Seconds since the run started. */
  t: number;
  load: [number, number, number];
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGB: number;
  freeMemoryGBAtStart: number;
  os: string;
  kernel: string;
  node: string;
  chromium: string;
  loadAtStart: [number, number, number];
  loadAtEnd: [number, number, number] | null;
  /** 1-minute load average sampled every `loadEverySec` s during the run. */
  loadDuring: LoadSample[];
  loadEverySec: number;
  /** Set when the 1-minute load at start exceeded half the cores: the figures are not an idle machine's. */
  busyAtStart: boolean;
  /** Free text from BENCH_NOTE (context only: the load figures above are measured). */
  note: string;
}

const r2 = (v: number) => Math.round(v * 100) / 100;
const load3 = (): [number, number, number] => {
  const [a, b, c] = loadavg();
  return [r2(a ?? 0), r2(b ?? 0), r2(c ?? 0)];
};

export function describeMachine(chromium: string, note: string): Machine {
  let os = 'unknown';
  try {
    os = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os;
  } catch {
    // not Linux
  }
  const cores = cpus().length;
  const loadAtStart = load3();
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores,
    memoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    freeMemoryGBAtStart: Math.round((freemem() / 1024 ** 3) * 10) / 10,
    os,
    kernel: release(),
    node: process.version,
    chromium,
    loadAtStart,
    loadAtEnd: null,
    loadDuring: [],
    loadEverySec: 10,
    busyAtStart: loadAtStart[0] > 0.5 * cores,
    note,
  };
}

/** Samples the load average into `machine.loadDuring` until stopped (then records the end). */
export function sampleLoad(machine: Machine, t0: number): () => void {
  const tick = () =>
    machine.loadDuring.push({ t: Math.round((performance.now() - t0) / 1000), load: load3() });
  tick();
  const timer = setInterval(tick, machine.loadEverySec * 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    machine.loadAtEnd = load3();
  };
}

/** Summary line of the load during a run: mean and max of the 1-minute figure. */
export function loadDuringSummary(m: Machine): { mean: number; max: number } | null {
  if (m.loadDuring.length === 0) return null;
  const ones = m.loadDuring.map((s) => s.load[0]);
  return { mean: r2(ones.reduce((a, b) => a + b, 0) / ones.length), max: r2(Math.max(...ones)) };
}
