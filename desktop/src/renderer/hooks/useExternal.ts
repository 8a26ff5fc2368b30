import { useSyncExternalStore } from 'react';
import { getSession, subscribeSession, type Session } from '../auth/sessionStore';

export function useSession(): Session | null {
  return useSyncExternalStore(subscribeSession, getSession);
}
