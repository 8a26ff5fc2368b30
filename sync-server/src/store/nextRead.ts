/**
 * A store read shared by every caller that asks while the previous one is in flight, and
 * started only after all of them have asked.
 *
 * Read-your-writes needs a read that starts after the request arrived (one already under way
 * may predate the device's own write), which ruled out sharing an in-flight read. But under a
 * storm hundreds of pulls a second each read the same stretch of the feed: on CouchDB those
 * reads were the largest share of the store's time (bench/findings.md, "Two hubs"). The callers
 * that arrive during one read all wait for the next, which starts when that one ends: every one
 * of them gets a read that began after it asked, and at most one read runs (and one waits) at
 * any time, however many pulls arrive.
 */
export class NextRead<T> {
  private running: Promise<unknown> | null = null;
  private queued: Promise<T> | null = null;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (!this.running) return this.start();
    if (!this.queued) {
      const after = this.running;
      this.queued = after.then(
        () => this.startQueued(),
        () => this.startQueued(),
      );
    }
    return this.queued;
  }

  private startQueued(): Promise<T> {
    this.queued = null;
    return this.start();
  }

  private start(): Promise<T> {
    const p = this.read();
    this.running = p;
    const clear = () => {
      if (this.running === p) this.running = null;
    };
    p.then(clear, clear);
    return p;
  }
}
