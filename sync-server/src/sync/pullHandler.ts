/**
 * GET /api/sync/:collection/pull — reads the store's `_changes` from the client's checkpoint
 * and keeps what the caller may see. The checkpoint is the store's own sequence, which cannot
 * skip a document written concurrently (a timestamp can), and it advances across documents
 * the caller may not see, so it never stalls.
 */
import { SYNC_COLLECTIONS } from '@sibantong/shared';
import type { CaseDoc, PullCheckpoint, PullResponse } from '@sibantong/shared';
import type { AuthContext } from '../auth/session.js';
import type { RefSnapshot } from '../domain/refData.js';
import { canSeeRecord, scopeVerdict, type ScopedRecord } from '../domain/scope.js';
import { badRequest } from '../http/apiError.js';
import { changesAfter, type ChangesAfter } from '../store/changesAfter.js';
import { NextRead } from '../store/nextRead.js';
import { EPOCH_PATTERN } from '../store/storeEpoch.js';
import { statusOf, withStoreRetry, type DbKey, type Store } from '../store/store.js';
import { actorScopeKeys } from '@sibantong/shared/org/scopeKeys';
import { DELETION_KEY, type CaseScopeIndex } from './caseIndex.js';
import type { Gate } from './gate.js';
import { placeForeignCheckpoint, type Placement } from './foreignCheckpoint.js';
import { ownWritesNotIndexed, writtenDocument } from './writtenCases.js';

/**
 * Pulled collections: the shared SYNC_COLLECTIONS plus `supervision` (预警/督办 records, whose
 * schema shared already defines), offered additively until the shared list names it.
 */
export const HUB_COLLECTIONS = [...SYNC_COLLECTIONS, 'supervision'] as const;
export type HubCollection = (typeof HUB_COLLECTIONS)[number];

export function isHubCollection(value: string): value is HubCollection {
  return (HUB_COLLECTIONS as readonly string[]).includes(value);
}

const DB_OF: Readonly<Record<HubCollection, DbKey>> = {
  supervision: 'supervision',
  cases: 'cases',
  matters: 'matters',
  orgUnits: 'orgUnits',
  calendars: 'calendars',
  tickets: 'tickets',
};

export const MAX_PULL_LIMIT = 1000;
const INNER_BATCH = 200;
/** Bounded work per request: a user with a small scope in a huge county still gets an answer. */
const MAX_INNER_BATCHES = 25;

interface ChangeRow {
  id: string;
  seq: unknown;
  deleted?: boolean;
  doc?: Record<string, unknown>;
}

/**
 * The checkpoint to pull from on this store: one of another store epoch (a restore, a move
 * to another store) is no position here and restarts from the beginning (store/storeEpoch.ts).
 */
export function checkpointInEpoch(
  checkpoint: PullCheckpoint | null,
  epoch: string,
  stats?: PullStats,
): PullCheckpoint | null {
  if (checkpoint?.epoch === undefined || checkpoint.epoch === epoch) return checkpoint;
  if (stats) stats.restarted = true;
  return null;
}

export function parseCheckpoint(raw: string | undefined): PullCheckpoint | null {
  if (raw === undefined || raw === '' || raw === 'null') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest('INVALID_CHECKPOINT', '同步检查点格式不正确');
  }
  if (parsed === null) return null;
  if (
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    typeof (parsed as PullCheckpoint).seq !== 'string' ||
    (parsed as PullCheckpoint).seq.length > 2000 ||
    !Object.keys(parsed).every((k) => k === 'seq' || k === 'epoch') ||
    ('epoch' in parsed && !EPOCH_PATTERN.test(String((parsed as PullCheckpoint).epoch)))
  ) {
    throw badRequest('INVALID_CHECKPOINT', '同步检查点格式不正确');
  }
  const seq = (parsed as PullCheckpoint).seq;
  // Embedded store sequences are integers, CouchDB's are `<n>-<opaque>`: refuse anything else
  // before it reaches the store.
  if (!/^(0|[1-9][0-9]{0,15})$/.test(seq) && !/^[0-9]+-[A-Za-z0-9_-]+$/.test(seq)) {
    throw badRequest('INVALID_CHECKPOINT', '同步检查点格式不正确');
  }
  const epoch = (parsed as PullCheckpoint).epoch;
  return epoch === undefined ? { seq } : { seq, epoch };
}

/** Document as the client stores it: CouchDB's `_id`/`_rev` stripped, `id` set. */
export function toClientDoc<T>(input: object): T {
  const doc = input as Record<string, unknown>;
  const { _id, _rev, _revisions, _conflicts, hubScope, ...rest } = doc;
  void _rev;
  void hubScope;
  void _revisions;
  void _conflicts;
  return { ...rest, id: typeof rest.id === 'string' ? rest.id : _id } as T;
}

