import { useEffect, useState } from 'react';
import { syncStatus$ } from '../sync/syncStatus';

/** Online = the browser has a network and the last hub request did not fail to connect. */
export function useOnline(): boolean {
  const [hubOnline, setHubOnline] = useState(syncStatus$.value.online);
  const [browserOnline, setBrowserOnline] = useState(navigator.onLine);
  useEffect(() => {
    const sub = syncStatus$.subscribe((s) => setHubOnline(s.online));
    const on = () => setBrowserOnline(true);
    const off = () => setBrowserOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      sub.unsubscribe();
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return hubOnline && browserOnline;
}
