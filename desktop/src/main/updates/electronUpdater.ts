/** The real electron-updater instance behind UpdaterLike (NSIS on Windows, AppImage/deb on Linux). */
import electronUpdater from 'electron-updater';
import type { Logger } from '../logger';
import type { UpdaterLike } from './updateController';

export function createElectronUpdater(log: Logger): UpdaterLike {
  // electron-updater is CommonJS; its default export carries autoUpdater.
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = {
    info: (m?: unknown) => log.info(`updater: ${String(m)}`),
    warn: (m?: unknown) => log.warn(`updater: ${String(m)}`),
    error: (m?: unknown) => log.error(`updater: ${String(m)}`),
    debug: (m: string) => log.debug(`updater: ${m}`),
  };
  autoUpdater.disableWebInstaller = true;
  return {
    get autoDownload() {
      return autoUpdater.autoDownload;
    },
    set autoDownload(v) {
      autoUpdater.autoDownload = v;
    },
    get autoInstallOnAppQuit() {
      return autoUpdater.autoInstallOnAppQuit;
    },
    set autoInstallOnAppQuit(v) {
      autoUpdater.autoInstallOnAppQuit = v;
    },
    get allowDowngrade() {
      return autoUpdater.allowDowngrade;
    },
    set allowDowngrade(v) {
      autoUpdater.allowDowngrade = v;
    },
    get requestHeaders() {
      return (autoUpdater.requestHeaders as Record<string, string> | null) ?? null;
    },
    set requestHeaders(v) {
      autoUpdater.requestHeaders = v;
    },
    setFeedURL: (options) => autoUpdater.setFeedURL(options),
    checkForUpdates: () => autoUpdater.checkForUpdates(),
    quitAndInstall: (isSilent, isForceRunAfter) =>
      autoUpdater.quitAndInstall(isSilent, isForceRunAfter),
    on: (event, listener) => autoUpdater.on(event as 'error', listener as (e: Error) => void),
  };
}
