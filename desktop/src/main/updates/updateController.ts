/**
 * Main-side update adapter: drives electron-updater (or anything with its event names) against
 * the hub's generic feed, feeds its events through the pure state machine, forwards every new
 * state to the renderer, and restarts into an update only when no form is dirty.
 */
import type { UpdateState } from '../../bridge/bridgeApi';
import {
  type UpdateMachine,
  type UpdaterEvent,
  initialUpdateMachine,
  reduceUpdate,
} from '../../renderer/updates/updateStateMachine';
import { type UpdateChannel, updateFeedUrl } from './feedUrl';

/** The part of electron-updater's AppUpdater this controller uses. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  requestHeaders: Record<string, string> | null;
  setFeedURL(options: {
    provider: 'generic';
    url: string;
    useMultipleRangeRequest?: boolean;
  }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: UpdaterEventName, listener: (arg: unknown) => void): unknown;
}

export type UpdaterEventName =
  | 'checking-for-update'
  | 'update-not-available'
  | 'update-available'
  | 'download-progress'
  | 'update-downloaded'
  | 'error';

export const DEVICE_HEADER = 'X-Sibantong-Device';
export const VERSION_HEADER = 'X-Sibantong-Version';

export interface UpdateControllerDeps {
  updater: UpdaterLike;
  deviceKey: string;
  appVersion: string;
  send(state: UpdateState): void;
  log: {
    info(m: string, meta?: Record<string, unknown>): void;
    warn(m: string, meta?: Record<string, unknown>): void;
  };
  now?: () => Date;
  timers?: {
    setInterval(fn: () => void, ms: number): unknown;
    clearInterval(handle: unknown): void;
  };
}

export interface UpdateController {
  /** Points the updater at `${hubUrl}/updates/${channel}`; throws UpdateConfigError. */
  configure(hubUrl: string, channel: UpdateChannel, allowInsecure?: boolean): string;
  checkNow(): Promise<void>;
  /** Shows an error that happened outside electron-updater (e.g. a refused hub address). */
  fail(error: unknown): void;
  setDirty(dirty: boolean): void;
  /** Returns true when the install started, false when it was deferred (dirty form) or nothing is downloaded. */
  requestInstall(): boolean;
  /** Checks now and then every `hours`. */
  start(hours: number): void;
  stop(): void;
  readonly state: UpdateState;
  readonly feedUrl: string | null;
}

function versionOf(arg: unknown): string {
  const v = (arg as { version?: unknown } | null)?.version;
  return typeof v === 'string' ? v : '';
}

export function createUpdateController(deps: UpdateControllerDeps): UpdateController {
  const { updater, log } = deps;
  const now = deps.now ?? (() => new Date());
  const timers = deps.timers ?? {
    setInterval: (fn: () => void, ms: number) => {
      const h = setInterval(fn, ms);
      h.unref?.();
      return h;
    },
    clearInterval: (h: unknown) => clearInterval(h as ReturnType<typeof setInterval>),
  };
  let machine: UpdateMachine = initialUpdateMachine;
  let feedUrl: string | null = null;
  let timer: unknown = null;
  let inFlight: Promise<void> | null = null;

  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  // The hub's feed is authoritative: after `release rollback` devices that took the bad build
  // go back to the previous one.
  updater.allowDowngrade = true;

  const dispatch = (event: UpdaterEvent) => {
    const before = machine.state;
    const step = reduceUpdate(machine, event, now());
    machine = step.machine;
    if (machine.state !== before) deps.send(machine.state);
    if (step.effect === 'install') {
      log.info('restarting into update', { version: machine.version });
      updater.quitAndInstall(false, true);
    }
  };

  updater.on('checking-for-update', () => dispatch({ type: 'checking' }));
  updater.on('update-not-available', () => dispatch({ type: 'not-available' }));
  updater.on('update-available', (info) => {
    log.info('update available', { version: versionOf(info) });
    dispatch({ type: 'available', version: versionOf(info) });
  });
  updater.on('download-progress', (p) => {
    const progress = (p ?? {}) as { percent?: number; bytesPerSecond?: number };
    dispatch({
      type: 'progress',
      percent: progress.percent ?? 0,
      bytesPerSecond: progress.bytesPerSecond ?? 0,
    });
  });
  updater.on('update-downloaded', (info) => {
    log.info('update downloaded', { version: versionOf(info) });
    dispatch({ type: 'downloaded', version: versionOf(info) });
  });
  updater.on('error', (err) => {
    log.warn('updater error', { error: err instanceof Error ? err.message : String(err) });
    dispatch({ type: 'error', error: err });
  });

  const checkNow = (): Promise<void> => {
    if (!feedUrl) return Promise.resolve();
    if (inFlight) return inFlight;
    inFlight = updater
      .checkForUpdates()
      .then(() => undefined)
      .catch((err: unknown) => {
        // electron-updater emits 'error' too; this covers failures before it gets there.
        if (machine.state.kind !== 'error') dispatch({ type: 'error', error: err });
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  return {
    configure(hubUrl, channel, allowInsecure = false) {
      const url = updateFeedUrl(hubUrl, channel, allowInsecure);
      if (url !== feedUrl) {
        // The hub serves single byte ranges: differential downloads use one range per request.
        updater.setFeedURL({ provider: 'generic', url, useMultipleRangeRequest: false });
        feedUrl = url;
      }
      updater.requestHeaders = {
        [DEVICE_HEADER]: deps.deviceKey,
        [VERSION_HEADER]: deps.appVersion,
      };
      return url;
    },
    checkNow,
    fail(error) {
      dispatch({ type: 'error', error });
    },
    setDirty(dirty) {
      dispatch({ type: 'dirty', dirty });
    },
    requestInstall() {
      const wasDownloaded = machine.state.kind === 'downloaded';
      let installed = false;
      const before = machine.state;
      const step = reduceUpdate(machine, { type: 'install-requested' }, now());
      machine = step.machine;
      if (machine.state !== before) deps.send(machine.state);
      if (step.effect === 'install') {
        installed = true;
        log.info('restarting into update', { version: machine.version });
        updater.quitAndInstall(false, true);
      } else if (wasDownloaded) {
        log.info('install deferred: a form holds unsaved input');
      }
      return installed;
    },
    start(hours) {
      if (timer !== null) timers.clearInterval(timer);
      timer = timers.setInterval(() => void checkNow(), Math.max(0.25, hours) * 3600_000);
      void checkNow();
    },
    stop() {
      if (timer !== null) timers.clearInterval(timer);
      timer = null;
    },
    get state() {
      return machine.state;
    },
    get feedUrl() {
      return feedUrl;
    },
  };
}
