import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { enrol, login, openClient, type Client } from './browser';
import { launchChromium } from './chromium';
import { startHub, type HubHandle } from './hub';
import { RENDERER_OUT, SCREENSHOT_DIR } from './paths';
import { buildCsp, securityHeaders } from '../../desktop/src/main/csp';
import { serveStatic } from './staticServer';

export interface World {
  hub: HubHandle;
  rendererUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Everything a journey needs: a real hub, the built renderer served over HTTP, Chromium. */
export async function startWorld(): Promise<World> {
  const hub = await startHub();
  // The app's own Content-Security-Policy, as Electron sends it: without it, code that needs
  // eval (e.g. a schema compiled at run time) passes here and fails in the real app.
  const web = await serveStatic(RENDERER_OUT, 0, securityHeaders(buildCsp()));
  const browser = await launchChromium();
  return {
    hub,
    rendererUrl: web.url,
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await web.close().catch(() => undefined);
      await hub.stop();
    },
  };
}

/** Screenshots for docs/screenshots, taken from what the app actually shows in the run. */
export async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

export const DEMO_PASSWORD = 'Demo@2026';
/** A valid resident ID (check digit computed per GB 11643) used for the demo applicant. */
export const DEMO_ID = '11010519491231002X';

/** A new desktop (its own browser context) enrolled for `unitId` and signed in as `username`. */
export async function signedInClient(
  w: World,
  unitId: string,
  deviceName: string,
  username: string,
): Promise<Client> {
  const c = await openClient(w.browser, w.rendererUrl);
  await enrol(c.page, w.hub.url, w.hub.enrolmentCode(unitId), deviceName);
  await login(c.page, username, DEMO_PASSWORD);
  return c;
}
