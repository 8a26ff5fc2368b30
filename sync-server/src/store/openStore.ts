/**
 * Picks the store: COUCHDB_URL → CouchDB; otherwise the embedded store, either attached to
 * the one a running hub supervises (CLI next to a running hub) or started here. Whichever it
 * is, the hub only ever sees it through the guard (id rule, at-rest sealing).
 */
import { COUNTY_KEY_DOC } from '../atRest/countyKey.js';
import { caseCodec, hubCodec } from '../atRest/docCodecs.js';
import { Keyring } from '../atRest/keyring.js';
import { projectCodec } from '../atRest/projectCodec.js';
import { ATTACHMENTS_DB_SUFFIX, fileCodec } from '../attachments/attachmentsDb.js';
import type { HubConfig } from '../config.js';
import { PROJECTS_DB_SUFFIX } from '../projects/projectsDb.js';
import { CouchStore } from './couchStore.js';
import { AttachedEmbeddedStore, EmbeddedStore, readEndpoint } from './embeddedStore.js';
import { GuardedStore } from './guardedStore.js';
import { TOKEN_KEY_DOC } from './provision.js';
import type { Store } from './store.js';

export interface OpenOptions {
  /** CLI: use a running hub's store when there is one. */
  attachIfRunning: boolean;
}

function alive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function openStore(config: HubConfig, opts: OpenOptions): Promise<GuardedStore> {
  const keyring = Keyring.forDataDir(config.dataDir);
  const inner = await openInner(config, opts);
  return new GuardedStore(
    inner,
    keyring,
    {
      cases: caseCodec(keyring),
      hub: hubCodec(keyring, new Set([TOKEN_KEY_DOC, COUNTY_KEY_DOC])),
    },
    { [PROJECTS_DB_SUFFIX]: projectCodec(keyring), [ATTACHMENTS_DB_SUFFIX]: fileCodec(keyring) },
  );
}

async function openInner(config: HubConfig, opts: OpenOptions): Promise<Store> {
  if (config.couchUrl) {
    const store = new CouchStore(config.couchUrl, config.dbPrefix);
    await store.waitReady(10_000);
    return store;
  }
  if (opts.attachIfRunning) {
    const ep = readEndpoint(config.dataDir);
    if (ep && alive(ep.supervisorPid) && ep.supervisorPid !== process.pid) {
      const attached = new AttachedEmbeddedStore(config.dataDir, ep.port, config.dbPrefix);
      try {
        await attached.waitReady(5_000);
        return attached;
      } catch {
        // the running hub's store is restarting or gone: fall through to our own
      }
    }
  }
  const store = new EmbeddedStore(config.dataDir, config.dbPrefix);
  await store.start();
  await store.waitReady(15_000);
  return store;
}
