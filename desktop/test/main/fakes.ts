/** Minimal stand-ins for Electron objects, with Electron's event names. */
import { EventEmitter } from 'node:events';

export class FakeEvent {
  defaultPrevented = false;
  constructor(public url = '') {}
  preventDefault() {
    this.defaultPrevented = true;
  }
}

export class FakeWebContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: 'allow' | 'deny' }) {
    this.openHandler = h;
  }
}

export class FakeShell {
  opened: string[] = [];
  async openExternal(url: string) {
    this.opened.push(url);
  }
}

export const silentLog = {
  warnings: [] as string[],
  warn(message: string) {
    this.warnings.push(message);
  },
  info() {},
  error() {},
  debug() {},
};
