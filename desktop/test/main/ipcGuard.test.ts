import { describe, expect, it } from 'vitest';
import {
  UNTRUSTED_SENDER,
  handleTrusted,
  isTrustedFrame,
  isTrustedSender,
  onTrusted,
} from '../../src/main/ipcGuard';
import { silentLog } from './fakes';

const SENDERS: Array<[string | null | undefined, boolean]> = [
  ['app://sibantong/index.html', true],
  ['app://sibantong/cases/1?tab=2#x', true],
  ['app://sibantong', true],
  ['app://evil/index.html', false],
  ['app://sibantong.evil/index.html', false],
  ['app://sibantong:1/index.html', false],
  ['https://sibantong/index.html', false],
  ['http://localhost:5173/', false],
  ['file:///work/main/desktop/out/renderer/index.html', false],
  ['about:blank', false],
  ['data:text/html,x', false],
  ['devtools://devtools/', false],
  ['', false],
  [null, false],
  [undefined, false],
];

class FakeIpcMain {
  handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  handle(channel: string, h: (event: unknown, ...args: unknown[]) => unknown) {
    this.handlers.set(channel, h);
  }
  on(channel: string, l: (event: unknown, ...args: unknown[]) => void) {
    this.listeners.set(channel, l);
    return this;
  }
}

describe('IPC sender check', () => {
  for (const [url, trusted] of SENDERS) {
    it(`${String(url)} → ${trusted ? 'trusted' : 'refused'}`, async () => {
      expect(isTrustedSender(url)).toBe(trusted);
      const ipc = new FakeIpcMain();
      let called = 0;
      handleTrusted(ipc as never, 'sbt:test', silentLog, (_e, x: number) => {
        called++;
        return x * 2;
      });
      onTrusted(ipc as never, 'sbt:notify', silentLog, () => {
        called++;
      });
      const event = { senderFrame: url === undefined ? null : { url, parent: null } };
      const invoke = async () => ipc.handlers.get('sbt:test')!(event, 21);
      if (trusted) {
        await expect(invoke()).resolves.toBe(42);
      } else {
        await expect(invoke()).rejects.toThrow(UNTRUSTED_SENDER);
      }
      ipc.listeners.get('sbt:notify')!(event);
      expect(called).toBe(trusted ? 2 : 0);
    });
  }

  it('refuses a sub-frame even when it shows the app origin, and a destroyed frame', () => {
    expect(isTrustedFrame({ url: 'app://sibantong/index.html', parent: {} })).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
    expect(isTrustedFrame({ url: 'app://sibantong/index.html', parent: null })).toBe(true);
  });
});
