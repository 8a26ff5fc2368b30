/**
 * A provisioned store of its own for a test file that drives the hub's code in-process: the
 * embedded store in a temporary directory, or CouchDB at COUCHDB_URL under a fresh prefix.
 * Closing it removes what it made (every database under its prefix, its directory).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CouchStore } from '../../src/store/couchStore.js';
import { EmbeddedStore } from '../../src/store/embeddedStore.js';
import { provision } from '../../src/store/provision.js';
import type { Store } from '../../src/store/store.js';
import type { StoreMode } from './hubProcess.js';

export interface TestStore {
  store: Store & { close(): Promise<void> };
  close(): Promise<void>;
}

export async function openTestStore(mode: StoreMode, tag: string): Promise<TestStore> {
  const prefix = `t${randomBytes(4).toString('hex')}_`;
  let dataDir = '';
  let store: Store & { close(): Promise<void> };
  if (mode === 'embedded') {
    dataDir = mkdtempSync(path.join(tmpdir(), `sbt-${tag}-`));
    const embedded = new EmbeddedStore(dataDir, prefix, () => undefined);
    await embedded.start();
    store = embedded;
  } else {
    store = new CouchStore(process.env.COUCHDB_URL!, prefix);
  }
  await provision(store);
  return {
    store,
    async close() {
      if (mode === 'couchdb') {
        const server = store.server();
        for (const name of await server.db.list()) {
          if (name.startsWith(prefix)) await server.db.destroy(name).catch(() => undefined);
        }
      }
      await store.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
