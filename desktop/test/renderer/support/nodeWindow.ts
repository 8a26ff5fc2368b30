/**
 * The few browser globals the renderer's sync code touches, for tests that run it in Node's
 * environment (the real hub helpers need Node's own URL, which jsdom replaces): `window`
 * events (online/offline), `localStorage`, `navigator.onLine` and the Node EventSource.
 */
import { installNodeEventSource } from './nodeEventSource';

if (typeof globalThis.window === 'undefined') {
  const target = new EventTarget();
  Object.defineProperty(globalThis, 'window', { value: target, configurable: true });
}
if (typeof globalThis.localStorage === 'undefined') {
  const items = new Map<string, string>();
  const storage = {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, String(v)),
    removeItem: (k: string) => void items.delete(k),
    clear: () => items.clear(),
    key: (i: number) => [...items.keys()][i] ?? null,
    get length() {
      return items.size;
    },
  };
  Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true });
}
if (typeof globalThis.navigator === 'undefined') {
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true });
}
installNodeEventSource();
