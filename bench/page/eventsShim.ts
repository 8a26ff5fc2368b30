/**
 * Minimal Node `events` for pouchdb-browser in the bench page (the npm `events` polyfill is
 * not installed in this workspace, and Vite does not polyfill Node built-ins).
 */
type Listener = (...args: unknown[]) => void;

export class EventEmitter {
  private _ev?: Map<string | symbol, Listener[]>;
  private _max = 10;
  // Lazily created: PouchDB also mixes these methods into objects that never ran a constructor.
  private get _events(): Map<string | symbol, Listener[]> {
    return (this._ev ??= new Map());
  }
  static defaultMaxListeners = 10;

  on(name: string | symbol, fn: Listener): this {
    const list = this._events.get(name) ?? [];
    list.push(fn);
    this._events.set(name, list);
    return this;
  }
  addListener(name: string | symbol, fn: Listener): this {
    return this.on(name, fn);
  }
  prependListener(name: string | symbol, fn: Listener): this {
    this._events.set(name, [fn, ...(this._events.get(name) ?? [])]);
    return this;
  }
  once(name: string | symbol, fn: Listener): this {
    const wrapper: Listener & { listener?: Listener } = (...args) => {
      this.removeListener(name, wrapper);
      fn.apply(this, args);
    };
    wrapper.listener = fn;
    return this.on(name, wrapper);
  }
  off(name: string | symbol, fn: Listener): this {
    return this.removeListener(name, fn);
  }
  removeListener(name: string | symbol, fn: Listener): this {
    const list = this._events.get(name);
    if (!list) return this;
    const i = list.findIndex((l) => l === fn || (l as { listener?: Listener }).listener === fn);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this._events.delete(name);
    return this;
  }
  removeAllListeners(name?: string | symbol): this {
    if (name === undefined) this._events.clear();
    else this._events.delete(name);
    return this;
  }
  emit(name: string | symbol, ...args: unknown[]): boolean {
    const list = this._events.get(name);
    if (!list || list.length === 0) {
      if (name === 'error') throw args[0] instanceof Error ? args[0] : new Error(String(args[0]));
      return false;
    }
    for (const fn of [...list]) fn.apply(this, args);
    return true;
  }
  listeners(name: string | symbol): Listener[] {
    return [...(this._events.get(name) ?? [])];
  }
  listenerCount(name: string | symbol): number {
    return this._events.get(name)?.length ?? 0;
  }
  setMaxListeners(n: number): this {
    this._max = n;
    return this;
  }
  getMaxListeners(): number {
    return this._max;
  }
  eventNames(): Array<string | symbol> {
    return [...this._events.keys()];
  }
}

// Node's EventEmitter methods are enumerable; PouchDB copies them with Object.keys.
for (const key of Object.getOwnPropertyNames(EventEmitter.prototype)) {
  if (key === 'constructor' || key === '_events') continue;
  const d = Object.getOwnPropertyDescriptor(EventEmitter.prototype, key)!;
  Object.defineProperty(EventEmitter.prototype, key, { ...d, enumerable: true });
}

export default EventEmitter;
