/**
 * Navigation, new windows and external links. The app window only ever shows app://sibantong;
 * everything else is refused in-app, and only allow-listed public pages may be handed to the
 * system browser. Pure decisions first (tested table-driven without Electron), then the small
 * installer that wires them to a webContents.
 */
import type { Event, Shell, WebContents } from 'electron';
import { isAppUrl, parseUrl } from './origin';

/**
 * Pages staff may open in the system browser (government service portals). Exact https hosts
 * only; no sub-domain wildcards, no credentials, default port.
 */
export const EXTERNAL_ALLOW_LIST: readonly string[] = [
  'www.gov.cn',
  'zwfw.gov.cn',
  'www.zwfw.gov.cn',
  'gjzwfw.www.gov.cn',
];

/** May the app window itself navigate to this URL? Only within app://sibantong. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** May this URL be handed to shell.openExternal? */
export function isAllowedExternal(
  url: string,
  allowList: readonly string[] = EXTERNAL_ALLOW_LIST,
): boolean {
  const u = parseUrl(url);
  return (
    u !== null &&
    u.protocol === 'https:' &&
    u.port === '' &&
    u.username === '' &&
    u.password === '' &&
    allowList.includes(u.hostname.toLowerCase())
  );
}

export type OpenDecision = { action: 'deny'; openExternally: boolean };

/** window.open / target=_blank: never a new Electron window; allow-listed pages go to the browser. */
export function decideWindowOpen(url: string, allowList?: readonly string[]): OpenDecision {
  return { action: 'deny', openExternally: isAllowedExternal(url, allowList) };
}

export interface GuardLog {
  warn(message: string, meta?: Record<string, unknown>): void;
}

/** Wires the decisions to one webContents (called for every webContents Electron creates). */
export function installNavigationGuard(
  contents: WebContents,
  shell: Pick<Shell, 'openExternal'>,
  log: GuardLog,
): void {
  const refuseUnlessApp = (kind: string) => (event: Event, url: string) => {
    if (isAllowedNavigation(url)) return;
    event.preventDefault();
    log.warn(`navigation refused (${kind})`, { url });
    if (isAllowedExternal(url)) void shell.openExternal(url);
  };
  contents.on('will-navigate', refuseUnlessApp('will-navigate'));
  contents.on('will-redirect', refuseUnlessApp('will-redirect'));
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) {
      event.preventDefault();
      log.warn('frame navigation refused', { url: event.url });
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally) void shell.openExternal(url);
    else log.warn('window.open refused', { url });
    return { action: 'deny' };
  });
}
