import type { ReplicationPullHandler, WithDeleted } from 'rxdb';
import type { PullCheckpoint, PullResponse, SyncCollection } from '@sibantong/shared';
import type { DeviceConfig } from '../auth/deviceConfig';
import { authedFetch } from './hubSession';

export interface PullHandlerOptions {
  /** Called when a request to the hub is issued (the engine's "last pull issued" clock). */
  onRequest?: () => void;
  /** Called with every page the handler hands to RxDB (before RxDB stores or skips them). */
  onPage?: (documents: readonly WithDeleted<unknown>[], checkpoint: PullCheckpoint | null) => void;
  /**
   * Documents to hand to RxDB with the next page, before the hub's (which win for the same
   * id): versions RxDB skipped, offered again (pulledVersions.ts).
   */
  inject?: () => readonly WithDeleted<unknown>[];
  /** Turns each pulled document into its stored form (derived local fields). */
  map?: (doc: WithDeleted<unknown>) => WithDeleted<unknown>;
}

/** A prefetched page is only used by the very next call and for the very same checkpoint. */
const PREFETCH_TTL_MS = 10_000;

/**
 * Pull from GET /api/sync/:collection/pull. The checkpoint is the hub store's change sequence
 * (opaque here): unlike a timestamp it cannot skip a document written concurrently. Removals
 * arrive as `{ id, _deleted: true }` and delete the local copy (a case moved out of scope).
 *
 * Pipelining: when a page comes back full, the next page (from the checkpoint just returned)
 * is requested at once, while RxDB writes the current one into IndexedDB; the next call for
 * that checkpoint takes the prefetched answer. A prefetched page is never stale in a harmful
 * way: a document changed after it was read comes again later in the change sequence.
 */
export function makePullHandler<D>(
  cfg: DeviceConfig,
  collection: SyncCollection,
  opts: PullHandlerOptions = {},
): ReplicationPullHandler<D, PullCheckpoint> {
  type Page = { documents: WithDeleted<D>[]; checkpoint: PullCheckpoint };
  let prefetched: { key: string; at: number; page: Promise<Page> } | null = null;

  const fetchPage = async (checkpoint: PullCheckpoint | undefined, batchSize: number) => {
    const q = new URLSearchParams({ limit: String(batchSize) });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    opts.onRequest?.();
    const res = await authedFetch<PullResponse<WithDeleted<D>>>(
      cfg,
      `/api/sync/${collection}/pull?${q.toString()}`,
    );
    const documents = opts.map
      ? res.documents.map((d) => opts.map!(d as WithDeleted<unknown>) as WithDeleted<D>)
      : res.documents;
    return { documents, checkpoint: res.checkpoint };
  };

  return async (checkpoint, batchSize) => {
    const key = `${batchSize}|${JSON.stringify(checkpoint ?? null)}`;
    const ahead = prefetched;
    prefetched = null;
    let page: Page | null = null;
    if (ahead && ahead.key === key && Date.now() - ahead.at < PREFETCH_TTL_MS) {
      page = await ahead.page.catch(() => null);
    }
    page ??= await fetchPage(checkpoint ?? undefined, batchSize);
    if (page.documents.length >= batchSize && page.checkpoint) {
      const next = fetchPage(page.checkpoint, batchSize);
      next.catch(() => undefined); // used (and its error seen) only by the next call
      prefetched = {
        key: `${batchSize}|${JSON.stringify(page.checkpoint)}`,
        at: Date.now(),
        page: next,
      };
    }
    opts.onPage?.(page.documents as WithDeleted<unknown>[], page.checkpoint ?? null);
    const again = opts.inject?.() ?? [];
    if (again.length > 0)
      return { ...page, documents: [...(again as WithDeleted<D>[]), ...page.documents] };
    return page;
  };
}

/** Reference documents must carry `id` (our primary key); the catalogue may key by code. */
export function ensureId<D>(doc: WithDeleted<D>): WithDeleted<D> {
  const r = doc as unknown as Record<string, unknown>;
  if (typeof r.id === 'string') return doc;
  const id = r.code ?? r.implementationCode ?? r.year ?? r._id;
  return { ...r, id: String(id) } as unknown as WithDeleted<D>;
}
