/**
 * A small counting semaphore: at most `width` holders at once, the rest wait in order. The
 * hub puts store-heavy pull work behind narrow ones, so that pushes always get the store, and
 * pushes behind a wider one, so that a storm of them leaves room for the change follower.
 */
export class Gate {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(readonly width: number) {}

  get waiting(): number {
    return this.queue.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.width) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      // The slot passes straight to the next waiter (active stays the same).
      if (next) next();
      else this.active -= 1;
    }
  }
}
