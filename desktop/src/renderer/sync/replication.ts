import { Subject } from 'rxjs';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { ReplicationPushHandler, RxCollection, WithDeleted } from 'rxdb';
import { PROJECTS_COLLECTION, type PullCheckpoint, type SyncCollection } from '@sibantong/shared';
import type { DeviceConfig } from '../auth/deviceConfig';
import type { AppDatabase } from '../db/database';
import { withLocalFields, withoutLocalFields } from '../db/localFields';
import { startEventStream, type PullStream, type StreamedCollection } from './eventStream';
import { ensureId, makePullHandler } from './pullHandler';
import { makePushHandler, recordRefusal } from './pushHandler';
import { setRefusalSink } from './refusedEvents';
import { startProjectReplication } from './projectReplication';
import { projectStoreOf } from '../db/projectsCollection';
import { patchSyncStatus } from './syncStatus';
import { markDownloadWalked, refreshUnrecordedCases } from './unrecordedCases';
import { PulledVersions } from './pulledVersions';
import { setConflictRules } from './conflictRules';
import { localRules } from '../db/caseWrites';

export interface SyncEngine {
  stop(): Promise<void>;
  /** Pull and push now (after a local write, on reconnect, from the status bar). */
  syncNow(): void;
  /**
   * Resolves when the cases are caught up: the live two-way replication of the cases has
   * completed its first round. Rejects only if the engine is stopped before.
   */
  ready: Promise<void>;
  /** The live replication of the cases, once started. */
  cases(): RxReplicationState<unknown, PullCheckpoint> | null;
  /** Every live replication started so far (cases first). */
  states: RxReplicationState<unknown, PullCheckpoint>[];
  /** How the cases' first round ran (for tests and the bench). */
  firstRound(): FirstRoundInfo | null;
  /** Cases sent to the hub after the first round for lack of a recorded hub copy. */
  refreshed(): Promise<number>;
}

export interface FirstRoundInfo {
  /** True when the device held no case before this round (a fresh device downloads all). */
  fresh: boolean;
  /** Documents the first round wrote from the hub. */
  pulled: number;
  /** Milliseconds: waiting for the live stream, the cases' first round. */
  ms: { stream: number; live: number };
}

const PULL_BATCH = 1000; // the hub's MAX_PULL_LIMIT (sync-server/src/sync/pullHandler.ts)
/**
 * Rows RxDB hands the push handler at once; the handler sends them to the hub in requests
 * of at most 100 rows (the hub's limit, pushHandler.ts). Larger than a request so that the
 * upload side walks a large store in few rounds.
 */
const PUSH_BATCH = 500;
/** How long the engine waits for the live stream before it pulls anyway (offline, slow hub). */
const STREAM_WAIT_MS = 1500;

/**
 * One replication per collection: `cases` both ways, reference data pull-only. Scope is the
 * hub's job — it only ever sends what this user may see, and sends removals when a case
 * leaves scope.
 *
 * Start order (docs/client.md, "Sync"): the live stream is opened first (so that every pull
 * the engine issues afterwards sees what the stream does not announce), then the cases' live
 * two-way replication, also on a fresh device; the reference collections start after the
 * cases' first round.
 *
 * Why not a pull-only first download on a fresh device (as a first version did, to spare
 * RxDB's per-document record of the hub's copy): RxDB's downstream takes a local document
 * without such a record for an unpushed local edit and skips every newer hub version of it.
 * A PC set up after cases existed then never received later changes to them (the official
 * number, the result) nor their removal (issue 19, fault 1;
 * desktop/test/renderer/syncAgainstHub.test.ts). The two-way replication records the hub's
 * copy of every document it writes.
 */
