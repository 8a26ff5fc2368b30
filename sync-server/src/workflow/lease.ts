/**
 * One active workflow processor (and one keeper of the cockpit's aggregates) per store: a
 * lease document renewed every few seconds.
 * CouchDB's revision check makes taking the lease atomic; a crashed holder's lease expires
 * and another hub process takes over.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { statusOf, type Store } from '../store/store.js';
import { LEASE_ID, type LeaseDoc } from './workflowDocs.js';

export const LEASE_MS = 15_000;

/**
 * A holder on this very machine whose process is gone (killed, crashed) cannot renew: take
 * over at once instead of waiting for expiry, so a restarted hub resumes work immediately.
 */
function holderIsDeadHere(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== hostname() || !pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export class Lease {
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  constructor(
    private readonly store: Store,
    /** The lease document: the workflow's by default; another job keeps its own. */
    private readonly id: string = LEASE_ID,
  ) {}

  /** True when this process holds the lease after the call. */
  async acquireOrRenew(): Promise<boolean> {
    const db = this.store.db<LeaseDoc>('hub');
    let current: LeaseDoc | null = null;
    try {
      current = await db.get(this.id);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    // Real time, not the drill offset: a lease must not expire because a test moved the clock.
    const now = Date.now();
    if (
      current &&
      current.holder !== this.holder &&
      Date.parse(current.expiresAt) > now &&
      !holderIsDeadHere(current.holder)
    ) {
      return false;
    }
    const next: LeaseDoc = {
      _id: this.id,
      ...(current?._rev ? { _rev: current._rev } : {}),
      type: 'lease',
      holder: this.holder,
      expiresAt: new Date(now + LEASE_MS).toISOString(),
    };
    try {
      await db.insert(next);
      return true;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
      // Another write came first. If it was this holder's own (two renewals in flight: a busy
      // event loop delayed one past the next timer tick), the lease is still this process's —
      // answering false made a 1,000,000-case rebuild of the cockpit's aggregates start over.
      try {
        const after = await db.get(this.id);
        return after.holder === this.holder && Date.parse(after.expiresAt) > Date.now();
      } catch {
        return false;
      }
    }
  }

  async release(): Promise<void> {
    const db = this.store.db<LeaseDoc>('hub');
    try {
      const current = await db.get(this.id);
      if (current.holder === this.holder) {
        await db.insert({ ...current, expiresAt: new Date(0).toISOString() });
      }
    } catch {
      // expiry does the same job a few seconds later
    }
  }
}
