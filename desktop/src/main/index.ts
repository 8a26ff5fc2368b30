/**
 * Electron main process: small on purpose. Each job lives in its own module; this file wires
 * them in order (scheme before ready, single-instance lock, session policy, window, IPC,
 * updates). See docs/electron-security.md.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BrowserWindow,
  app,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
} from 'electron';
import { IPC } from '../bridge/ipcChannels';
import { buildCsp, securityHeaders } from './csp';
import { handleTrusted, onTrusted } from './ipcGuard';
import { createLogger } from './logger';
import { installNavigationGuard } from './navigationGuard';
import { isAppUrl } from './origin';
import { installPermissionPolicy } from './permissions';
import { printWindow, printWindowToPdf } from './printing';
import { registerAppScheme, serveAppProtocol } from './protocol';
import { createSecretStore } from './secrets';
import { loadOrCreateDeviceKey, loadSettings, saveSettings } from './settings';
import { createElectronUpdater } from './updates/electronUpdater';
import { createUpdateController } from './updates/updateController';
import { createMainWindow, createRatingWindow } from './window';
import { RatingScreen } from './ratingScreen';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.join(here, '../renderer');
const preloadPath = path.join(here, '../preload/index.cjs');

// Must happen before 'ready'. A fixed ASCII data folder (%APPDATA%/Sibantong, ~/.config/Sibantong)
// whatever the package name: IT's guide points there for settings and logs.
app.setName('四办通');
app.setPath('userData', path.join(app.getPath('appData'), 'Sibantong'));
app.setAppLogsPath(path.join(app.getPath('userData'), 'logs'));
registerAppScheme(protocol);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  const log = createLogger(app.getPath('logs'));
  log.info('starting', {
    version: app.getVersion(),
    platform: process.platform,
    arch: process.arch,
  });
  process.on('uncaughtException', (e) => log.error('uncaught exception', { error: e }));
  process.on('unhandledRejection', (e) => log.error('unhandled rejection', { error: e as Error }));

  let win: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  // Every webContents (including any Electron creates later) gets the navigation guard.
  app.on('web-contents-created', (_e, contents) => installNavigationGuard(contents, shell, log));

  await app.whenReady();
  const userData = app.getPath('userData');
  let settings = loadSettings(userData);
  const deviceKey = loadOrCreateDeviceKey(userData);
  const csp = () =>
    buildCsp({
      insecureHubOrigin:
        settings.allowInsecureHub && settings.hubUrl?.startsWith('http:')
          ? new URL(settings.hubUrl).origin
          : null,
    });

  const ses = session.defaultSession;
  installPermissionPolicy(ses, log);
  serveAppProtocol(protocol, rendererRoot, csp);
  ses.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url)) return callback({});
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const [k, v] of Object.entries(securityHeaders(csp()))) headers[k] = [v];
    callback({ responseHeaders: headers });
  });

  win = createMainWindow(preloadPath, !app.isPackaged);
  win.on('closed', () => {
    win = null;
    // The rating window belongs to the clerk's: it never outlives it.
    rating.close();
  });

  const secrets = createSecretStore(safeStorage, log);
  const updates = createUpdateController({
    updater: createElectronUpdater(log),
    deviceKey,
    appVersion: app.getVersion(),
    log,
    send: (state) => {
      for (const w of BrowserWindow.getAllWindows()) w.webContents.send(IPC.updateState, state);
    },
  });
  const startUpdates = () => {
    if (!settings.hubUrl) return;
    try {
      updates.configure(settings.hubUrl, settings.updateChannel, settings.allowInsecureHub);
      updates.start(settings.updateCheckHours);
    } catch (e) {
      log.warn('update feed not configured', { error: e as Error });
    }
  };

  const senderWindow = (e: Electron.IpcMainInvokeEvent) => {
    const w = BrowserWindow.fromWebContents(e.sender);
    if (!w) throw new Error('NO_WINDOW');
    return w;
  };
  handleTrusted(ipcMain, IPC.appVersion, log, () => app.getVersion());
  handleTrusted(ipcMain, IPC.deviceKey, log, () => deviceKey);
  handleTrusted(ipcMain, IPC.print, log, (e) => printWindow(senderWindow(e)));
  handleTrusted(ipcMain, IPC.printToPdf, log, (e, name: unknown) =>
    printWindowToPdf(senderWindow(e), dialog, app.getPath('documents'), String(name ?? '')),
  );
  handleTrusted(ipcMain, IPC.protectSecret, log, (_e, plain: string) => secrets.protect(plain));
  handleTrusted(ipcMain, IPC.unprotectSecret, log, (_e, sealed: string) =>
    secrets.unprotect(sealed),
  );
  onTrusted(ipcMain, IPC.setDirty, log, (_e, dirty: unknown) => updates.setDirty(dirty === true));
  handleTrusted(ipcMain, IPC.checkForUpdates, log, async (_e, hubUrl: unknown) => {
    if (typeof hubUrl === 'string' && hubUrl.length <= 2048 && hubUrl !== settings.hubUrl) {
      settings = { ...settings, hubUrl };
      saveSettings(userData, settings);
    }
    if (!settings.hubUrl) return;
    try {
      updates.configure(settings.hubUrl, settings.updateChannel, settings.allowInsecureHub);
    } catch (err) {
      updates.fail(err);
      return;
    }
    updates.start(settings.updateCheckHours);
    await updates.checkNow();
  });
  handleTrusted(ipcMain, IPC.installUpdateNow, log, () => {
    updates.requestInstall();
  });

  const rating = new RatingScreen({
    createWindow: (display, onClosed) => {
      const w = createRatingWindow(preloadPath, display);
      w.on('closed', onClosed);
      return {
        webContents: w.webContents,
        isDestroyed: () => w.isDestroyed(),
        show: () => w.show(),
        focus: () => w.focus(),
        close: () => w.close(),
        whenLoaded: (fn) => {
          if (w.webContents.isLoading()) w.webContents.once('did-finish-load', fn);
          else fn();
        },
      };
    },
    displays: () => screen.getAllDisplays(),
    displayOf: (opener) => {
      const w = BrowserWindow.getAllWindows().find((x) => x.webContents.id === opener.id);
      return w ? screen.getDisplayMatching(w.getBounds()).id : screen.getPrimaryDisplay().id;
    },
    channels: { show: IPC.ratingShow, result: IPC.ratingResult },
    log,
  });
  handleTrusted(ipcMain, IPC.ratingOpen, log, (e, request: unknown) =>
    rating.open(e.sender, request),
  );
  handleTrusted(ipcMain, IPC.ratingCancel, log, (e) => rating.cancel(e.sender));
  handleTrusted(ipcMain, IPC.ratingCurrent, log, (e) => rating.current(e.sender));
  handleTrusted(ipcMain, IPC.ratingSubmit, log, (e, submission: unknown) => {
    rating.submit(e.sender, submission);
  });

  startUpdates();

  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (!win) win = createMainWindow(preloadPath, !app.isPackaged);
  });
}
