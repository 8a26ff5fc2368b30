/**
 * The citizen's rating screen (好差评 "一次一评", issue 16): a second window, full-screen on the
 * second display when there is one (the hall's 评价器 / the monitor facing the citizen), else
 * full-screen on the clerk's display (the clerk turns the screen). Main is the only link
 * between the two windows: the clerk's window asks for a rating, the rating window answers,
 * and main forwards the answer only when it comes from the rating window's own webContents and
 * passes the shared schema, for the case and session that was asked. So the clerk's window has
 * no way to produce a rating, and the event it writes records `channel: 'citizen_screen'`.
 */
import {
  parseRatingRequest,
  parseRatingSubmission,
  type RatingRequest,
  type RatingSubmission,
} from '@sibantong/shared/rating/index';

export interface DisplayLike {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

/** Where the rating window goes: the first display that is not the clerk's (pure). */
export function pickRatingDisplay(
  displays: readonly DisplayLike[],
  clerkDisplayId: number,
): { display: DisplayLike | null; second: boolean } {
  const other = displays.find((d) => d.id !== clerkDisplayId);
  if (other) return { display: other, second: true };
  return { display: displays.find((d) => d.id === clerkDisplayId) ?? null, second: false };
}

/** The parts of a webContents the controller uses (Electron's, or a test's). */
export interface ContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface RatingWindowLike {
  readonly webContents: ContentsLike;
  isDestroyed(): boolean;
  show(): void;
  focus(): void;
  close(): void;
  /** Runs `fn` once the page has loaded (at once if it already has). */
  whenLoaded(fn: () => void): void;
}

export interface RatingScreenDeps {
  /** Opens the rating window on the given display (null: the clerk's). */
  createWindow(display: DisplayLike | null, onClosed: () => void): RatingWindowLike;
  displays(): readonly DisplayLike[];
  displayOf(opener: ContentsLike): number;
  channels: { show: string; result: string };
  log: { warn(m: string, meta?: Record<string, unknown>): void };
}

export type RatingOpenResult = { ok: true; secondDisplay: boolean };

export class RatingScreen {
  private win: RatingWindowLike | null = null;
  private pending: { request: RatingRequest; opener: ContentsLike } | null = null;
  private secondDisplay = false;

  constructor(private readonly deps: RatingScreenDeps) {}

  /** The clerk's window asks the citizen to rate a case (throws RATING_MESSAGE_INVALID). */
  open(opener: ContentsLike, raw: unknown): RatingOpenResult {
    const request = parseRatingRequest(raw);
    this.pending = { request, opener };
    if (!this.win || this.win.isDestroyed()) {
      const { display, second } = pickRatingDisplay(
        this.deps.displays(),
        this.deps.displayOf(opener),
      );
      this.secondDisplay = second;
      this.win = this.deps.createWindow(display, () => {
        this.win = null;
      });
    }
    const win = this.win;
    win.whenLoaded(() => {
      if (!win.isDestroyed()) win.webContents.send(this.deps.channels.show, request);
    });
    win.show();
    win.focus();
    return { ok: true, secondDisplay: this.secondDisplay };
  }

  /**
   * The rating window answers. Refused (and logged) unless it comes from the rating window,
   * passes the schema and matches the open request; forwarded to the clerk's window otherwise.
   */
  submit(sender: ContentsLike, raw: unknown): RatingSubmission {
    if (!this.win || this.win.isDestroyed() || sender.id !== this.win.webContents.id) {
      this.deps.log.warn('rating refused: not from the rating window', { sender: sender.id });
      throw new Error('RATING_NOT_FROM_CITIZEN_SCREEN: 评价只能由申请人在评价屏上作出');
    }
    const submission = parseRatingSubmission(raw);
    const p = this.pending;
    if (
      !p ||
      p.request.sessionId !== submission.sessionId ||
      p.request.caseId !== submission.caseId
    )
      throw new Error('RATING_NOT_REQUESTED: 该评价请求已结束或不存在');
    this.pending = null;
    if (!p.opener.isDestroyed()) p.opener.send(this.deps.channels.result, submission);
    return submission;
  }

  /**
   * The open request, asked by the rating window when its page starts (a `show` sent before
   * the page listened would otherwise be lost). Null for any other sender.
   */
  current(sender: ContentsLike): RatingRequest | null {
    if (!this.win || this.win.isDestroyed() || sender.id !== this.win.webContents.id) return null;
    return this.pending?.request ?? null;
  }

  /** The clerk cancels: the rating window goes back to its idle screen. */
  cancel(opener: ContentsLike): void {
    if (this.pending?.opener.id !== opener.id) return;
    this.pending = null;
    if (this.win && !this.win.isDestroyed())
      this.win.webContents.send(this.deps.channels.show, null);
  }

  close(): void {
    if (this.win && !this.win.isDestroyed()) this.win.close();
    this.win = null;
  }
}
