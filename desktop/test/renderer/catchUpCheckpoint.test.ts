import { describe, expect, it } from 'vitest';
import { now } from 'rxdb';
import { maxCheckpoint, pastTies } from '../../src/renderer/sync/replication';

describe('catch-up checkpoints', () => {
  it('takes the greatest checkpoint, not the last to arrive, and starts past its ties', async () => {
    const a = { id: 'c1', lwt: 100.01 };
    const b = { id: 'c9', lwt: 100.01 };
    const c = { id: 'c5', lwt: 99.5 };
    expect(maxCheckpoint([a, b, c])).toEqual(b);
    expect(maxCheckpoint([])).toBeUndefined();
    // Every write after the catch-up (RxDB's clock) lands after the checkpoint; the tied
    // bulk lands before it.
    const t = now();
    const past = pastTies({ id: 'zzz', lwt: t })!;
    expect(past.lwt).toBeGreaterThan(t);
    expect(now()).toBeGreaterThan(past.lwt);
  });
});
