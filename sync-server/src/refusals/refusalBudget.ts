/**
 * How many refusal records one device may add: a token bucket per device, taken
 * synchronously (check and take in one step, no await between), so concurrent pushes of one
 * device can never add more than the bucket holds, however many arrive at once.
 *
 * A device whose rows the hub refuses in good faith adds a handful (a long offline day with a
 * few bad rows); a device adding more than BURST at once, or more than one every
 * REFILL_MS on average, is flooding: its further refusals are counted, not recorded one by
 * one, and the supervisor sees one summary record per device and window
 * (refusalLog.ts `recordSuppressed`). Per hub process (several hubs in front of one CouchDB
 * each allow their own budget).
 */

export const REFUSAL_BURST = Math.max(1, Number(process.env.HUB_REFUSAL_BURST ?? 100));
export const REFUSAL_REFILL_MS = Math.max(1, Number(process.env.HUB_REFUSAL_REFILL_MS ?? 10_000));
/** Devices remembered at most (least recently seen forgotten first; a forgotten one starts full). */
const MAX_DEVICES = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class RefusalBudget {
  private readonly buckets = new Map<string, Bucket>();
  constructor(
    private readonly burst = REFUSAL_BURST,
    private readonly refillMs = REFUSAL_REFILL_MS,
  ) {}

  /** Takes up to `wanted` tokens for `deviceId` now; returns how many were granted. */
  take(deviceId: string, wanted: number, nowMs = Date.now()): number {
    const b = this.buckets.get(deviceId) ?? { tokens: this.burst, at: nowMs };
    const refilled = Math.min(this.burst, b.tokens + (nowMs - b.at) / this.refillMs);
    const granted = Math.max(0, Math.min(wanted, Math.floor(refilled)));
    this.buckets.delete(deviceId);
    this.buckets.set(deviceId, { tokens: refilled - granted, at: nowMs });
    if (this.buckets.size > MAX_DEVICES) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    return granted;
  }
}
