/**
 * The typed preload bridge exposed as `window.sibantong` by desktop/src/preload. The renderer
 * must also run without it (plain Chromium): every use goes through getBridge(), which
 * returns null there, and the renderer falls back (window.print, a generated device id, …).
 */
import type { RatingRequest, RatingSubmission } from '@sibantong/shared/rating/index';

export type UpdateState =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'none'; checkedAt: string }
  | { kind: 'available'; version: string }
  | { kind: 'downloading'; version: string; percent: number; bytesPerSecond: number }
  | {
      kind: 'downloaded';
      version: string;
      installOnQuit: boolean;
      /** Set when "install now" was asked while a form held unsaved input: it runs once the form is saved. */
      installDeferred?: boolean;
    }
  | { kind: 'error'; code: string; message: string };

export interface SibantongBridge {
  appVersion(): Promise<string>;
  /** Stable id of this installation, kept by the main process. */
  deviceKey(): Promise<string>;
  /** Print the current window (system dialog). */
  print(): Promise<{ ok: boolean; error?: string }>;
  /** Save the current window as PDF; resolves with the path written, or null if cancelled. */
  printToPdf(suggestedName: string): Promise<{ ok: boolean; path?: string; error?: string }>;
  /** Secret storage bound to the OS user (Electron safeStorage), for the device secret and data key. */
  protectSecret(plain: string): Promise<string>;
  unprotectSecret(sealed: string): Promise<string>;
  /** Tell main whether a form holds unsaved input, so an update never restarts over it. */
  setDirty(dirty: boolean): void;
  /** Configure the update feed (hub address) and check now. */
  checkForUpdates(hubUrl: string): Promise<void>;
  /**
   * Restart into the downloaded update. Never over a dirty form: while setDirty(true) is in
   * force the install is deferred (state.installDeferred) and runs once the form is clean.
   */
  installUpdateNow(): Promise<void>;
  onUpdateState(listener: (state: UpdateState) => void): () => void;
  /** Clerk's window: open the citizen's rating screen (second display when present). */
  openRatingScreen(request: RatingRequest): Promise<{ ok: true; secondDisplay: boolean }>;
  cancelRating(): Promise<void>;
  /** Clerk's window: the citizen's rating, as main forwarded it from the rating window. */
  onRatingResult(listener: (submission: unknown) => void): () => void;
  /** Rating window: the case to rate (null: idle). */
  onRatingRequest(listener: (request: unknown) => void): () => void;
  /** Rating window: the open request when the page starts (null: none). */
  currentRatingRequest(): Promise<unknown>;
  /** Rating window: send the citizen's choice. */
  submitRating(submission: RatingSubmission): Promise<void>;
}

declare global {
  interface Window {
    sibantong?: SibantongBridge;
  }
}

export function getBridge(): SibantongBridge | null {
  return typeof window !== 'undefined' && window.sibantong ? window.sibantong : null;
}
