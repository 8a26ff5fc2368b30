import {
  createRevision,
  getAssumedMasterState,
  getChangedDocumentsSince,
  getComposedPrimaryKeyOfDocumentData,
  now,
  type RxDocumentData,
  type RxStorageInstance,
  type RxStorageInstanceReplicationState,
  type RxStorageReplicationMeta,
} from 'rxdb';
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
 * The walk's own checkpoint is kept in the replication's meta store, beside RxDB's records of
 * the hub's copies (as a checkpoint row, like RxDB's own 'up' and 'down'): it is gone whenever
 * those records are (another replication identity starts with neither), so a walk never skips
 * cases on the word of a checkpoint that outlived their records.
 */
export const WALK_ITEM_ID = 'WALK';
/** Even with a checkpoint, one start a week walks every case: a safety net that costs ~1 s. */
export const FULL_WALK_EVERY_MS = 7 * 24 * 3600_000;

/** How far the walk has got, in RxDB's change order (`_meta.lwt` in ms, then id). */
export interface WalkCheckpoint {
  /** Every case written before this time, or at it with an id up to `id`, was looked at. */
  until: number;
  /** '' once every case written at `until` was looked at too. */
  id: string;
  /** When the last walk from the first case began (it may have gone on over several starts). */
  fullAt: number;
}

type ReplicationOf = Pick<RxReplicationState<unknown, never>, 'internalReplicationState'>;
const internalOf = (state: ReplicationOf) =>
  state.internalReplicationState as RxStorageInstanceReplicationState<unknown> | undefined;

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
  state: ReplicationOf,
  isStopped: () => boolean = () => false,
): Promise<number> {
  const internal = internalOf(state);
  if (!internal) return 0;
  const storage = db.cases.storageInstance;
  const stored = innermost(storage);
  // Walked in RxDB's own change order ([_meta.lwt, id], an index of every RxDB storage), up to
  // the cases as they were when the walk began: a case touched here, or written meanwhile,
  // comes after that point and is pushed by that write. (A query sorted by id was served by
  // another index and sorted in memory: 1.9 s a page at 20,000 cases, every start.)
  const until = now();
  // Only a case written after the walk's checkpoint can lack its record: the two faults above
  // write the case (and so its write time) before the record that goes missing. The checkpoint
  // moves after every page, so a walk cut short by a stop goes on from there at the next start.
  // RxDB's write times only grow within a session, but a PC's clock can be set back between
  // sessions: a checkpoint ahead of the clock is dropped at once, so every start walks from the
  // first case until a walk gets through on the clock as it is now.
  const last = await readWalkCheckpoint(internal);
  const clockWentBack = last !== null && last.walk.until > until;
  const resumeAt =
    last === null || clockWentBack || until - last.walk.fullAt > FULL_WALK_EVERY_MS
      ? null
      : last.walk;
  const fullAt = resumeAt?.fullAt ?? until;
  let previous = last?.doc;
  if (clockWentBack) {
    previous = await writeWalkCheckpoint(internal, db.token, previous, {
      until: 0,
      id: '',
      fullAt: 0,
    });
  }
  let checkpoint: { id: string; lwt: number } | undefined = resumeAt
    ? { id: resumeAt.id, lwt: resumeAt.until }
    : undefined;
  let sent = 0;
  for (;;) {
    if (isStopped()) return sent;
    const changed = await getChangedDocumentsSince(stored, PAGE, checkpoint);
    const page = changed.documents.filter((d) => !d._deleted && d._meta.lwt <= until);
    const ids = page.map((d) => d.id);
    const recorded = ids.length > 0 ? await getAssumedMasterState(internal as never, ids) : {};
    const missing = ids.filter((id) => !recorded[id]);
    if (isStopped()) return sent;
    if (missing.length > 0) {
      const current = await storage.findDocumentsById(missing, false);
      const rows = current.map((previous) => ({
        previous,
        document: { ...previous, _meta: { ...previous._meta, lwt: now() } },
      }));
      // A case written meanwhile (409) is pushed by that write anyway.
      const res = await storage.bulkWrite(rows, REFRESH_CONTEXT);
      sent += rows.length - res.error.length;
    }
    const lastDoc = changed.documents[changed.documents.length - 1];
    const done = changed.documents.length < PAGE || !lastDoc || lastDoc._meta.lwt > until;
    // Every case up to this page's last one has been looked at (and the missing ones sent).
    checkpoint = done ? { id: '', lwt: until } : { id: lastDoc.id, lwt: lastDoc._meta.lwt };
    previous = await writeWalkCheckpoint(internal, db.token, previous, {
      until: checkpoint.lwt,
      id: checkpoint.id,
      fullAt,
    });
    if (done) return sent;
  }
}

/**
 * After a fresh device's first round: every case it holds was stored by that round together
 * with RxDB's record (the downstream writes a page's records before the round counts as done),
 * so the walk starts after them instead of walking all of them at the next start. Marked once
 * RxDB's stream queues have nothing in flight, so that no case stored before the mark can still
 * be waiting for its record.
 */
export async function markDownloadWalked(state: ReplicationOf, token: string): Promise<void> {
  const internal = internalOf(state);
  if (!internal) return;
  const last = await readWalkCheckpoint(internal);
  if (last) return;
  for (;;) {
    const { up, down } = internal.streamQueue;
    await Promise.all([up, down]);
    if (up === internal.streamQueue.up && down === internal.streamQueue.down) break;
  }
  const at = now();
  await writeWalkCheckpoint(internal, token, undefined, { until: at, id: '', fullAt: at });
}

type MetaDoc = RxDocumentData<RxStorageReplicationMeta<unknown, unknown>>;

function walkDocId(internal: RxStorageInstanceReplicationState<unknown>): string {
  return getComposedPrimaryKeyOfDocumentData(internal.input.metaInstance.schema, {
    itemId: WALK_ITEM_ID,
    isCheckpoint: '1',
  });
}

function isWalkCheckpoint(value: unknown): value is WalkCheckpoint {
  const v = value as Partial<WalkCheckpoint> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Number.isFinite(v.until) &&
    typeof v.id === 'string' &&
    Number.isFinite(v.fullAt)
  );
}

/** The walk's checkpoint, or null (none yet, or not one this code wrote). */
export async function readWalkCheckpoint(
  internal: RxStorageInstanceReplicationState<unknown>,
): Promise<{ doc: MetaDoc; walk: WalkCheckpoint } | null> {
  const [doc] = await internal.input.metaInstance.findDocumentsById([walkDocId(internal)], false);
  if (!doc || !isWalkCheckpoint(doc.checkpointData)) return null;
  return { doc, walk: doc.checkpointData };
}

/**
 * Writes the walk's checkpoint; returns the row as stored. A write that loses a race keeps the
 * other's row: at worst the next start walks more than it had to.
 */
export async function writeWalkCheckpoint(
  internal: RxStorageInstanceReplicationState<unknown>,
  token: string,
  previous: MetaDoc | undefined,
  walk: WalkCheckpoint,
): Promise<MetaDoc | undefined> {
  const document: MetaDoc = {
    id: walkDocId(internal),
    isCheckpoint: '1',
    itemId: WALK_ITEM_ID,
    checkpointData: walk,
    _deleted: false,
    _attachments: {},
    _meta: { lwt: now() },
    _rev: createRevision(token, previous),
  };
  const res = await internal.input.metaInstance.bulkWrite(
    [{ previous, document }],
    'sibantong-walk-checkpoint',
  );
  const error = res.error[0];
  if (!error) return document;
  return error.status === 409 ? error.documentInDb : undefined;
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
