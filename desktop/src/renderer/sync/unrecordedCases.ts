import { getAssumedMasterState, now } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';
import type { AppDatabase } from '../db/database';

/** How many cases are looked at per step (one query, one read of RxDB's records). */
const PAGE = 500;
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
  let after = '';
  let sent = 0;
  for (;;) {
    if (isStopped()) return sent;
    const page = await db.cases
      .find({ selector: { id: { $gt: after } }, sort: [{ id: 'asc' }], limit: PAGE })
      .exec();
    if (page.length === 0) return sent;
    after = page[page.length - 1]!.id;
    const ids = page.map((d) => d.id);
    const recorded = await getAssumedMasterState(internal as never, ids);
    const missing = ids.filter((id) => !recorded[id]);
    if (missing.length > 0 && !isStopped()) {
      const storage = db.cases.storageInstance;
      const current = await storage.findDocumentsById(missing, false);
      const rows = current.map((previous) => ({
        previous,
        document: { ...previous, _meta: { ...previous._meta, lwt: now() } },
      }));
      // A case written meanwhile (409) is pushed by that write anyway.
      const res = await storage.bulkWrite(rows, REFRESH_CONTEXT);
      sent += rows.length - res.error.length;
    }
    if (page.length < PAGE) return sent;
  }
}
