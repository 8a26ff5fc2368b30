/** The shared "next read": every caller gets a read that started after it asked, and few run. */
import { describe, expect, it } from 'vitest';
import { NextRead } from '../src/store/nextRead.js';

describe('NextRead', () => {
  it('gives hundreds of concurrent callers reads that began after they asked, one read at a time', async () => {
    let version = 0; // a write bumps it; a read answers the version it saw when it began
    let started = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const shared = new NextRead(async () => {
      started += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const seen = version;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 5));
      inFlight -= 1;
      return seen;
    });
    const checks = await Promise.all(
      Array.from({ length: 400 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, Math.random() * 60));
        if (i % 3 === 0) version += 1; // this caller's own write, before it asks
        const mine = version;
        return (await shared.get()) >= mine;
      }),
    );
    expect(checks.every(Boolean)).toBe(true);
    expect(maxInFlight).toBe(1);
    expect(started).toBeLessThan(40);
    expect(started).toBeGreaterThan(1);
  });

  it('starts the next read after a failed one, and hands the failure only to its own callers', async () => {
    let n = 0;
    const shared = new NextRead(async () => {
      n += 1;
      await new Promise((r) => setTimeout(r, 5));
      if (n === 1) throw new Error('store down');
      return n;
    });
    const first = shared.get();
    const second = shared.get();
    await expect(first).rejects.toThrow('store down');
    await expect(second).resolves.toBe(2);
    await expect(shared.get()).resolves.toBe(3);
  });
});
