/** A real CouchDB 3 reached at COUCHDB_URL (credentials in the URL). */
import type { DocumentScope, ServerScope } from 'nano';
import { fetchVersion, nanoFor, waitForStore } from './connect.js';
import { dbName, type DbKey, type Store } from './store.js';

export class CouchStore implements Store {
  readonly kind = 'couchdb' as const;
  private readonly nano: ServerScope;
  constructor(
    private readonly url: string,
    readonly prefix: string,
  ) {
    this.nano = nanoFor(url.replace(/\/+$/, ''));
  }
  baseUrl(): string {
    return this.url.replace(/\/+$/, '');
  }
  server(): ServerScope {
    return this.nano;
  }
  db<D extends object = Record<string, unknown>>(key: DbKey): DocumentScope<D> {
    return this.nano.use<D>(dbName(this.prefix, key));
  }
  async version(): Promise<string> {
    return `CouchDB ${await fetchVersion(this.url)}`;
  }
  waitReady(timeoutMs: number): Promise<void> {
    return waitForStore(() => this.url, timeoutMs, 200);
  }
  async close(): Promise<void> {}
}
