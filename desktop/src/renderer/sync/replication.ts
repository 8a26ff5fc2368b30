import { Subject } from 'rxjs';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { ReplicationPushHandler, RxCollection } from 'rxdb';
import type { PullCheckpoint, SyncCollection } from '@sibantong/shared';
import type { DeviceConfig } from '../auth/deviceConfig';
import type { AppDatabase } from '../db/database';
import { startEventStream, type PullStream } from './eventStream';
import { ensureId, makePullHandler } from './pullHandler';
import { makePushHandler } from './pushHandler';
import { patchSyncStatus } from './syncStatus';

export interface SyncEngine {
  stop(): Promise<void>;
  /** Pull and push now (after a local write, on reconnect, from the status bar). */
  syncNow(): void;
  states: RxReplicationState<unknown, PullCheckpoint>[];
}

/**
 * One replication per collection: `cases` both ways, reference data pull-only. Scope is the
 * hub's job — it only ever sends what this user may see, and sends removals when a case
 * leaves scope.
 */
export function startSync(db: AppDatabase, cfg: DeviceConfig): SyncEngine {
  const streams = new Map<SyncCollection, PullStream>();
  const states: RxReplicationState<unknown, PullCheckpoint>[] = [];
  const setup = (name: SyncCollection, collection: RxCollection, withPush: boolean) => {
    const stream$: PullStream = new Subject();
    streams.set(name, stream$);
    const state = replicateRxCollection<unknown, PullCheckpoint>({
      replicationIdentifier: `hub-${cfg.deviceId}-${name}`,
      collection: collection as RxCollection<unknown>,
      live: true,
      retryTime: 3000,
      waitForLeadership: false,
      autoStart: true,
      pull: {
        handler: makePullHandler(cfg, name),
        batchSize: 1000, // the hub's MAX_PULL_LIMIT (sync-server/src/sync/pullHandler.ts)
        stream$: stream$.asObservable(),
        modifier: name === 'cases' ? undefined : ensureId,
      },
      push: withPush
        ? {
            handler: makePushHandler(cfg, db) as unknown as ReplicationPushHandler<unknown>,
            batchSize: 20,
          }
        : undefined,
    });
    state.error$.subscribe((err) => {
      const msg = err instanceof Error ? err.message : String(err);
      patchSyncStatus({ lastError: `同步出错：${msg.slice(0, 200)}` });
    });
    states.push(state);
  };
  setup('cases', db.cases as unknown as RxCollection, true);
  setup('matters', db.matters as unknown as RxCollection, false);
  setup('orgUnits', db.orgUnits as unknown as RxCollection, false);
  setup('calendars', db.calendars as unknown as RxCollection, false);
  setup('tickets', db.tickets as unknown as RxCollection, false);
  const stopStream = startEventStream(cfg, streams);
  patchSyncStatus({ active: true });
  const syncNow = () => {
    for (const s of states) s.reSync();
  };
  const onOnline = () => syncNow();
  window.addEventListener('online', onOnline);
  return {
    states,
    syncNow,
    async stop() {
      window.removeEventListener('online', onOnline);
      stopStream();
      await Promise.all(states.map((s) => s.cancel()));
      patchSyncStatus({ active: false });
    },
  };
}
