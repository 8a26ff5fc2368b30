import type { ReactElement } from 'react';
import { afterEach } from 'vitest';
import { cleanup, render, type RenderResult } from '@testing-library/react';
import { StyleProvider } from '@ant-design/cssinjs';
import type { Actor, OrgUnit, SessionUser } from '@sibantong/shared';
import { AppContext, type AppCtx, type Route } from '../../../src/renderer/appContext';
import type { DeviceConfig } from '../../../src/renderer/auth/deviceConfig';
import { openDatabase, type AppDatabase } from '../../../src/renderer/db/database';

/** The sealing key every screen test uses: a real key, so documents are sealed as on a PC. */
export const TEST_DB_KEY = 'k-0123456789abcdef';

/**
 * One real RxDB per test, closed after it: screen tests render against the same database code
 * the app runs, never a mock. Call once at the top of a test file.
 */
export function useTestDatabase(): {
  open: (prefix: string, units?: readonly OrgUnit[]) => Promise<AppDatabase>;
} {
  let db: AppDatabase | null = null;
  afterEach(async () => {
    cleanup();
    await db?.close();
    db = null;
    // Let React's scheduler run what it queued before the unmount (it runs on setImmediate):
    // left for after the file's last test, it ran once jsdom was gone and failed the whole
    // run with "window is not defined" (projectEditing.test.tsx in a CI run).
    await new Promise((r) => setTimeout(r, 50));
  });
  return {
    open: async (prefix, units) => {
      db = await openDatabase(`${prefix}-${Date.now()}-${Math.random()}`, TEST_DB_KEY);
      if (units?.length) await db.orgUnits.bulkInsert(units as never[]);
      return db;
    },
  };
}

export interface InAppOptions {
  db?: AppDatabase | null;
  user: Actor | SessionUser;
  deviceId?: string;
  hubUrl?: string;
  /** The PC's whole configuration (a test enrolled against a real hub); else hubUrl/deviceId. */
  cfg?: DeviceConfig;
  navigate?: (route: Route) => void;
  syncNow?: () => void;
}

/**
 * antd's styles go to an element outside the document. jsdom has no layout, so what they could
 * tell a test is only which elements CSS hides; but jsdom matches every antd rule against an
 * element each time anything asks for its computed style — testing-library's role queries for
 * every candidate, rc-trigger for every ancestor — and in a profile of a project screen test
 * that was over half the time: the file took 40 s alone and timed out on a loaded 2-core CI
 * machine; without the rules, 14 s, every assertion the same. What a user sees in a real
 * browser, antd's CSS included, is checked by the journeys in Chromium (e2e/).
 */
const stylesOutsideTheDocument = document.createElement('div');

/** testing-library's render, with antd's styles kept outside the document (above). */
export function renderScreen(ui: ReactElement): RenderResult {
  return render(<StyleProvider container={stylesOutsideTheDocument}>{ui}</StyleProvider>);
}

/** Renders `ui` inside the app's context as the signed-in `user` on a PC that is offline. */
export function renderInApp(ui: ReactElement, opts: InAppOptions): RenderResult {
  const ctx = {
    db: opts.db ?? null,
    // Port 1 refuses at once: screens behave as on a PC whose hub is unreachable.
    cfg: opts.cfg ?? {
      hubUrl: opts.hubUrl ?? 'http://127.0.0.1:1',
      deviceId: opts.deviceId ?? 'dev-here',
    },
    user: { username: opts.user.userId, ...opts.user } as SessionUser,
    syncNow: opts.syncNow ?? (() => undefined),
    navigate: opts.navigate ?? (() => undefined),
    changeDeviceConfig: () => undefined,
  } as unknown as AppCtx;
  return renderScreen(<AppContext.Provider value={ctx}>{ui}</AppContext.Provider>);
}
