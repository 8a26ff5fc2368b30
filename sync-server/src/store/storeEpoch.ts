/**
 * The identity of this store's change feeds, handed out with every pull checkpoint.
 *
 * A checkpoint is a position in one store's feed. After a restore (every database dropped and
 * refilled) the embedded store numbers its feed from 1 again, so a PC's old position can be a
 * valid number that now points past documents it never received: it would skip them for good.
 * A move to another store has the same shape. The epoch lives in a `_local` document, which
 * neither replication, backup nor migration copies, so a restored or moved store starts a new
 * epoch by itself, and a checkpoint of another epoch restarts the pull from the beginning
 * (the PC receives every document again; RxDB keeps its unsent work and uploads it).
 */
import { randomBytes } from 'node:crypto';
import { dbName, statusOf, type Store } from './store.js';

const EPOCH_DOC = '_local/store-epoch';
export const EPOCH_PATTERN = /^[0-9a-f]{16}$/;

/** Reads the store's epoch, creating it on a store that has none (a new or restored one). */
export async function storeEpoch(store: Store): Promise<string> {
  const db = dbName(store.prefix, 'hub');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const doc = (await store.server().request({ db, path: EPOCH_DOC })) as { epoch?: unknown };
      if (typeof doc.epoch === 'string' && EPOCH_PATTERN.test(doc.epoch)) return doc.epoch;
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    const epoch = randomBytes(8).toString('hex');
    try {
      await store.server().request({ db, path: EPOCH_DOC, method: 'PUT', body: { epoch } });
      return epoch;
    } catch (err) {
      // Another hub process on the same CouchDB wrote it first: read theirs.
      if (statusOf(err) !== 409) throw err;
    }
  }
  throw new Error('store epoch: could not read or create _local/store-epoch');
}
