import { describe, expect, it } from 'vitest';
import type { DocumentScope } from 'nano';
import { guardDb } from '../src/store/guardedStore.js';
import { isStoreDown, withStoreRetry } from '../src/store/store.js';

/** A database whose feed answers as a restarting embedded store did: an error body, no rows. */
function flakyFeed(badAnswers: number) {
  let calls = 0;
  const db = {
    changes: async () => {
      calls += 1;
      return calls <= badAnswers
        ? { error: 'not_found', reason: 'missing' }
        : { results: [{ id: 'a', seq: '1' }], last_seq: '1' };
    },
  };
  return { db: db as unknown as DocumentScope<object>, calls: () => calls };
}

describe('a feed read answered without rows', () => {
  it('is reported as the store being down, not as an empty or broken list', async () => {
    const { db } = flakyFeed(1);
    const err = await guardDb(db, null)
      .changes({ since: '0' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).not.toBeNull();
    expect(isStoreDown(err)).toBe(true);
  });

  it('is read again by the store retry, which then gets the rows', async () => {
    const feed = flakyFeed(2);
    const guarded = guardDb(feed.db, null);
    const body = await withStoreRetry(() => guarded.changes({ since: '0' }));
    expect(body.results.map((r) => r.id)).toEqual(['a']);
    expect(feed.calls()).toBe(3);
  });
});