function removalOf(doc: Record<string, unknown>): Record<string, unknown> {
  return {
    id: typeof doc.id === 'string' ? doc.id : doc._id,
    _deleted: true,
    updatedAt: doc.updatedAt,
  };
}

export interface PullServices {
  /** Scope index of the `cases` feed (null: always scan). */
  index: CaseScopeIndex | null;
  /** Concurrency limits on the store-heavy parts of pulls (pushes have their own, hub.ts). */
  scanGate: Gate;
  readGate: Gate;
}

/** How a pull was served (diagnostic response headers `x-pull-path`, `x-pull-docs-read`). */
export interface PullStats {
  /** `placed`: the index path from a checkpoint this index did not issue (foreignCheckpoint.ts). */
  path: 'index' | 'placed' | 'scan';
  /** Documents read from the store for this pull. */
  docsRead: number;
  /** True when the checkpoint was one the store cannot use and the pull restarted from 0. */
  restarted?: boolean;
  /** Index path: how long the pull waited for the index to be fresh, and whether it got there. */
  freshWaitMs?: number;
  fresh?: boolean;
}

/**
 * Whether the store can resume its feed from `seq`, as far as the hub can tell without
 * asking it: the embedded store's sequences are integers up to its current `update_seq`;
 * CouchDB's are `<n>-<opaque>` (a plain integer is another store's, e.g. a county moved from
 * the embedded store to CouchDB). A CouchDB sequence the cluster cannot decode is found out
 * when the feed answers 400 (scanPull).
 */
async function checkpointUsable(
  store: Store,
  seq: string,
  index: CaseScopeIndex | null,
): Promise<boolean> {
  if (seq === '0') return true;
  const numeric = /^[0-9]+$/.test(seq);
  if (store.kind === 'couchdb') return !numeric;
  if (!numeric) return false;
  // Known to the index: at most its head, which the store has reached (no request).
  if (index?.posOf(seq) !== undefined) return true;
  // A fresh read, not a request shared with pulls that started earlier (which may predate
  // the write that produced this checkpoint).
  const info = await withStoreRetry(() => store.db('cases').info());
  const head = Number(/^[0-9]+/.exec(String(info.update_seq))?.[0] ?? '0');
  return Number(seq) <= head;
}

/** The store refused the feed's `since` (a sequence it cannot decode). */
class UnusableCheckpoint extends Error {}

export async function pull(
  store: Store,
  ref: RefSnapshot,
  ctx: AuthContext,
  collection: HubCollection,
  checkpoint: PullCheckpoint | null,
  limit: number,
  services: PullServices,
  stats: PullStats = { path: 'scan', docsRead: 0 },
): Promise<PullResponse> {
  let since = checkpoint?.seq ?? '0';
  // A checkpoint the store cannot use restarts the pull from the beginning: a permanent 400
  // would leave the device unable to pull ever again. The device loses nothing: it receives
  // every document again, RxDB keeps its unpushed local edits and uploads them
  // (docs/sync-protocol.md, "Pull and the checkpoint").
  if (!(await checkpointUsable(store, since, collection === 'cases' ? services.index : null))) {
    since = '0';
    stats.restarted = true;
  }
  const index = services.index;
  if (collection === 'cases' && index) {
    const from = index.posOf(since);
    if (from !== undefined) {
      stats.path = 'index';
      return indexPull(store, ref, ctx, index, from, since, limit, services, stats, null);
    }
    const placed = await placeForeignCheckpoint(store, index, since);
    if (placed) {
      stats.path = 'placed';
      return indexPull(store, ref, ctx, index, placed.pos, since, limit, services, stats, placed);
    }
  }
  stats.path = 'scan';
  const documents: unknown[] = [];
  // A warm index's head, taken before the scan reads: every change up to it is in the store
  // already, so a scan that reaches the end of the feed has examined all of them. Handing the
  // device that head instead of the scan's own sequence moves it onto the index path (some
  // documents may come again from the index, none is skipped). On a CouchDB cluster the feed's
  // sequences name shard copies, so a checkpoint from before a hub restart is one the new
  // index has never seen; without this the device stayed on the scan path for good.
  const indexHead = collection === 'cases' && index?.ready ? index.headSeq : undefined;
  try {
    const end = { reached: false };
    const seq = await services.scanGate.run(() =>
      scanPull(store, ref, ctx, collection, since, limit, documents, stats, end),
    );
    const resume = end.reached && indexHead !== undefined ? indexHead : seq;
    return { documents, checkpoint: { seq: resume } };
  } catch (err) {
    if (!(err instanceof UnusableCheckpoint) || since === '0') throw err;
    stats.restarted = true;
    return pull(store, ref, ctx, collection, null, limit, services, stats);
  }
}

