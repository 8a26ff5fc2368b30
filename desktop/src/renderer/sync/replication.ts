import { Subject, type Subscription } from 'rxjs';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { ReplicationPushHandler, RxCollection, WithDeleted } from 'rxdb';
import type { PullCheckpoint, SyncCollection } from '@sibantong/shared';
import type { DeviceConfig } from '../auth/deviceConfig';
import type { AppDatabase } from '../db/database';
import { withLocalFields, withoutLocalFields } from '../db/localFields';
import { startEventStream, type PullStream } from './eventStream';
import { ensureId, makePullHandler } from './pullHandler';
import { makePushHandler } from './pushHandler';
import { patchSyncStatus } from './syncStatus';

export interface SyncEngine {
  stop(): Promise<void>;
  /** Pull and push now (after a local write, on reconnect, from the status bar). */
  syncNow(): void;
  /**
   * Resolves when the cases are caught up: the first round (a pull-only catch-up on a fresh
   * device) is done and the live two-way replication of the cases has completed its first
   * round. Rejects only if the engine is stopped before.
   */
  ready: Promise<void>;
  /** The live replication of the cases, once started (after the first round). */
  cases(): RxReplicationState<unknown, PullCheckpoint> | null;
  /** Every live replication started so far (cases first). */
  states: RxReplicationState<unknown, PullCheckpoint>[];
  /** How the cases' first round ran (for tests and the bench). */
  firstRound(): FirstRoundInfo | null;
}

export interface FirstRoundInfo {
  /** True when the first round was a pull-only catch-up (fresh device). */
  pullOnly: boolean;
  /** Documents written by the pull-only catch-up. */
  pulled: number;
  /** Local writes seen during the catch-up (they are uploaded by the live replication). */
  localWrites: number;
  /** Milliseconds: waiting for the live stream, the catch-up, the live replication's first round. */
  ms: { stream: number; catchUp: number; live: number };
}

const PULL_BATCH = 1000; // the hub's MAX_PULL_LIMIT (sync-server/src/sync/pullHandler.ts)
// The hub's most rows per push: a fresh device offers its catch-up again in few requests.
const PUSH_BATCH = 100;
/** How long the engine waits for the live stream before it pulls anyway (offline, slow hub). */
const STREAM_WAIT_MS = 1500;

export type Checkpoint = { id: string; lwt: number };
/** Where the live replication of a freshly caught-up device starts, each way. */
type CatchUpEnd = { downstream?: PullCheckpoint; upstream?: Checkpoint };

const later = (a: Checkpoint, b: Checkpoint) => a.lwt > b.lwt || (a.lwt === b.lwt && a.id > b.id);

/** The greatest of checkpoints in the storage's change order (lwt, then id). */
export function maxCheckpoint(list: readonly Checkpoint[]): Checkpoint | undefined {
  let best: Checkpoint | undefined;
  for (const c of list) if (!best || later(c, best)) best = c;
  return best;
}

/**
 * A checkpoint just after every document written at `c.lwt`. RxDB gives all documents of one
 * bulk write the same `lwt`, and its upstream reads "changed since" as a range on `lwt` alone,
 * testing ids in memory: a checkpoint inside a bulk of 3,000 pulled cases walked all 3,000 at
 * every start and every "sync now" (300 ms at 20k cases). RxDB's `now()` steps by 0.01 ms and
 * never repeats, so every later write (a local one included) has an `lwt` at least 0.01 above.
 */
export function pastTies(c: Checkpoint | undefined): Checkpoint | undefined {
  return c ? { id: '', lwt: c.lwt + LWT_STEP / 2 } : undefined;
}
const LWT_STEP = 0.01;

/** The greatest (lwt, id) of written documents: the storage's change order. */
function greatestCheckpoint(docs: readonly unknown[]): Checkpoint | undefined {
  return maxCheckpoint(
    docs.flatMap((d) => {
      const doc = d as { id?: unknown; _meta?: { lwt?: unknown } };
      return typeof doc.id === 'string' && typeof doc._meta?.lwt === 'number'
        ? [{ id: doc.id, lwt: doc._meta.lwt }]
        : [];
    }),
  );
}

