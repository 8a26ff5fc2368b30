import { Subject, type Observable } from 'rxjs';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type {
  ReplicationPullHandler,
  ReplicationPushHandler,
  RxCollection,
  RxReplicationPullStreamItem,
  WithDeleted,
} from 'rxdb';
import {
  MAX_PROJECT_PUSH_ROWS,
  PROJECTS_PULL_PATH,
  PROJECTS_PUSH_PATH,
  type ProjectDoc,
  type ProjectPushRequest,
  type ProjectPushResponse,
  type PullCheckpoint,
  type PullResponse,
} from '@sibantong/shared';
import type { DeviceConfig } from '../auth/deviceConfig';
import {
  markProjectEventsRefused,
  recordProjectRefusal,
  withoutRefused,
  type ProjectStore,
} from '../db/projectsCollection';

export { recordProjectRefusal };
import type { AppDatabase } from '../db/database';
import { settleCaseLinks } from '../db/projectCaseLinks';
import {
  unknownRiskFields,
  withoutLocalProjectFields,
  withProjectLocalFields,
} from '../db/projectLocalFields';
import { authedFetch } from './hubSession';
import { patchSyncStatus } from './syncStatus';

/**
 * The projects' replication (docs/projects.md): pull from `/api/sync/projects/pull` (the hub
 * sends only what this user may see, and a removal when they left the team), push to
 * `/api/sync/projects/push` in requests of at most 50 rows. Histories always merge
 * (projectsCollection.ts); a refused row's events are kept visibly in `projectRefusals` and
 * left out of the local copy, which takes the hub's version.
 *
 * It pulls as the cases do: when the hub's live stream announces a project this user may see
 * (`{ collection: 'projects' }`, eventStream.ts hands the engine's RESYNC to `stream$`), on every
 * (re)open of the stream, on `syncNow`, and right after each push that changed something. No
 * timer: the stream announces every change of the projects database to everyone who pulls
 * something of it (the hub's stream.ts), and a device that lost the stream catches up when it
 * reopens, so a periodic pull would only repeat rounds that find nothing (the cases have none
 * either).
 */

function hasNews(doc: ProjectDoc): boolean {
  return doc.events.some((e) => typeof e.hubTime !== 'string' || e.hubTime === '');
}

export function makeProjectPullHandler(
  cfg: DeviceConfig,
  onRequest?: () => void,
): ReplicationPullHandler<ProjectDoc, PullCheckpoint> {
  return async (checkpoint, batchSize) => {
    onRequest?.();
    const q = new URLSearchParams({ limit: String(batchSize) });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    const res = await authedFetch<PullResponse<WithDeleted<ProjectDoc>>>(
      cfg,
      `${PROJECTS_PULL_PATH}?${q.toString()}`,
    );
    return { documents: res.documents, checkpoint: res.checkpoint };
  };
}

export function makeProjectPushHandler(
  cfg: DeviceConfig,
  db: ProjectStore,
  afterPush: () => void,
): ReplicationPushHandler<ProjectDoc> {
  return async (allRows) => {
    const rows = allRows.filter((r) => hasNews(r.newDocumentState));
    if (rows.length === 0) return [];
    const conflicts: WithDeleted<ProjectDoc>[] = [];
    for (let i = 0; i < rows.length; i += MAX_PROJECT_PUSH_ROWS) {
      const slice = rows.slice(i, i + MAX_PROJECT_PUSH_ROWS);
      const body: ProjectPushRequest = {
        rows: slice.map((r) => ({
          assumedMasterState: r.assumedMasterState ?? null,
          newDocumentState: r.newDocumentState,
        })),
      };
      const res = await authedFetch<ProjectPushResponse>(cfg, PROJECTS_PUSH_PATH, {
        method: 'POST',
        body,
      });
      for (const [j, result] of res.results.entries()) {
        const pushed = slice[j]!.newDocumentState;
        if (result.status === 'accepted') {
          // The hub's merged, stamped version: handed back so the device holds it at once.
          conflicts.push({ ...result.document, _deleted: false });
          continue;
        }
        await recordProjectRefusal(db, pushed, result.code, result.message, result.refusedEventIds);
        patchSyncStatus({ lastError: `项目“${pushed.name}”的修改被中心拒绝：${result.message}` });
        conflicts.push(
          result.master
            ? { ...result.master, _deleted: false }
            : ({ ...withoutRefused(pushed), _deleted: true } as WithDeleted<ProjectDoc>),
        );
      }
    }
    afterPush();
    return conflicts;
  };
}

export interface ProjectReplicationOptions {
  /** The engine's stream of `projects` (eventStream.ts): RESYNC when the hub announces one. */
  stream?: Subject<RxReplicationPullStreamItem<unknown, PullCheckpoint>>;
  /** Called as each pull is issued (the engine's `needsResync` bookkeeping). */
  onPull?: () => void;
}

/** Starts the live two-way replication of `projects`. */
export function startProjectReplication(
  db: ProjectStore,
  cfg: DeviceConfig,
  opts: ProjectReplicationOptions = {},
): RxReplicationState<ProjectDoc, PullCheckpoint> {
  const stream = opts.stream ?? new Subject<RxReplicationPullStreamItem<unknown, PullCheckpoint>>();
  const resync = () => stream.next('RESYNC');
  const state = replicateRxCollection<ProjectDoc, PullCheckpoint>({
    replicationIdentifier: `hub-${cfg.deviceId}-projects`,
    collection: db.projects as unknown as RxCollection<ProjectDoc>,
    live: true,
    retryTime: 3000,
    waitForLeadership: false,
    autoStart: true,
    pull: {
      handler: makeProjectPullHandler(cfg, opts.onPull),
      batchSize: 200,
      // Only RESYNC travels on it: no document of another type can come this way.
      stream$: stream.asObservable() as Observable<
        RxReplicationPullStreamItem<ProjectDoc, PullCheckpoint>
      >,
      // The list fields of this device (projectLocalFields.ts), computed as a pull lands.
      modifier: (doc) =>
        doc._deleted
          ? ({ ...doc, ...unknownRiskFields() } as typeof doc)
          : (withProjectLocalFields(
              db.projects.database as unknown as AppDatabase,
              doc,
            ) as unknown as Promise<typeof doc>),
    },
    push: {
      handler: makeProjectPushHandler(cfg, db, () => setTimeout(resync, 0)),
      batchSize: MAX_PROJECT_PUSH_ROWS,
      // The hub's schema knows no local fields.
      modifier: (doc) => withoutLocalProjectFields(doc) as typeof doc,
    },
  });
  // Refusals of an earlier run: their events stay out of every merge.
  void db.projectRefusals
    .find()
    .exec()
    .then((docs) => docs.forEach((d) => markProjectEventsRefused(d.refusedEventIds)));
  // Cases applied from a project's list are linked once the hub holds them
  // (db/projectCaseLinks.ts): a case pulled back stamped, or pushed, lets the link go.
  const database = db.projects.database as unknown as AppDatabase;
  const settle = () =>
    void settleCaseLinks(database, cfg.deviceId)
      .then((n) => {
        if (n > 0) state.reSync();
      })
      .catch(() => undefined);
  const caseChanges = database.cases?.$.subscribe(settle);
  settle();
  void state.canceled$.subscribe((c) => {
    if (!c) return;
    caseChanges?.unsubscribe();
  });
  state.error$.subscribe((err) => {
    const msg = err instanceof Error ? err.message : String(err);
    patchSyncStatus({ lastError: `项目同步出错：${msg.slice(0, 200)}` });
  });
  return state;
}
