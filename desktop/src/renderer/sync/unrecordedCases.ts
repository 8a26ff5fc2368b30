import { getAssumedMasterState, getChangedDocumentsSince, now, type RxStorageInstance } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import type { AppDatabase } from '../db/database';

/**
 * How many cases are looked at per step (one query, one read of RxDB's records). Small: the
 * walk runs in the background after every start, and each page holds IndexedDB (and decrypts
 * its cases) while the replication's own queries wait behind it — ~0.6 s at 500.
 */
const PAGE = 100;
/** The write context of the touch (the upstream pushes every write not from the downstream). */
export const REFRESH_CONTEXT = 'sibantong-refresh-unrecorded';

/**
 * Cases this device holds without RxDB's record of the hub's copy (its "assumed master
 * state") are sent to the hub once, which answers with its current copy: that copy becomes
 * the device's and the record. Returns how many cases were sent.
 *
 * Why: RxDB's downstream skips every hub version of a document that has no such record (it
 * takes it for an unpushed local edit), and its upstream only sends local writes made after
 * its checkpoint, so such a case stays as it is for good — no later change, number, result
 * or removal reaches it. Two ways a device gets there:
 * - it downloaded its cases with the pull-only catch-up of earlier versions (issue 19, fault 1:
 *   the pull-only replication recorded no hub copy), and is upgraded;
 * - the app was closed (or stopped) while the downstream stored a page: RxDB writes the cases
 *   first and its records after, and closes its record store on cancel without waiting for
 *   that second write (found by the convergence test: a town PC kept six cases without their
 *   official numbers). A case first stored that way has nothing to tell RxDB it came from the
 *   hub: RxDB's storage layer replaces a new document's `_meta` (where the downstream notes it).
 *
 * The send is a write to the local store that changes nothing but RxDB's write time: the
 * upstream then pushes the case without a record, and the push handler asks the hub for its
 * copy (pushHandler.ts: a row without news and without record is a refresh).
 */
export async function refreshUnrecordedCases(
  db: AppDatabase,
  state: Pick<RxReplicationState<unknown, never>, 'internalReplicationState'>,
  isStopped: () => boolean = () => false,
): Promise<number> {
  const internal = state.internalReplicationState;
  if (!internal) return 0;
  const storage = db.cases.storageInstance;
  const stored = innermost(storage);
  // Walked in RxDB's own change order ([_meta.lwt, id], an index of every RxDB storage), up to
  // the cases as they were when the walk began: a case touched here, or written meanwhile,
  // comes after that point and is pushed by that write. (A query sorted by id was served by
  // another index and sorted in memory: 1.9 s a page at 20,000 cases, every start.)
  const until = now();
  let checkpoint: { id: string; lwt: number } | undefined;
  let sent = 0;
  for (;;) {
    if (isStopped()) return sent;
    const changed = await getChangedDocumentsSince(stored, PAGE, checkpoint);
    checkpoint = changed.checkpoint as { id: string; lwt: number };
    const page = changed.documents.filter((d) => !d._deleted && d._meta.lwt <= until);
    const ids = page.map((d) => d.id);
    const recorded = await getAssumedMasterState(internal as never, ids);
    const missing = ids.filter((id) => !recorded[id]);
    if (missing.length > 0 && !isStopped()) {
      const current = await storage.findDocumentsById(missing, false);
      const rows = current.map((previous) => ({
        previous,
        document: { ...previous, _meta: { ...previous._meta, lwt: now() } },
      }));
      // A case written meanwhile (409) is pushed by that write anyway.
      const res = await storage.bulkWrite(rows, REFRESH_CONTEXT);
      sent += rows.length - res.error.length;
    }
    const last = changed.documents[changed.documents.length - 1];
    if (changed.documents.length < PAGE || !last || last._meta.lwt > until) return sent;
  }
}

/**
 * The storage under RxDB's and the field encryption's wrappers (`wrapRxStorageInstance` keeps
 * it as `originalStorageInstance`): the walk reads ids, write times and deletion flags only,
 * so its pages need not be decrypted (2.3 ms a case, all cases after every start).
 */
function innermost<T>(
  instance: RxStorageInstance<T, unknown, unknown>,
): RxStorageInstance<T, unknown, unknown> {
  let current = instance;
  for (;;) {
    const inner = (current as { originalStorageInstance?: RxStorageInstance<T, unknown, unknown> })
      .originalStorageInstance;
    if (!inner) return current;
    current = inner;
  }
}