/** Keeps what the caller may see of one changed document (the authoritative rule). */
function keep(
  ref: RefSnapshot,
  ctx: AuthContext,
  collection: HubCollection,
  id: string,
  doc: Record<string, unknown>,
  deleted: boolean,
  documents: unknown[],
): void {
  if (deleted) {
    // The hub never deletes replicated documents; a deletion by hand still reaches clients.
    documents.push({ id, _deleted: true });
  } else if (collection === 'cases') {
    const verdict = scopeVerdict(ctx.user, doc as unknown as CaseDoc, ref.org);
    if (verdict === 'visible') documents.push(toClientDoc(doc));
    else if (verdict === 'removal') documents.push(removalOf(doc));
  } else if (collection === 'tickets' || collection === 'supervision') {
    const rec = doc as unknown as ScopedRecord;
    if (canSeeRecord(ctx.user, rec, ref.org)) documents.push(toClientDoc(doc));
  } else {
    documents.push(toClientDoc(doc));
  }
}

/**
 * The store's `_changes` from `since`, every document read and filtered (bounded work per
 * request). Appends to `documents`; returns the checkpoint sequence, and sets `end.reached`
 * when the read came to the end of the feed.
 */
async function scanPull(
  store: Store,
  ref: RefSnapshot,
  ctx: AuthContext,
  collection: HubCollection,
  from: string,
  limit: number,
  documents: unknown[],
  stats: PullStats,
  end: { reached: boolean } = { reached: false },
): Promise<string> {
  const db = store.db(DB_OF[collection]);
  let since = from;
  for (let round = 0; round < MAX_INNER_BATCHES; round += 1) {
    let body: { results: ChangeRow[]; last_seq: unknown };
    try {
      body = (await withStoreRetry(() =>
        db.changes({ since, include_docs: true, limit: INNER_BATCH }),
      )) as unknown as { results: ChangeRow[]; last_seq: unknown };
    } catch (err) {
      // Only the client's checkpoint can be refused; later rounds resume from the store's own.
      if (round === 0 && since === from && statusOf(err) === 400) throw new UnusableCheckpoint();
      throw err;
    }
    stats.docsRead += body.results.length;
    for (const row of body.results) {
      since = String(row.seq);
      if (row.id.startsWith('_design/') || !row.doc) continue;
      keep(ref, ctx, collection, row.id, row.doc, row.deleted === true, documents);
      if (documents.length >= limit) return since;
    }
    if (body.results.length === 0) {
      since = body.last_seq === undefined || body.last_seq === null ? since : String(body.last_seq);
    }
    if (body.results.length < INNER_BATCH) {
      end.reached = true;
      break;
    }
  }
  return since;
}

/** How long a pull waits for the index to read up to the store's latest change. */
const FRESH_BUDGET_MS = 1500;
/** Bounded work per request on the index path too. */
const MAX_INDEX_ROUNDS = 20;

/** Rows of the freshness read on CouchDB (more: the index is far behind and the wait will expire anyway). */
const FRESH_PROBE_ROWS = 500;

/**
 * Read-your-writes: waits (up to the budget) until the index has read every change the store
 * held when the pull arrived. The embedded store: its `update_seq`, an integer in commit order.
 * CouchDB: the feed's rows after the index head, each until the index holds it — `update_seq`
 * there counts writes that never reach the feed (store/changesAfter.ts), and chasing it made
 * every pull page wait out the budget. A write arriving during the wait is not waited for.
 */
async function awaitFresh(
  store: Store,
  index: CaseScopeIndex,
  placed: Placement | null,
): Promise<boolean> {
  if (store.kind === 'embedded') {
    return index.reach(await storeUpdateSeq(store), FRESH_BUDGET_MS);
  }
  const started = Date.now();
  // Taken before the feed read: what this hub had acknowledged when the pull arrived.
  const own = ownWritesNotIndexed((id, rev) => index.holds(id, rev), FRESH_PROBE_ROWS);
  let fed: boolean;
  if (placed) {
    // The placing read named every change after the device's checkpoint when the pull
    // arrived: the device's own writes are among them, or it has them already.
    fed = placed.after.length === 0 || (await index.reachRevs(placed.after, FRESH_BUDGET_MS));
  } else {
    // A read begun after this pull arrived (one under way may predate the device's own write),
    // shared with the pulls that arrive meanwhile (store/nextRead.ts).
    const probe = await freshProbe(store, index).get();
    fed =
      probe.after.ids.length === 0 ||
      (await index.reachIds(probe.after.ids, probe.headPos, FRESH_BUDGET_MS));
  }
  // A cluster's feed may not show yet what two copies of a shard have acknowledged.
  const left = FRESH_BUDGET_MS - (Date.now() - started);
  return fed && (own.length === 0 || (left > 0 && (await index.reachRevs(own, left))));
}

