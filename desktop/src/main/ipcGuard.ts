/**
 * Every IPC message is checked against the sender frame's URL: only the top-level app
 * document (app://sibantong) may call main. A message from any other frame or origin is
 * refused and logged.
 */
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { isAppUrl } from './origin';

export const UNTRUSTED_SENDER = 'IPC_UNTRUSTED_SENDER';

/** Pure: is a message from a frame at this URL trusted? */
export function isTrustedSender(frameUrl: string | null | undefined): boolean {
  return isAppUrl(frameUrl ?? '');
}

interface FrameLike {
  url: string;
  parent: unknown;
}

/** Trusted = the frame still exists, is a top-level frame, and shows app://sibantong. */
export function isTrustedFrame(frame: FrameLike | null | undefined): boolean {
  return !!frame && frame.parent === null && isTrustedSender(frame.url);
}

export interface IpcLog {
  warn(message: string, meta?: Record<string, unknown>): void;
}

function senderUrl(frame: WebFrameMain | null): string | null {
  try {
    return frame?.url ?? null;
  } catch {
    return null;
  }
}

export function handleTrusted<A extends unknown[], R>(
  ipcMain: Pick<IpcMain, 'handle'>,
  channel: string,
  log: IpcLog,
  handler: (event: IpcMainInvokeEvent, ...args: A) => R | Promise<R>,
): void {
  ipcMain.handle(channel, (event, ...args) => {
    if (!isTrustedFrame(event.senderFrame)) {
      log.warn('IPC refused: untrusted sender', { channel, url: senderUrl(event.senderFrame) });
      throw new Error(`${UNTRUSTED_SENDER}: 拒绝来自非本应用页面的请求`);
    }
    return handler(event, ...(args as A));
  });
}

export function onTrusted<A extends unknown[]>(
  ipcMain: Pick<IpcMain, 'on'>,
  channel: string,
  log: IpcLog,
  listener: (event: IpcMainEvent, ...args: A) => void,
): void {
  ipcMain.on(channel, (event, ...args) => {
    if (!isTrustedFrame(event.senderFrame)) {
      log.warn('IPC refused: untrusted sender', { channel, url: senderUrl(event.senderFrame) });
      return;
    }
    listener(event, ...(args as A));
  });
}
