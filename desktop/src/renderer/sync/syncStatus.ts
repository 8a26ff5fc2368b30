import { BehaviorSubject } from 'rxjs';

/** What the always-visible status bar shows. Pending/refused counts come from the database. */
export interface SyncStatus {
  /** Browser reports a network and the last hub request succeeded. */
  online: boolean;
  /** Last time a pull or push round completed against the hub. */
  lastSyncAt: string | null;
  lastError: string | null;
  /** The hub refused this device/user: replication is stopped until a new login. */
  refused: string | null;
  active: boolean;
}

export const syncStatus$ = new BehaviorSubject<SyncStatus>({
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  lastSyncAt: null,
  lastError: null,
  refused: null,
  active: false,
});

export function patchSyncStatus(p: Partial<SyncStatus>): void {
  syncStatus$.next({ ...syncStatus$.value, ...p });
}

export function markSyncOk(): void {
  patchSyncStatus({ online: true, lastSyncAt: new Date().toISOString(), lastError: null });
}
