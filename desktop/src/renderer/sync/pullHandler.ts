import type { ReplicationPullHandler, WithDeleted } from 'rxdb';
import type { PullCheckpoint, PullResponse, SyncCollection } from '@sibantong/shared';
import type { DeviceConfig } from '../auth/deviceConfig';
import { authedFetch } from './hubSession';

/**
 * Pull from GET /api/sync/:collection/pull. The checkpoint is the hub store's change sequence
 * (opaque here): unlike a timestamp it cannot skip a document written concurrently. Removals
 * arrive as `{ id, _deleted: true }` and delete the local copy (a case moved out of scope).
 */
export function makePullHandler<D>(
  cfg: DeviceConfig,
  collection: SyncCollection,
): ReplicationPullHandler<D, PullCheckpoint> {
  return async (checkpoint, batchSize) => {
    const q = new URLSearchParams({ limit: String(batchSize) });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    const res = await authedFetch<PullResponse<WithDeleted<D>>>(
      cfg,
      `/api/sync/${collection}/pull?${q.toString()}`,
    );
    return { documents: res.documents, checkpoint: res.checkpoint };
  };
}

/** Reference documents must carry `id` (our primary key); the catalogue may key by code. */
export function ensureId<D>(doc: WithDeleted<D>): WithDeleted<D> {
  const r = doc as unknown as Record<string, unknown>;
  if (typeof r.id === 'string') return doc;
  const id = r.code ?? r.implementationCode ?? r.year ?? r._id;
  return { ...r, id: String(id) } as unknown as WithDeleted<D>;
}