/** The index head and the feed's rows after it, as one read saw them. */
interface FreshProbe {
  headPos: number;
  after: ChangesAfter;
}

const probes = new WeakMap<CaseScopeIndex, NextRead<FreshProbe>>();

function freshProbe(store: Store, index: CaseScopeIndex): NextRead<FreshProbe> {
  let probe = probes.get(index);
  if (!probe) {
    probe = new NextRead(async () => {
      const headPos = index.headPos;
      const after = await changesAfter(store, 'cases', index.headSeq, FRESH_PROBE_ROWS);
      return { headPos, after };
    });
    probes.set(index, probe);
  }
  return probe;
}

const updateSeqs = new WeakMap<Store, NextRead<string>>();

/**
 * The store's current `update_seq`, from a read begun after the caller asked (shared with the
 * callers that ask meanwhile): one already under way may predate the device's own write.
 */
function storeUpdateSeq(store: Store): Promise<string> {
  let read = updateSeqs.get(store);
  if (!read) {
    read = new NextRead(async () =>
      String((await withStoreRetry(() => store.db('cases').info())).update_seq),
    );
    updateSeqs.set(store, read);
  }
  return read.get();
}

/**
 * Pull through the scope index: only the entries under the caller's scope keys after the
 * checkpoint's position, read with one `_all_docs` per round, filtered by the same rule as the
 * scan. The checkpoint is the sequence of the last entry examined, or the index head when the
 * walk reached it: every change of a document the caller could get at or before that point
 * has been examined, so resuming from it skips nothing.
 *
 * Read-your-writes: the pull first waits (briefly) for the index to reach the store's current
 * sequence, so a device finds what it has just written.
 */
async function indexPull(
  store: Store,
  ref: RefSnapshot,
  ctx: AuthContext,
  index: CaseScopeIndex,
  fromPos: number,
  fromSeq: string,
  limit: number,
  services: PullServices,
  stats: PullStats,
  placed: Placement | null,
): Promise<PullResponse> {
  // Past the budget (the follower is behind a burst of writes) the page goes up to the index
  // head: nothing is skipped, and the newer changes reach the device as stream events once
  // the index has read them.
  const waitStarted = performance.now();
  stats.fresh = await awaitFresh(store, index, placed);
  stats.freshWaitMs = Math.round(performance.now() - waitStarted);
  const keys = [...actorScopeKeys(ctx.user, ref.org), DELETION_KEY];
  const documents: unknown[] = [];
  let pos = fromPos;
  let seq = fromSeq;
  for (let round = 0; round < MAX_INDEX_ROUNDS; round += 1) {
    const walk = index.walk(keys, pos, limit - documents.length);
    const docs = new Map<string, Record<string, unknown>>();
    const toRead: string[] = [];
    for (const e of walk.entries) {
      if (e.deleted) continue;
      // The revision this entry wrote, if this hub wrote it moments ago: no store read. (The
      // store would answer its latest revision; an older one here is fine, as the newer one
      // is a later entry of the feed, and the device gets it from there.)
      const written = e.rev ? writtenDocument(e.id, e.rev) : undefined;
      if (written) docs.set(e.id, written);
      else toRead.push(e.id);
    }
    if (toRead.length > 0) {
      stats.docsRead += toRead.length;
      const body = await services.readGate.run(() =>
        withStoreRetry(() => store.db('cases').fetch({ keys: toRead }, { include_docs: true })),
      );
      for (const row of body.rows) {
        const doc = 'doc' in row ? (row.doc as Record<string, unknown> | null) : null;
        if (doc && !doc._deleted) docs.set(row.key, doc);
      }
    }
    for (const e of walk.entries) {
      pos = e.pos;
      seq = e.seq;
      if (e.deleted) {
        documents.push({ id: e.id, _deleted: true });
        continue;
      }
      // Gone since the walk (deleted by hand): its deletion is a later entry.
      const doc = docs.get(e.id);
      if (doc) keep(ref, ctx, 'cases', e.id, doc, false, documents);
    }
    if (documents.length >= limit) return { documents, checkpoint: { seq } };
    if (walk.exhausted) {
      pos = walk.headPos;
      seq = walk.headSeq;
      break;
    }
  }
  return { documents, checkpoint: { seq } };
}
