/**
 * The link between the clerk's window and the citizen's rating window. In Electron it runs
 * through main (main/ratingScreen.ts, which also places the window on the second display);
 * in a browser the clerk's window opens the rating page as a second window and the two talk
 * by postMessage, each accepting only messages from the other window of the same origin that
 * pass the shared schema (parseRatingRequest / parseRatingSubmission).
 */
import {
  parseRatingRequest,
  parseRatingSubmission,
  type RatingRequest,
  type RatingSubmission,
} from '@sibantong/shared';
import { getBridge } from '../../../bridge/bridgeApi';

export const RATING_HASH = '#rating';
const RATING_WINDOW_NAME = 'sibantong-rating';
const READY = 'rating-ready';

export interface RatingSession {
  /** 'second': Electron placed it on a second display; 'same': on the clerk's; 'window': browser. */
  where: 'second' | 'same' | 'window';
  /** Stop listening (after the rating arrived; the citizen's screen keeps its thanks). */
  detach(): void;
  /** The clerk gives up: stop listening and send the citizen's screen back to idle. */
  cancel(): void;
}

/** Is this page the citizen's rating window? */
export const isRatingPage = (): boolean => window.location.hash === RATING_HASH;

/**
 * Clerk's window: asks the citizen to rate. `onResult` gets the validated rating once; a
 * malformed or foreign message is ignored (`onIgnored` says why, for the clerk's screen).
 */
export async function requestCitizenRating(
  request: RatingRequest,
  onResult: (s: RatingSubmission) => void,
  onIgnored: (reason: string) => void = () => {},
): Promise<RatingSession> {
  const bridge = getBridge();
  const accept = (raw: unknown) => {
    try {
      const s = parseRatingSubmission(raw);
      if (s.sessionId !== request.sessionId || s.caseId !== request.caseId) return;
      onResult(s);
    } catch (e) {
      onIgnored((e as { messageZh?: string }).messageZh ?? String(e));
    }
  };
  if (bridge) {
    const off = bridge.onRatingResult(accept);
    const r = await bridge.openRatingScreen(request);
    return {
      where: r.secondDisplay ? 'second' : 'same',
      detach: off,
      cancel: () => {
        off();
        void bridge.cancelRating();
      },
    };
  }
  const url = `${window.location.pathname}${window.location.search}${RATING_HASH}`;
  const popup = window.open(url, RATING_WINDOW_NAME, 'popup=yes,width=1024,height=768');
  if (!popup) throw new Error('浏览器阻止了评价窗口，请允许本页面打开新窗口');
  const onMessage = (e: MessageEvent) => {
    if (e.source !== popup || e.origin !== window.location.origin) return;
    if (e.data === READY) popup.postMessage(request, window.location.origin);
    else accept(e.data);
  };
  window.addEventListener('message', onMessage);
  // The window may already be open and listening (a second rating): ask it straight away too.
  popup.postMessage(request, window.location.origin);
  return {
    where: 'window',
    detach: () => window.removeEventListener('message', onMessage),
    cancel: () => {
      window.removeEventListener('message', onMessage);
      popup.postMessage(null, window.location.origin);
    },
  };
}

/** Rating window: listens for the case to rate (null: back to idle). */
export function listenForRatingRequest(onRequest: (r: RatingRequest | null) => void): () => void {
  const take = (raw: unknown) => {
    if (raw === null) return onRequest(null);
    try {
      onRequest(parseRatingRequest(raw));
    } catch {
      // Not a request of ours: ignored.
    }
  };
  const bridge = getBridge();
  if (bridge) {
    const off = bridge.onRatingRequest(take);
    // A request sent before this page listened is asked for once.
    void bridge.currentRatingRequest().then((r) => {
      if (r !== null) take(r);
    });
    return off;
  }
  const opener = window.opener as Window | null;
  const onMessage = (e: MessageEvent) => {
    if (!opener || e.source !== opener || e.origin !== window.location.origin) return;
    take(e.data);
  };
  window.addEventListener('message', onMessage);
  opener?.postMessage(READY, window.location.origin);
  return () => window.removeEventListener('message', onMessage);
}

/** Rating window: sends the citizen's choice to the clerk's window. */
export async function sendCitizenRating(s: RatingSubmission): Promise<void> {
  const bridge = getBridge();
  if (bridge) return bridge.submitRating(s);
  const opener = window.opener as Window | null;
  if (!opener) throw new Error('评价窗口已与办件窗口断开，请工作人员重新打开');
  opener.postMessage(s, window.location.origin);
}
