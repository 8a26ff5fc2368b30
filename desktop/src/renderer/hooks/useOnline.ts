import { useEffect, useState } from 'react';
import { syncStatus$, type SyncStatus } from '../sync/syncStatus';

/** The sync engine's status (hub reachable, last sync, refusal), kept current. */
export function useSyncStatus(): SyncStatus {
  const [status, setStatus] = useState<SyncStatus>(syncStatus$.value);
  useEffect(() => {
    const sub = syncStatus$.subscribe(setStatus);
    return () => sub.unsubscribe();
  }, []);
  return status;
}

/** Whether the browser reports a network, kept current. */
function useBrowserOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/** Online = the browser has a network and the last hub request did not fail to connect. */
export function useOnline(): boolean {
  const hubOnline = useSyncStatus().online;
  return useBrowserOnline() && hubOnline;
}
