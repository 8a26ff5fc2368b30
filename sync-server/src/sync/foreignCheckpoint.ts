/**
 * Places a CouchDB checkpoint this hub's scope index never issued in that index, so the pull
 * takes the index path instead of scanning the store's feed with every document.
 *
 * Whose checkpoints: another hub's, when two hub processes share one CouchDB behind one
 * address (round-robin: a device's next pull lands on the other hub), and this hub's own from
 * before a restart or from beyond the index's memory of sequences. CouchDB's sequences are
 * opaque and each hub numbers the feed as its own reads meet it, so a sequence one hub handed
 * out names no position in the other's index. Scanning from it read every document after it:
 * with two hubs almost every pull was a scan (the two-hub storm of bench/findings.md, 8× the
 * store's reads of one hub).
 *
 * The device has examined everything the checkpoint covers. One read of the feed after it,
 * without documents, names every change it has not examined (`after`); every other change
 * the index will ever hold at a position after `headBefore` (taken before that read) is newer
 * than the read. So resuming below both — below the index head as it was, and below the
 * latest entry of every case in `after` — skips nothing; what it sends again (changes the
 * device already has that this index read late) is harmless, as pulls are idempotent.
 * The read goes on page by page while pages come back full; a device still further behind
 * than `PLACE_PAGES` pages cannot be placed: it scans. (One page of ids costs the store about
 * a tenth of what the scan's documents for the same rows cost, and the hub nothing to decode.)
 *
 * Where the database keeps more than one copy of each shard (a cluster, `n` > 1) "newer than
 * the read" needs a margin: the read may come from a copy that has not yet received a write
 * another copy acknowledged (and this hub's follower read there). So the walk starts below the
 * head as it was `PLACE_MARGIN_MS` earlier: a copy that lags less than that loses the device
 * nothing; the price is sending again the device's changes of those few seconds. An index
 * warmed up less than that long ago read most of the county within the margin: such a
 * checkpoint scans, as before (a hub just restarted; the scan hands back a checkpoint of the
 * index).
 */
import { changesAfter } from '../store/changesAfter.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import type { CaseScopeIndex } from './caseIndex.js';

/** Rows per page of the placing read. */
export const PLACE_ROWS = 5000;
/** Pages at most: beyond this the device is far behind and the scan is no worse. */
export const PLACE_PAGES = 8;
/** How far a shard copy may lag behind its siblings (internal replication) without loss. */
export const PLACE_MARGIN_MS = 5000;

const copies = new WeakMap<Store, Promise<boolean>>();

/** True when the `cases` database keeps more than one copy of each shard (CouchDB's `n`). */
function shardCopies(store: Store): Promise<boolean> {
  let known = copies.get(store);
  if (!known) {
    known = withStoreRetry(() => store.db('cases').info()).then(
      (info) => ((info as { cluster?: { n?: number } }).cluster?.n ?? 1) > 1,
    );
    // A failed read is asked again next time, not remembered.
    known.catch(() => copies.delete(store));
    copies.set(store, known);
  }
  return known;
}

export interface Placement {
  /** Index position to walk from. */
  pos: number;
  /** The changes after the checkpoint when the pull arrived (read-your-writes waits for them). */
  after: Array<{ id: string; rev: string }>;
}

export async function placeForeignCheckpoint(
  store: Store,
  index: CaseScopeIndex,
  seq: string,
): Promise<Placement | null> {
  if (store.kind !== 'couchdb' || !index.ready || seq === '0') return null;
  let headBefore = index.headPos;
  if (await shardCopies(store)) {
    const since = Date.now() - PLACE_MARGIN_MS;
    const warmAt = index.warmSince;
    if (warmAt === null || warmAt >= since) return null;
    headBefore = Math.min(headBefore, index.headPosAt(since));
  }
  let pos = headBefore;
  const after: Placement['after'] = [];
  let since = seq;
  for (let page = 0; ; page += 1) {
    if (page >= PLACE_PAGES) return null;
    let read;
    try {
      read = await changesAfter(store, 'cases', since, PLACE_ROWS);
    } catch (err) {
      // A sequence the store cannot decode: the scan path restarts the device from the start.
      if (page === 0 && statusOf(err) === 400) return null;
      throw err;
    }
    for (const row of read.rows) {
      const latest = index.latestPos(row.id);
      if (latest !== undefined) pos = Math.min(pos, latest - 1);
      if (row.rev) after.push({ id: row.id, rev: row.rev });
    }
    if (!read.full) break;
    since = read.lastSeq;
  }
  return { pos: Math.max(0, pos), after };
}
