/** The main-side adapter against a fake updater that emits electron-updater's event names. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { UpdateState } from '../../src/bridge/bridgeApi';
import { createUpdateController, type UpdaterLike } from '../../src/main/updates/updateController';
import { UpdateConfigError, updateFeedUrl } from '../../src/main/updates/feedUrl';
import { silentLog } from './fakes';

class FakeUpdater extends EventEmitter implements UpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  allowDowngrade = false;
  requestHeaders: Record<string, string> | null = null;
  feeds: string[] = [];
  feedOptions: unknown[] = [];
  checks = 0;
  installs: Array<[boolean | undefined, boolean | undefined]> = [];
  script: (u: FakeUpdater) => Promise<unknown> = async () => undefined;
  setFeedURL(o: { provider: 'generic'; url: string; useMultipleRangeRequest?: boolean }) {
    this.feeds.push(o.url);
    this.feedOptions.push(o);
  }
  checkForUpdates() {
    this.checks++;
    return this.script(this);
  }
  quitAndInstall(s?: boolean, f?: boolean) {
    this.installs.push([s, f]);
  }
}

function setup() {
  const updater = new FakeUpdater();
  const sent: UpdateState[] = [];
  const intervals: Array<{ fn: () => void; ms: number }> = [];
  const c = createUpdateController({
    updater,
    deviceKey: '3f1c8a52-0000-4000-8000-000000000001',
    appVersion: '1.0.0',
    send: (s) => sent.push(s),
    log: silentLog,
    now: () => new Date('2026-11-22T08:00:00Z'),
    timers: {
      setInterval: (fn, ms) => {
        intervals.push({ fn, ms });
        return intervals.length;
      },
      clearInterval: () => {},
    },
  });
  return { updater, sent, intervals, c };
}

describe('update controller', () => {
  it('configures electron-updater for the hub: generic feed, background download, install on quit, device header', () => {
    const { updater, c } = setup();
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.allowDowngrade).toBe(true);
    expect(c.configure('https://hub.county.gov.cn:8787/', 'pilot')).toBe(
      'https://hub.county.gov.cn:8787/updates/pilot',
    );
    expect(updater.feeds).toEqual(['https://hub.county.gov.cn:8787/updates/pilot']);
    expect(updater.feedOptions[0]).toMatchObject({
      provider: 'generic',
      useMultipleRangeRequest: false,
    });
    expect(updater.requestHeaders).toEqual({
      'X-Sibantong-Device': '3f1c8a52-0000-4000-8000-000000000001',
      'X-Sibantong-Version': '1.0.0',
    });
  });

  it('checks at start and every N hours; does nothing before a hub is known', async () => {
    const { updater, intervals, c } = setup();
    await c.checkNow();
    expect(updater.checks).toBe(0);
    c.configure('https://hub.example', 'stable');
    c.start(4);
    expect(intervals[0]!.ms).toBe(4 * 3600_000);
    await c.checkNow(); // joins the check already running
    expect(updater.checks).toBe(1);
    intervals[0]!.fn();
    await new Promise((r) => setTimeout(r, 0));
    expect(updater.checks).toBe(2);
  });

  it('forwards no-update, progress and downloaded states to the renderer', async () => {
    const { updater, sent, c } = setup();
    c.configure('https://hub.example', 'stable');
    updater.script = async (u) => {
      u.emit('checking-for-update');
      u.emit('update-not-available', { version: '1.0.0' });
    };
    await c.checkNow();
    expect(sent.map((s) => s.kind)).toEqual(['checking', 'none']);
    updater.script = async (u) => {
      u.emit('checking-for-update');
      u.emit('update-available', { version: '1.1.0' });
      u.emit('download-progress', { percent: 50, bytesPerSecond: 1000, total: 10, transferred: 5 });
      u.emit('update-downloaded', { version: '1.1.0' });
    };
    await c.checkNow();
    expect(sent.slice(2)).toEqual([
      { kind: 'checking' },
      { kind: 'available', version: '1.1.0' },
      { kind: 'downloading', version: '1.1.0', percent: 50, bytesPerSecond: 1000 },
      { kind: 'downloaded', version: '1.1.0', installOnQuit: true },
    ]);
  });

  it('hub unreachable: error event → UPDATE_HUB_UNREACHABLE, rejection swallowed', async () => {
    const { updater, sent, c } = setup();
    c.configure('https://hub.example', 'stable');
    updater.script = async (u) => {
      const err = Object.assign(new Error('net::ERR_CONNECTION_REFUSED'), {
        code: 'ERR_CONNECTION_REFUSED',
      });
      u.emit('checking-for-update');
      u.emit('error', err);
      throw err;
    };
    await expect(c.checkNow()).resolves.toBeUndefined();
    expect(sent.at(-1)).toMatchObject({ kind: 'error', code: 'UPDATE_HUB_UNREACHABLE' });
  });

  it('shows a refused hub address as an update error', () => {
    const { sent, c } = setup();
    try {
      c.configure('http://10.0.0.9:8787', 'stable');
    } catch (e) {
      c.fail(e);
    }
    expect(sent.at(-1)).toMatchObject({ kind: 'error', code: 'UPDATE_HUB_INSECURE' });
  });

  it('never restarts over a dirty form; installs when the form is clean again', () => {
    const { updater, c } = setup();
    updater.emit('update-downloaded', { version: '1.1.0' });
    c.setDirty(true);
    expect(c.requestInstall()).toBe(false);
    expect(updater.installs).toEqual([]);
    expect(c.state).toMatchObject({ installDeferred: true });
    c.setDirty(false);
    expect(updater.installs).toEqual([[false, true]]);
  });

  it('installs immediately when nothing is dirty', () => {
    const { updater, c } = setup();
    expect(c.requestInstall()).toBe(false); // nothing downloaded yet
    updater.emit('update-downloaded', { version: '1.1.0' });
    expect(c.requestInstall()).toBe(true);
    expect(updater.installs.length).toBe(1);
  });
});

describe('feed address', () => {
  const table: Array<[string, boolean, string]> = [
    ['https://hub.county.gov.cn', false, 'https://hub.county.gov.cn/updates/stable'],
    ['https://10.1.2.3:8787/', false, 'https://10.1.2.3:8787/updates/stable'],
    ['https://proxy.county/hub/', false, 'https://proxy.county/hub/updates/stable'],
    ['http://127.0.0.1:8787', false, 'http://127.0.0.1:8787/updates/stable'],
    ['http://localhost:8787', false, 'http://localhost:8787/updates/stable'],
    ['http://10.1.2.3:8787', true, 'http://10.1.2.3:8787/updates/stable'],
  ];
  for (const [hub, insecure, want] of table) {
    it(`${hub} → ${want}`, () => expect(updateFeedUrl(hub, 'stable', insecure)).toBe(want));
  }
  const refused: Array<[string, string]> = [
    ['http://10.1.2.3:8787', 'UPDATE_HUB_INSECURE'],
    ['ftp://hub', 'UPDATE_HUB_INVALID'],
    ['not a url', 'UPDATE_HUB_INVALID'],
    ['https://u:p@hub', 'UPDATE_HUB_INVALID'],
    ['https://hub/?x=1', 'UPDATE_HUB_INVALID'],
  ];
  for (const [hub, code] of refused) {
    it(`${hub} → ${code}`, () => {
      try {
        updateFeedUrl(hub, 'stable');
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(UpdateConfigError);
        expect((e as UpdateConfigError).code).toBe(code);
        expect((e as UpdateConfigError).messageZh).toMatch(/[\u4e00-\u9fff]/);
      }
    });
  }
});
