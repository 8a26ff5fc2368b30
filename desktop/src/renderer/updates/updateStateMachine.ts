/**
 * Pure update logic shared by the main process (desktop/src/main/updates) and the renderer:
 * electron-updater's events and the "a form holds unsaved input" flag in, the UpdateState
 * shown to staff and the decision "may we restart into the update now?" out. No I/O, no
 * Electron: tested in desktop/test/main/updateStateMachine.test.ts.
 */
import type { UpdateState } from '../../bridge/bridgeApi';

export type UpdaterEvent =
  | { type: 'checking' }
  | { type: 'not-available' }
  | { type: 'available'; version: string }
  | { type: 'progress'; percent: number; bytesPerSecond: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; error: unknown }
  /** The renderer's bridge.setDirty(). */
  | { type: 'dirty'; dirty: boolean }
  /** Staff pressed "restart and install" (bridge.installUpdateNow()). */
  | { type: 'install-requested' };

export interface UpdateMachine {
  state: UpdateState;
  dirty: boolean;
  /** Version announced by update-available, for the progress events that follow. */
  version: string | null;
  installDeferred: boolean;
}

export interface UpdateStep {
  machine: UpdateMachine;
  /** 'install' = call autoUpdater.quitAndInstall() now. */
  effect: 'install' | null;
}

export const initialUpdateMachine: UpdateMachine = {
  state: { kind: 'idle' },
  dirty: false,
  version: null,
  installDeferred: false,
};

export interface UpdateErrorInfo {
  code: string;
  message: string;
}

const UNREACHABLE =
  /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN|net::ERR_(CONNECTION|NAME_NOT_RESOLVED|INTERNET_DISCONNECTED|ADDRESS_UNREACHABLE|NETWORK|TIMED_OUT|PROXY)|socket hang up/i;

/** Maps electron-updater / network errors to a stable code and a Chinese message for staff. */
export function classifyUpdateError(error: unknown): UpdateErrorInfo {
  const e = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
    messageZh?: unknown;
    statusCode?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : '';
  // Our own errors (e.g. UPDATE_HUB_INSECURE from the feed address check) pass through.
  if (code.startsWith('UPDATE_') && typeof e.messageZh === 'string') {
    return { code, message: e.messageZh };
  }
  const message = typeof e.message === 'string' ? e.message : String(error);
  const status = typeof e.statusCode === 'number' ? e.statusCode : null;
  if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' || status === 404) {
    return {
      code: 'UPDATE_FEED_NOT_FOUND',
      message: '县级服务中心尚未发布适用于本机的更新，暂无需处理。',
    };
  }
  if (code === 'ERR_CHECKSUM_MISMATCH' || /sha512 checksum mismatch/i.test(message)) {
    return {
      code: 'UPDATE_CHECKSUM_MISMATCH',
      message: '下载的更新包校验失败，已丢弃，稍后将重新下载。',
    };
  }
  if (
    code === 'ERR_UPDATER_INVALID_SIGNATURE' ||
    /not signed by the application owner/i.test(message)
  ) {
    return {
      code: 'UPDATE_SIGNATURE_INVALID',
      message: '更新包的数字签名不正确，已拒绝安装，请联系县信息管理员。',
    };
  }
  if (UNREACHABLE.test(code) || UNREACHABLE.test(message) || (status !== null && status >= 500)) {
    return {
      code: 'UPDATE_HUB_UNREACHABLE',
      message: '无法连接县级服务中心检查更新，将在稍后自动重试；不影响离线办件。',
    };
  }
  return { code: 'UPDATE_FAILED', message: `检查或下载更新失败：${message}` };
}

function withState(m: UpdateMachine, state: UpdateState): UpdateMachine {
  return { ...m, state };
}

export function reduceUpdate(
  m: UpdateMachine,
  event: UpdaterEvent,
  now: Date = new Date(),
): UpdateStep {
  const downloaded = m.state.kind === 'downloaded' ? m.state : null;
  switch (event.type) {
    case 'dirty': {
      const next: UpdateMachine = { ...m, dirty: event.dirty };
      if (!event.dirty && downloaded && m.installDeferred) {
        return {
          machine: withState(
            { ...next, installDeferred: false },
            { ...downloaded, installDeferred: false },
          ),
          effect: 'install',
        };
      }
      return { machine: next, effect: null };
    }
    case 'install-requested': {
      if (!downloaded) return { machine: m, effect: null };
      if (m.dirty) {
        return {
          machine: withState(
            { ...m, installDeferred: true },
            { ...downloaded, installDeferred: true },
          ),
          effect: null,
        };
      }
      return { machine: m, effect: 'install' };
    }
    // A downloaded update stays on screen: later periodic checks do not hide it.
    case 'checking':
      return { machine: downloaded ? m : withState(m, { kind: 'checking' }), effect: null };
    case 'not-available':
      return {
        machine: downloaded ? m : withState(m, { kind: 'none', checkedAt: now.toISOString() }),
        effect: null,
      };
    case 'available':
      if (downloaded && downloaded.version === event.version) return { machine: m, effect: null };
      return {
        machine: withState(
          { ...m, version: event.version },
          { kind: 'available', version: event.version },
        ),
        effect: null,
      };
    case 'progress': {
      if (downloaded) return { machine: m, effect: null };
      const percent = Math.max(
        0,
        Math.min(100, Number.isFinite(event.percent) ? event.percent : 0),
      );
      return {
        machine: withState(m, {
          kind: 'downloading',
          version: m.version ?? '',
          percent: Math.round(percent * 10) / 10,
          bytesPerSecond: Math.max(0, Math.round(event.bytesPerSecond || 0)),
        }),
        effect: null,
      };
    }
    case 'downloaded':
      return {
        machine: withState(
          { ...m, version: event.version, installDeferred: false },
          { kind: 'downloaded', version: event.version, installOnQuit: true },
        ),
        effect: null,
      };
    case 'error': {
      if (downloaded) return { machine: m, effect: null };
      const info = classifyUpdateError(event.error);
      return { machine: withState(m, { kind: 'error', ...info }), effect: null };
    }
  }
}

/** True when restarting into the update would lose nothing. */
export function canInstallNow(m: UpdateMachine): boolean {
  return m.state.kind === 'downloaded' && !m.dirty;
}
