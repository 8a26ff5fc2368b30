/**
 * Attempt limits that stay exact under concurrency.
 *
 * A limiter counts *attempts*, not answers: an attempt takes a slot before it is checked
 * (`reserve`), and gives the slot back only when it turns out right (`release`). Node runs
 * the reservation synchronously, so 300 concurrent guesses take at most `max` slots and the
 * rest are refused before any of them reaches the password hash. Limits kept here are per hub
 * process; the account lockout, which must hold across processes, lives on the user document
 * (accountLock.ts).
 */
export const MAX_FAILURES_BEFORE_LOCK = 5;
export const LOCK_MS = 15 * 60 * 1000;
export const WINDOW_MS = 10 * 60 * 1000;
/** Invalid device credentials (unknown device id or wrong secret) per client address. */
export const MAX_DEVICE_FAILURES_PER_ADDRESS = 30;
/** Wrong passwords from one enrolled device, whatever the accounts (password spraying). */
export const MAX_PASSWORD_FAILURES_PER_DEVICE = 30;
/** Wrong enrolment codes per client address. */
export const MAX_ENROL_FAILURES_PER_ADDRESS = 10;

export interface Reservation {
  /** The attempt was right: its slot is given back. */
  release(): void;
  /** The attempt failed: its slot stays counted until the window passes (the default). */
  keep(): void;
}

/** Bounds memory: a flood of distinct keys cannot grow the map without limit. */
const MAX_KEYS = 50_000;

export class AttemptLimiter {
  private readonly slots = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number = WINDOW_MS,
  ) {}

  /** True when the key has no free slot (without taking one). */
  full(key: string, nowMs: number): boolean {
    return this.live(key, nowMs).length >= this.max;
  }

  /** Takes a slot for one attempt, or null when the key is at its limit. */
  reserve(key: string, nowMs: number): Reservation | null {
    const list = this.live(key, nowMs);
    if (list.length >= this.max) return null;
    if (!this.slots.has(key) && this.slots.size >= MAX_KEYS) this.evictOldest();
    list.push(nowMs);
    this.slots.set(key, list);
    let settled = false;
    return {
      release: () => {
        if (settled) return;
        settled = true;
        const current = this.slots.get(key);
        if (!current) return;
        const i = current.indexOf(nowMs);
        if (i >= 0) current.splice(i, 1);
        if (current.length === 0) this.slots.delete(key);
      },
      keep: () => {
        settled = true;
      },
    };
  }

  private live(key: string, nowMs: number): number[] {
    const list = (this.slots.get(key) ?? []).filter((t) => nowMs - t < this.windowMs);
    if (list.length === 0) this.slots.delete(key);
    else this.slots.set(key, list);
    return list;
  }

  private evictOldest(): void {
    const first = this.slots.keys().next();
    if (!first.done) this.slots.delete(first.value);
  }
}

/**
 * Runs tasks one at a time per key (per account): the second login for an account waits for
 * the first to settle, so this process never has two verifications of one account in flight
 * and never races itself on the account's lockout counter.
 */
export class KeyedSerialiser {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
