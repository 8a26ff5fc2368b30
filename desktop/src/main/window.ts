/** The one app window, with the security checklist's webPreferences. */
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './origin';

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  safeDialogs: true,
} as const;

export function createMainWindow(preloadPath: string, devTools: boolean): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    title: '四办通',
    show: false,
    backgroundColor: '#f5f5f5',
    autoHideMenuBar: true,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath, devTools },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/**
 * The citizen's rating window (ratingScreen.ts): the same app page at `#rating`, full-screen
 * on the given display, without menu or devtools, same secure preferences and preload.
 */
export function createRatingWindow(
  preloadPath: string,
  display: { bounds: { x: number; y: number; width: number; height: number } } | null,
): BrowserWindow {
  const win = new BrowserWindow({
    ...(display ? display.bounds : { width: 1024, height: 768 }),
    title: '四办通 · 请您评价',
    show: false,
    fullscreen: true,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath, devTools: false },
  });
  void win.loadURL(`${APP_ENTRY_URL}#rating`);
  return win;
}