/**
 * One replication per collection: `cases` both ways, reference data pull-only. Scope is the
 * hub's job — it only ever sends what this user may see, and sends removals when a case
 * leaves scope.
 *
 * Start order (docs/client.md, "Sync"): the live stream is opened first (so that every pull
 * the engine issues afterwards sees what the stream does not announce), then the cases: on a
 * fresh device as a **pull-only** replication (no push-side bookkeeping per pulled document),
 * then the live two-way replication from the same checkpoint; the reference collections start
 * after the cases' first round.
 */
export function startSync(db: AppDatabase, cfg: DeviceConfig): SyncEngine {
  const streams = new Map<SyncCollection, PullStream>();
  const states: RxReplicationState<unknown, PullCheckpoint>[] = [];
  const lastPullIssued = new Map<SyncCollection, number>();
  const startedAt = new Map<SyncCollection, number>();
  let stopped = false;
  let casesState: RxReplicationState<unknown, PullCheckpoint> | null = null;
  let firstRound: FirstRoundInfo | null = null;
  let catchUp: RxReplicationState<unknown, PullCheckpoint> | null = null;
  const names: SyncCollection[] = ['cases', 'matters', 'orgUnits', 'calendars', 'tickets'];
  for (const n of names) streams.set(n, new Subject());

  const identifier = (name: SyncCollection) => `hub-${cfg.deviceId}-${name}`;
  const pullHandler = (name: SyncCollection) =>
    makePullHandler(cfg, name, { onRequest: () => lastPullIssued.set(name, performance.now()) });
  const onError = (state: RxReplicationState<unknown, PullCheckpoint>) =>
    state.error$.subscribe((err) => {
      const msg = err instanceof Error ? err.message : String(err);
      patchSyncStatus({ lastError: `同步出错：${msg.slice(0, 200)}` });
    });

  const setup = (
    name: SyncCollection,
    collection: RxCollection,
    withPush: boolean,
    from?: CatchUpEnd,
  ) => {
    startedAt.set(name, performance.now());
    const state = replicateRxCollection<unknown, PullCheckpoint>({
      replicationIdentifier: identifier(name),
      collection: collection as RxCollection<unknown>,
      live: true,
      retryTime: 3000,
      waitForLeadership: false,
      autoStart: true,
      pull: {
        handler: pullHandler(name),
        batchSize: PULL_BATCH,
        stream$: streams.get(name)!.asObservable(),
        modifier: name === 'cases' ? withLocalFields : ensureId,
        initialCheckpoint: from?.downstream,
      },
      push: withPush
        ? {
            handler: makePushHandler(cfg, db) as unknown as ReplicationPushHandler<unknown>,
            batchSize: PUSH_BATCH,
            // The hub's schema knows no local index fields.
            modifier: (d: WithDeleted<unknown>) => withoutLocalFields(d as object),
            initialCheckpoint: from?.upstream,
          }
        : undefined,
    });
    onError(state);
    states.push(state);
    return state;
  };

  /**
   * Fresh device (no case stored yet): pull everything with a pull-only replication (RxDB then
   * skips the per-document bookkeeping of the upload side). The live replication starts where it
   * ended, each way: downstream from the hub checkpoint of its last page; upstream from the local
   * store's checkpoint of the last pulled write that preceded every local write made meanwhile,
   * so a case created or edited during the catch-up is still uploaded (pulled documents after it
   * are merely offered to the hub again, which accepts them unchanged). RxDB kept no hub copy
   * of the pulled cases; the push handler rebuilds it (sync/assumedMaster.ts).
   */
  const runCatchUp = async (): Promise<CatchUpEnd | undefined> => {
    const cases = db.cases as unknown as RxCollection;
    if ((await cases.count().exec()) > 0 || stopped) return undefined;
    const downstreamWrites: Checkpoint[] = [];
    const catchUpPull = pullHandler('cases');
    // The hub checkpoint of the last page: the catch-up ends only once every page is stored.
    let reached: PullCheckpoint | undefined;
    let minLocalLwt = Infinity;
    let localWrites = 0;
    let pulled = 0;
    const sub: Subscription = cases.storageInstance.changeStream().subscribe((bulk) => {
      if (String(bulk.context).startsWith('replication-downstream-')) {
        pulled += bulk.events.length;
        // The storage orders changes by (lwt, id); a bulk's own checkpoint is its last row in
        // write order, which is not the greatest when rows share an lwt.
        const last = greatestCheckpoint(bulk.events.map((e) => e.documentData));
        if (last) downstreamWrites.push(last);
      } else {
        localWrites += bulk.events.length;
        for (const e of bulk.events) {
          const lwt = (e.documentData as { _meta?: { lwt?: number } })._meta?.lwt ?? 0;
          minLocalLwt = Math.min(minLocalLwt, lwt);
        }
      }
    });
    try {
      catchUp = replicateRxCollection<unknown, PullCheckpoint>({
        // Its own identifier: RxDB runs an upstream even without a push handler and stores its
        // checkpoint as if it had uploaded the local writes it saw; under the live identifier
        // that checkpoint would make the live replication skip them.
        replicationIdentifier: `${identifier('cases')}-catch-up`,
        collection: cases as RxCollection<unknown>,
        live: false,
        retryTime: 3000,
        waitForLeadership: false,
        autoStart: true,
        pull: {
          handler: async (checkpoint, batchSize) => {
            const page = await catchUpPull(checkpoint, batchSize);
            reached = page.checkpoint;
            return page;
          },
          batchSize: PULL_BATCH,
          modifier: withLocalFields,
        },
      });
      onError(catchUp);
      await catchUp.awaitInitialReplication();
      await catchUp.cancel();
    } finally {
      catchUp = null;
      // Writes still in flight announce themselves before the next macrotask.
      await new Promise((r) => setTimeout(r, 0));
      sub.unsubscribe();
    }
    firstRound = { pullOnly: true, pulled, localWrites, ms: { stream: 0, catchUp: 0, live: 0 } };
    // The greatest, not the last to arrive: a storage wrapper may deliver change bulks out of
    // order (RxDB's wrapper maps them asynchronously).
    const before = downstreamWrites.filter((c) => c.lwt < minLocalLwt);
    return { downstream: reached, upstream: pastTies(maxCheckpoint(before)) };
  };

  let streamOpened: () => void = () => undefined;
  const streamOpen = new Promise<void>((resolve) => (streamOpened = resolve));
  const stopStream = startEventStream(cfg, streams, {
    onOpen: () => streamOpened(),
    // A collection whose replication started, or issued a pull, after the stream opened has
    // seen (or will see) everything: the opening resync would only repeat its round.
    needsResync: (name, openedAt) =>
      (startedAt.get(name) ?? Infinity) < openedAt &&
      (lastPullIssued.get(name) ?? -Infinity) < openedAt,
  });
  patchSyncStatus({ active: true });

  const ready = (async () => {
    const t0 = performance.now();
    await Promise.race([streamOpen, new Promise((r) => setTimeout(r, STREAM_WAIT_MS))]);
    if (stopped) throw new Error('sync stopped');
    const t1 = performance.now();
    const caughtUp = await runCatchUp();
    if (stopped) throw new Error('sync stopped');
    const t2 = performance.now();
    casesState = setup('cases', db.cases as unknown as RxCollection, true, caughtUp);
    await casesState.awaitInitialReplication();
    if (stopped) throw new Error('sync stopped');
    firstRound ??= {
      pullOnly: false,
      pulled: 0,
      localWrites: 0,
      ms: { stream: 0, catchUp: 0, live: 0 },
    };
    firstRound.ms = { stream: t1 - t0, catchUp: t2 - t1, live: performance.now() - t2 };
    setup('matters', db.matters as unknown as RxCollection, false);
    setup('orgUnits', db.orgUnits as unknown as RxCollection, false);
    setup('calendars', db.calendars as unknown as RxCollection, false);
    setup('tickets', db.tickets as unknown as RxCollection, false);
  })();
  ready.catch(() => undefined);

  const syncNow = () => {
    for (const s of states) s.reSync();
  };
  const onOnline = () => syncNow();
  window.addEventListener('online', onOnline);
  return {
    states,
    ready,
    syncNow,
    cases: () => casesState,
    firstRound: () => firstRound,
    async stop() {
      stopped = true;
      window.removeEventListener('online', onOnline);
      stopStream();
      streamOpened();
      const pending = catchUp as RxReplicationState<unknown, PullCheckpoint> | null;
      await Promise.all([...states, ...(pending ? [pending] : [])].map((s) => s.cancel()));
      patchSyncStatus({ active: false });
    },
  };
}