export function startSync(db: AppDatabase, cfg: DeviceConfig): SyncEngine {
  const streams = new Map<StreamedCollection, PullStream>();
  const states: RxReplicationState<unknown, PullCheckpoint>[] = [];
  const lastPullIssued = new Map<StreamedCollection, number>();
  const startedAt = new Map<StreamedCollection, number>();
  let stopped = false;
  let casesState: RxReplicationState<unknown, PullCheckpoint> | null = null;
  let firstRound: FirstRoundInfo | null = null;
  let refreshing: Promise<number> = Promise.resolve(0);
  const names: SyncCollection[] = ['cases', 'matters', 'orgUnits', 'calendars', 'tickets'];
  for (const n of [...names, PROJECTS_COLLECTION] as const) streams.set(n, new Subject());
  // Local events the conflict handler takes out of a case are kept in this device's refusals.
  setRefusalSink(cfg.deviceId, (r) =>
    recordRefusal(db, r.caseSnapshot, r.code, r.message, r.refusedEventIds),
  );
  // ... judged with this device's reference data, as its own writes are (conflictRules.ts).
  setConflictRules(cfg.deviceId, () => localRules(db));

  const identifier = (name: SyncCollection) => `hub-${cfg.deviceId}-${name}`;
  // Case versions pulled but not stored, offered again once idle (pulledVersions.ts).
  const pulledCases = new PulledVersions();
  const pullHandler = (name: SyncCollection) =>
    makePullHandler(cfg, name, {
      onRequest: () => lastPullIssued.set(name, performance.now()),
      ...(name === 'cases'
        ? { onPage: (docs) => pulledCases.pulled(docs), inject: () => pulledCases.inject() }
        : {}),
    });
  const onError = (state: RxReplicationState<unknown, PullCheckpoint>) =>
    state.error$.subscribe((err) => {
      const msg = err instanceof Error ? err.message : String(err);
      patchSyncStatus({ lastError: `同步出错：${msg.slice(0, 200)}` });
    });

  const setup = (name: SyncCollection, collection: RxCollection, withPush: boolean) => {
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
      },
      push: withPush
        ? {
            handler: makePushHandler(cfg, db) as unknown as ReplicationPushHandler<unknown>,
            batchSize: PUSH_BATCH,
            // The hub's schema knows no local index fields.
            modifier: (d: WithDeleted<unknown>) => withoutLocalFields(d as object),
          }
        : undefined,
    });
    onError(state);
    states.push(state);
    return state;
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
    const fresh = (await db.cases.count().exec()) === 0;
    casesState = setup('cases', db.cases as unknown as RxCollection, true);
    let pulled = 0;
    const counting = casesState.received$.subscribe(() => (pulled += 1));
    casesState.received$.subscribe((doc) => pulledCases.stored(doc as { id?: unknown }));
    // Idle: pulled versions RxDB skipped go to it again with a pull (pulledVersions.ts).
    const cases = casesState;
    cases.active$.subscribe((active) => {
      if (active || stopped || pulledCases.size === 0) return;
      void pulledCases
        .takeSkipped(db)
        .then((again) => {
          if (again.length === 0 || stopped) return;
          pulledCases.offer(again);
          cases.reSync();
        })
        .catch(() => undefined);
    });
    await casesState.awaitInitialReplication();
    counting.unsubscribe();
    if (stopped) throw new Error('sync stopped');
    firstRound = { fresh, pulled, ms: { stream: t1 - t0, live: performance.now() - t1 } };
    // Cases without RxDB's record of the hub's copy never take a hub version again: ask the
    // hub for its copy of each (unrecordedCases.ts). In the background: the app is usable.
    if (!fresh) {
      refreshing = refreshUnrecordedCases(db, casesState, () => stopped).catch(() => 0);
    } else {
      refreshing = markDownloadWalked(casesState, db.token)
        .then(() => 0)
        .catch(() => 0);
    }
    setup('matters', db.matters as unknown as RxCollection, false);
    setup('orgUnits', db.orgUnits as unknown as RxCollection, false);
    setup('calendars', db.calendars as unknown as RxCollection, false);
    setup('tickets', db.tickets as unknown as RxCollection, false);
    const projects = projectStoreOf(db); // added by the app (projectsCollection.ts)
    if (projects) {
      startedAt.set(PROJECTS_COLLECTION, performance.now());
      const state = startProjectReplication(projects, cfg, {
        stream: streams.get(PROJECTS_COLLECTION)!,
        onPull: () => lastPullIssued.set(PROJECTS_COLLECTION, performance.now()),
      });
      states.push(state as RxReplicationState<unknown, PullCheckpoint>);
    }
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
    refreshed: async () => {
      await ready.catch(() => undefined);
      return refreshing;
    },
    async stop() {
      stopped = true;
      window.removeEventListener('online', onOnline);
      setRefusalSink(cfg.deviceId, null);
      setConflictRules(cfg.deviceId, null);
      stopStream();
      streamOpened();
      await refreshing;
      await Promise.all(states.map((s) => s.cancel()));
      patchSyncStatus({ active: false });
    },
  };
}
