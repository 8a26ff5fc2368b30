import { createContext, useContext } from 'react';
import type { SessionUser } from '@sibantong/shared';
import type { DeviceConfig } from './auth/deviceConfig';
import type { AppDatabase } from './db/database';

export interface AppCtx {
  db: AppDatabase;
  cfg: DeviceConfig;
  user: SessionUser;
  syncNow: () => void;
  navigate: (route: Route) => void;
  /** Settings changed the device configuration (a new hub address): the app follows it. */
  changeDeviceConfig: (cfg: DeviceConfig) => void;
}

export type Route =
  | { page: 'home' }
  | { page: 'accept'; projectLink?: ProjectCaseIntent }
  | { page: 'cases' }
  | { page: 'case'; caseId: string }
  | { page: 'refusals' }
  | { page: 'supervisor' }
  | { page: 'cockpit' }
  | { page: 'ledgers' }
  | { page: 'it' }
  | { page: 'settings' }
  | { page: 'projects' }
  | { page: 'project'; projectId: string };

/** A listed matter of a project being applied: the case form opens with it chosen. */
export interface ProjectCaseIntent {
  projectId: string;
  projectName: string;
  matterKey: string;
  matterCode: string;
}

export const AppContext = createContext<AppCtx | null>(null);

export function useApp(): AppCtx {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('AppContext missing');
  return ctx;
}
