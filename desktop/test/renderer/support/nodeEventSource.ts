/**
 * A minimal `EventSource` for Node (jsdom has none): reads the hub's server-sent events with
 * fetch and dispatches `open`, named events and `error` the way the browser does, so the
 * renderer's eventStream.ts runs unchanged. A device taken offline (deviceSessions) has its
 * streams cut, which the renderer sees as an error.
 */
import { deviceOfToken, onStreamOpened } from './deviceSessions';

type Listener = (ev: MessageEvent<string>) => void;

export class NodeEventSource {
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: Listener | null = null;
  readyState = 0;
  private readonly listeners = new Map<string, Listener[]>();
  private readonly ctrl = new AbortController();
  private closed = false;

  constructor(readonly url: string) {
    const token = new URL(url).searchParams.get('access_token') ?? '';
    const device = deviceOfToken(token);
    const forget = device ? onStreamOpened(device, () => this.fail()) : () => undefined;
    void this.run().finally(forget);
  }

  addEventListener(type: string, fn: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
    this.ctrl.abort();
  }

  private fail(): void {
    if (this.closed) return;
    this.close();
    this.onerror?.();
  }

  private dispatch(event: string, data: string): void {
    const ev = { data } as MessageEvent<string>;
    if (event === 'message') this.onmessage?.(ev);
    for (const fn of this.listeners.get(event) ?? []) fn(ev);
  }

  private async run(): Promise<void> {
    try {
      const res = await fetch(this.url, { signal: this.ctrl.signal });
      if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
      if (this.closed) return;
      this.readyState = 1;
      this.onopen?.();
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let idx: number;
        while ((idx = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, idx);
          buf = buf.slice(idx + 2);
          let event = 'message';
          let data = '';
          let any = false;
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) {
              data += line.slice(5).trimStart();
              any = true;
            }
          }
          if (any || event !== 'message') this.dispatch(event, data);
        }
      }
      this.fail();
    } catch {
      this.fail();
    }
  }
}

export function installNodeEventSource(): void {
  Object.defineProperty(globalThis, 'EventSource', {
    value: NodeEventSource,
    configurable: true,
    writable: true,
  });
}
