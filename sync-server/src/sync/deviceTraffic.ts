/**
 * Devices' pushes in flight on this hub. A device waits on them (a village helper has just
 * pressed 提交; a reconnecting PC's outbox waits behind them); the workflow processor's work
 * (official numbers, deadlines, tickets) is not waited on by anyone at that moment. While
 * devices are pushing, the processor gives the store to them and catches up after the burst;
 * its backlog stays visible in `/api/health`.
 *
 * Pulls do not hold background work. Most pulls after a burst are devices fetching what the
 * processor has just written (every batch of numbered cases is pulled again by each device
 * of their villages), so deferring to pulls kept the processor in small bites long after the
 * pushes had ended: a storm of 40,000 new cases still had 26,097 without an official number
 * six minutes after it began (bench/findings.md, "The storm's numbering").
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DeviceTraffic {
  private inFlight = 0;
  private lastEnd = 0;

  constructor(
    /** Quiet time after the last push before background work counts as unblocked. */
    private readonly quietMs = 300,
  ) {}

  /** Runs a device's push, counted as in flight. */
  async pushing<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    try {
      return await work();
    } finally {
      this.inFlight -= 1;
      this.lastEnd = Date.now();
    }
  }

  /** True while a push runs, or ended less than `quietMs` ago. */
  busy(): boolean {
    return this.inFlight > 0 || Date.now() - this.lastEnd < this.quietMs;
  }

  /**
   * Waits until no push has been running for `quietMs`, or `maxWaitMs` at most, so background
   * work is deferred in a burst but never starved by steady traffic. Returns the time waited.
   */
  async calm(maxWaitMs: number): Promise<number> {
    const t0 = Date.now();
    while (this.busy() && Date.now() - t0 < maxWaitMs) await sleep(50);
    return Date.now() - t0;
  }
}
