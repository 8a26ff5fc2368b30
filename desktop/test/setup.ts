// Renderer tests run in jsdom: give it IndexedDB, WebCrypto and matchMedia (antd needs it).
import 'fake-indexeddb/auto';
import { webcrypto } from 'node:crypto';

if (!globalThis.crypto?.subtle) {
  Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });
}
if (typeof window !== 'undefined' && !window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    configurable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }),
  });
}

// jsdom has no layout and no ResizeObserver: antd's TextArea, Select, DatePicker and modal
// observe sizes that never change here.
if (typeof window !== 'undefined') {
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
}

// A screen update behind an RxDB write can take over a second on a loaded 2-core CI machine;
// testing-library's default 1 s wait then fails tests that are right. A wait still fails when
// the screen never shows what the user expects.
if (typeof window !== 'undefined') {
  const { configure } = await import('@testing-library/react');
  configure({ asyncUtilTimeout: 5_000 });
  const { afterAll, afterEach } = await import('vitest');
  // antd's static message, notification and confirm render in React roots of their own, which
  // testing-library's cleanup does not unmount: a 提示 shown near a file's end closed 3 s later,
  // once jsdom was gone, and React's commit failed the whole run with "window is not defined"
  // (refusalCorrection.test.tsx, CI of stop 25). Closed after every test: their close timers
  // go, and the notices stay in their leave state (no transition ever ends in jsdom), so
  // nothing renders after this but the closing itself, which React commits now.
  afterEach(async () => {
    const { message, notification, Modal } = await import('antd');
    message.destroy();
    notification.destroy();
    Modal.destroyAll();
    const stillShown = () =>
      [...document.querySelectorAll('.ant-message-notice, .ant-notification-notice')].some(
        (n) => !/-leave-active\b/.test(n.className),
      );
    for (let i = 0; i < 100 && stillShown(); i += 1) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 30));
  });
  // What React still has queued when a file ends (a passive effect after the last commit, a
  // render behind an RxDB emission) runs on its scheduler after the file, once jsdom is gone,
  // and fails the whole run ("window is not defined", from whichever file runs next). The file
  // waits until React's scheduler has run everything queued before an idle-priority task, a few
  // times over, so that work queued by that work runs too.
  afterAll(async () => {
    const scheduler = (await import('scheduler' as string)) as {
      unstable_IdlePriority: number;
      unstable_scheduleCallback(priority: number, cb: () => null): unknown;
    };
    for (let i = 0; i < 3; i += 1) {
      await new Promise<void>((resolve) =>
        scheduler.unstable_scheduleCallback(scheduler.unstable_IdlePriority, () => {
          resolve();
          return null;
        }),
      );
      await new Promise((r) => setTimeout(r, 20));
    }
  });
}
