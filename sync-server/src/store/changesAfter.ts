/**
 * What a database's feed holds after a position the caller has read up to: the one exact
 * "has anything changed since?" on both stores.
 *
 * Why not compare with the database's `update_seq`: on CouchDB it counts writes that add no
 * row to `_changes` (`_security`, `_revs_limit`; a new database's first `_security` is one),
 * and the feed's position only moves past them in a shard once a document lands there, so
 * "the feed has reached `update_seq`" can stay false for good. In a cluster its number also
 * sums shard copies other than those the feed reads. A read of the feed from the position
 * answers with the rows after it, or none.
 */
import { withStoreRetry, type DbKey, type Store } from './store.js';

export interface ChangesAfter {
  /** Ids of the documents changed after the position, in feed order (design documents left out). */
  ids: string[];
  /** The same rows with the revision each change wrote (the feed's winning revision). */
  rows: Array<{ id: string; rev: string | undefined }>;
  /** True when the read stopped at `max` rows: there may be more. */
  full: boolean;
  /** Where the read ended (the position to read on from). */
  lastSeq: string;
}

export async function changesAfter(
  store: Store,
  key: DbKey,
  since: string,
  max: number,
): Promise<ChangesAfter> {
  const body = (await withStoreRetry(() =>
    store.db(key).changes({ since, limit: max }),
  )) as unknown as {
    results: Array<{ id: string; changes?: Array<{ rev?: string }> }>;
    last_seq: unknown;
  };
  const rows = body.results
    .filter((r) => !r.id.startsWith('_design/'))
    .map((r) => ({ id: r.id, rev: r.changes?.[0]?.rev }));
  return {
    ids: rows.map((r) => r.id),
    rows,
    full: body.results.length >= max,
    lastSeq: String(body.last_seq),
  };
}
