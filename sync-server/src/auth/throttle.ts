/**
 * Login throttling. Two layers: a per-address window in memory (slows password spraying from
 * one PC without touching the store) and a per-account lockout persisted on the user document
 * (survives restarts and applies across hub processes).
 */
export const MAX_FAILURES_BEFORE_LOCK = 5;
export const LOCK_MS = 15 * 60 * 1000;
const WINDOW_MS = 10 * 60 * 1000;
const MAX_FAILURES_PER_ADDRESS = 30;

export class AddressThrottle {
  private readonly failures = new Map<string, number[]>();

  blocked(address: string, nowMs: number): boolean {
    const list = this.prune(address, nowMs);
    return list.length >= MAX_FAILURES_PER_ADDRESS;
  }

  recordFailure(address: string, nowMs: number): void {
    const list = this.prune(address, nowMs);
    list.push(nowMs);
    this.failures.set(address, list);
  }

  private prune(address: string, nowMs: number): number[] {
    const list = (this.failures.get(address) ?? []).filter((t) => nowMs - t < WINDOW_MS);
    if (list.length === 0) this.failures.delete(address);
    else this.failures.set(address, list);
    return list;
  }
}
