/**
 * The citizen's rating screen in main: which display it goes to, and that only the rating
 * window itself can produce a rating — a clerk's window, a stale session or a malformed
 * message is refused, and a valid answer reaches the clerk's window that asked.
 */
import { describe, expect, it } from 'vitest';
import {
  RatingScreen,
  pickRatingDisplay,
  type ContentsLike,
  type DisplayLike,
  type RatingWindowLike,
} from '../../src/main/ratingScreen';
import { silentLog } from './fakes';

class Contents implements ContentsLike {
  sent: Array<[string, unknown]> = [];
  destroyed = false;
  constructor(readonly id: number) {}
  send(channel: string, data: unknown) {
    this.sent.push([channel, data]);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

const DISPLAYS: DisplayLike[] = [
  { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } },
  { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 800 } },
];

const request = (over: Record<string, unknown> = {}) => ({
  kind: 'rating-request',
  sessionId: 's-1',
  caseId: 'case-1',
  provisionalNo: 'DQ01-20260302-001',
  matterName: '城乡居民养老保险参保登记',
  unitName: '东桥村',
  ...over,
});
const answer = (over: Record<string, unknown> = {}) => ({
  kind: 'rating-submit',
  sessionId: 's-1',
  caseId: 'case-1',
  level: 5,
  reasons: ['slow'],
  realName: true,
  ...over,
});

function setup(displays = DISPLAYS) {
  const created: Array<{
    display: DisplayLike | null;
    win: RatingWindowLike & { contents: Contents };
  }> = [];
  let next = 100;
  const screen = new RatingScreen({
    createWindow: (display) => {
      const contents = new Contents(next++);
      const win = {
        contents,
        webContents: contents,
        isDestroyed: () => false,
        show() {},
        focus() {},
        close() {},
        whenLoaded: (fn: () => void) => fn(),
      };
      created.push({ display, win });
      return win;
    },
    displays: () => displays,
    displayOf: () => 1,
    channels: { show: 'show', result: 'result' },
    log: silentLog,
  });
  return { screen, created };
}

describe('rating screen (main)', () => {
  it('goes to the second display, or full-screen on the clerk’s when there is only one', () => {
    expect(pickRatingDisplay(DISPLAYS, 1)).toEqual({ display: DISPLAYS[1], second: true });
    expect(pickRatingDisplay(DISPLAYS, 2)).toEqual({ display: DISPLAYS[0], second: true });
    expect(pickRatingDisplay([DISPLAYS[0]!], 1)).toEqual({ display: DISPLAYS[0], second: false });
    const { screen, created } = setup([DISPLAYS[0]!]);
    expect(screen.open(new Contents(1), request())).toEqual({ ok: true, secondDisplay: false });
    expect(created[0]!.display).toBe(DISPLAYS[0]);
  });

  it('shows the case on the citizen’s window and forwards the citizen’s answer to the clerk', () => {
    const { screen, created } = setup();
    const clerk = new Contents(1);
    expect(screen.open(clerk, request())).toEqual({ ok: true, secondDisplay: true });
    const citizen = created[0]!.win.contents;
    expect(citizen.sent).toEqual([['show', request()]]);
    // A page that started late asks for the open request; nobody else gets it.
    expect(screen.current(citizen)).toEqual(request());
    expect(screen.current(clerk)).toBeNull();
    screen.submit(citizen, answer());
    expect(clerk.sent).toEqual([['result', answer()]]);
    // One rating per request: the same answer again is refused.
    expect(() => screen.submit(citizen, answer())).toThrow(/RATING_NOT_REQUESTED/);
  });

  it('refuses a rating that does not come from the rating window', () => {
    const { screen } = setup();
    const clerk = new Contents(1);
    screen.open(clerk, request());
    expect(() => screen.submit(clerk, answer())).toThrow(/RATING_NOT_FROM_CITIZEN_SCREEN/);
    expect(clerk.sent).toEqual([]);
  });

  it('refuses malformed messages, other cases and a cancelled request', () => {
    const { screen, created } = setup();
    const clerk = new Contents(1);
    expect(() => screen.open(clerk, request({ caseId: '' }))).toThrow(
      expect.objectContaining({ code: 'RATING_MESSAGE_INVALID' }),
    );
    screen.open(clerk, request());
    const citizen = created[0]!.win.contents;
    expect(() => screen.submit(citizen, answer({ level: 5, reasons: [] }))).toThrow(
      expect.objectContaining({ code: 'RATING_MESSAGE_INVALID' }),
    );
    expect(() => screen.submit(citizen, answer({ caseId: 'case-2' }))).toThrow(
      /RATING_NOT_REQUESTED/,
    );
    screen.cancel(clerk);
    expect(citizen.sent.at(-1)).toEqual(['show', null]);
    expect(() => screen.submit(citizen, answer())).toThrow(/RATING_NOT_REQUESTED/);
    expect(clerk.sent).toEqual([]);
  });
});
