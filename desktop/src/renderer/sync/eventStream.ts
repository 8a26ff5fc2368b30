import { Subject } from 'rxjs';
import type { RxReplicationPullStreamItem } from 'rxdb';
import type { PullCheckpoint, StreamMessage, SyncCollection } from '@sibantong/shared';
import type { DeviceConfig } from '../auth/deviceConfig';
import { getAccessToken } from '../auth/sessionStore';
import { patchSyncStatus } from './syncStatus';

export type PullStream = Subject<RxReplicationPullStreamItem<unknown, PullCheckpoint>>;

/**
 * The hub's server-sent events tell us *that* a collection changed; we answer with RESYNC so
 * RxDB pulls through the normal checkpointed handler (one code path, nothing can be skipped).
 * EventSource cannot send headers, so the token goes in `?access_token=`. On every (re)open we
 * RESYNC everything to catch up on what happened while disconnected.
 */
export function startEventStream(
  cfg: DeviceConfig,
  streams: Map<SyncCollection, PullStream>,
): () => void {
  let es: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const resyncAll = () => {
    for (const s of streams.values()) s.next('RESYNC');
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
    const src = new EventSource(
      `${cfg.hubUrl}/api/sync/stream?access_token=${encodeURIComponent(token)}`,
    );
    es = src;
    src.onopen = () => {
      patchSyncStatus({ online: true });
      resyncAll();
    };
    const onChange = (ev: MessageEvent<string>) => {
      try {
        const msg = JSON.parse(ev.data) as StreamMessage;
        streams.get(msg.collection)?.next('RESYNC');
      } catch {
        resyncAll();
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
