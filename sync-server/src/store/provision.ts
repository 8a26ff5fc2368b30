/**
 * Idempotent provisioning at every start: databases, admin-only `_security`, Mango indexes,
 * the cockpit's views and the hub's own configuration documents. Safe to run from several hub processes at once.
 */
import { randomBytes } from 'node:crypto';
import { provisionCountyKey } from '../atRest/countyKey.js';
import { resealIfNeeded } from '../atRest/resealStored.js';
import { ensureFigureViews } from '../figures/figureViews.js';
import { GuardedStore } from './guardedStore.js';
import { DB_KEYS, dbName, statusOf, withStoreRetry, type DbKey, type Store } from './store.js';

export const INDEXES: ReadonlyArray<{ db: DbKey; name: string; fields: string[] }> = [
  { db: 'auth', name: 'by-type', fields: ['type'] },
  { db: 'hub', name: 'by-type', fields: ['type'] },
  { db: 'tickets', name: 'by-case', fields: ['caseId'] },
  { db: 'supervision', name: 'by-case', fields: ['caseId'] },
  { db: 'cases', name: 'by-status', fields: ['status'] },
  // Newest-first paging of refused writes (GET /api/refusals).
  { db: 'refusals', name: 'by-sort-key', fields: ['sortKey'] },
];

export const TOKEN_KEY_DOC = 'config:token-key';

/**
 * The Mango index's design document is there with these fields. PouchDB's `createIndex` brings
 * the index up to date before it returns, even when it exists: after a bulk load or a restore of
 * a million cases the hub did not listen for minutes (239 s in bench/findings.md, "1,000,000
 * cases"). An existing index is left to catch up when it is first queried, as CouchDB does.
 */
async function indexDefined(
  store: Store,
  idx: { db: DbKey; name: string; fields: string[] },
): Promise<boolean> {
  try {
    const ddoc = (await store.server().request({
      db: dbName(store.prefix, idx.db),
      doc: `_design/idx-${idx.name}`,
    })) as { views?: Record<string, { map?: { fields?: Record<string, unknown> } }> };
    const fields = Object.keys(ddoc.views?.[idx.name]?.map?.fields ?? {});
    return JSON.stringify(fields) === JSON.stringify(idx.fields);
  } catch (err) {
    if (statusOf(err) === 404) return false;
    throw err;
  }
}

async function createDb(store: Store, name: string): Promise<void> {
  try {
    await store.server().db.create(name);
  } catch (err) {
    // 412: it exists already, which is the normal case after the first start.
    if (statusOf(err) !== 412) throw err;
  }
}

const ADMIN_ONLY = {
  admins: { names: [], roles: ['_admin'] },
  members: { names: [], roles: ['_admin'] },
};

/**
 * Only server admins (the hub) may read or write: clients never reach the store. Written only
 * when it differs: on CouchDB every `_security` PUT raises `update_seq` without adding a row to
 * `_changes`, so re-writing it at every start left the pull's freshness wait chasing a sequence
 * the feed never reaches (bench/findings.md).
 */
export async function ensureAdminOnly(store: Store, name: string): Promise<void> {
  const current = (await store.server().request({ db: name, path: '_security' })) as unknown;
  if (JSON.stringify(current) === JSON.stringify(ADMIN_ONLY)) return;
  await store.server().request({ db: name, path: '_security', method: 'PUT', body: ADMIN_ONLY });
}

export async function provision(store: Store): Promise<void> {
  await withStoreRetry(async () => {
    for (const key of DB_KEYS) {
      const name = dbName(store.prefix, key);
      await createDb(store, name);
      await ensureAdminOnly(store, name);
    }
    for (const idx of INDEXES) {
      if (await indexDefined(store, idx)) continue;
      await store.db(idx.db).createIndex({
        index: { fields: idx.fields },
        name: idx.name,
        ddoc: `idx-${idx.name}`,
        type: 'json',
      });
    }
    // The token-signing key lives in the store so that every hub process in front of one
    // CouchDB signs and checks tokens alike; sealed there with the hub's data key
    // (atRest/docCodecs.ts), so a copy of the store alone does not let anyone mint tokens.
    const hub = store.db<{ secret: string }>('hub');
    try {
      await hub.insert({ _id: TOKEN_KEY_DOC, secret: randomBytes(32).toString('base64url') });
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  });
  // Installed here, before the hub listens, rather than at the cockpit's first use: a
  // design document is a write, and a restart must find the store exactly as it left it.
  await ensureFigureViews(store);
  await provisionCountyKey(store);
  // Plaintext from before at-rest encryption, or documents under a retired key: sealed now.
  if (store instanceof GuardedStore) {
    const report = await resealIfNeeded(store, store.keyring);
    if (report && report.resealed > 0) {
      console.error(
        JSON.stringify({
          event: 'at_rest_resealed',
          resealed: report.resealed,
          remaining: report.remaining,
        }),
      );
    }
  }
}
