import { Subject } from 'rxjs';
import type { RxReplicationPullStreamItem } from 'rxdb';
import type { PROJECTS_COLLECTION, PullCheckpoint, SyncCollection } from '@sibantong/shared';
import type { DeviceConfig } from '../auth/deviceConfig';
import { streamUrl } from '../auth/deviceProof';
import { getAccessToken } from '../auth/sessionStore';
import { patchSyncStatus } from './syncStatus';

export type PullStream = Subject<RxReplicationPullStreamItem<unknown, PullCheckpoint>>;

/** What the stream announces: the shared collections and `projects` (projectReplication.ts). */
export type StreamedCollection = SyncCollection | typeof PROJECTS_COLLECTION;

/** A `change` event's data (shared StreamMessage, widened by `projects`). */
interface StreamChange {
  collection: StreamedCollection;
}

/**
 * The hub's server-sent events tell us *that* a collection changed; we answer with RESYNC so
 * RxDB pulls through the normal checkpointed handler (one code path, nothing can be skipped).
 * EventSource cannot send headers, so the token goes in `?access_token=`. On every (re)open
 * (and on the hub's opening `resync`) we RESYNC every collection that may have missed something
 * while disconnected: not those whose pull started after the stream opened (`needsResync`).
 */
export interface EventStreamOptions {
  /** Called on every open, with the moment it opened (performance.now()). */
  onOpen?: (openedAt: number) => void;
  /**
   * Whether a collection needs the catch-up RESYNC of an (re)open. No, when its replication
   * has not started yet (its first round is still to come) or has issued a pull since the
   * stream opened: that pull saw everything the stream did not announce.
   */
  needsResync?: (collection: StreamedCollection, openedAt: number) => boolean;
}

export function startEventStream(
  cfg: DeviceConfig,
  streams: Map<StreamedCollection, PullStream>,
  opts: EventStreamOptions = {},
): () => void {
  let es: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let openedAt = 0;

  const resyncAll = () => {
    for (const [name, s] of streams) {
      if (!opts.needsResync || opts.needsResync(name, openedAt)) s.next('RESYNC');
    }
  };
  const scheduleReconnect = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void connect(), ms);
  };
  const connect = async () => {
    es?.close();
    es = null;
    if (stopped) return;
    if (typeof navigator !== 'undefined' && !navigator.onLine) {
      patchSyncStatus({ online: false });
      scheduleReconnect(3000);
      return;
    }
    const token = await getAccessToken(cfg);
    if (stopped) return;
    if (!token) {
      scheduleReconnect(5000);
      return;
    }
    // Token and device proof in the query (auth/deviceProof.ts): EventSource sends no headers.
    const url = await streamUrl(cfg, token);
    if (stopped) return;
    const src = new EventSource(url);
    es = src;
    src.onopen = () => {
      openedAt = performance.now();
      patchSyncStatus({ online: true });
      opts.onOpen?.(openedAt);
      resyncAll();
    };
    const onChange = (ev: MessageEvent<string>) => {
      try {
        const msg = JSON.parse(ev.data) as StreamChange;
        streams.get(msg.collection)?.next('RESYNC');
      } catch {
        for (const st of streams.values()) st.next('RESYNC');
      }
    };
    src.addEventListener('change', onChange as EventListener);
    src.addEventListener('resync', resyncAll);
    src.onmessage = onChange;
    src.onerror = () => {
      // The browser would retry with the same (maybe expired) token: reconnect ourselves.
      src.close();
      if (es === src) es = null;
      scheduleReconnect(3000);
    };
  };

  const onOnline = () => {
    patchSyncStatus({ online: true });
    scheduleReconnect(0);
  };
  const onOffline = () => {
    patchSyncStatus({ online: false });
    es?.close();
    es = null;
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  void connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    es?.close();
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
  };
}
