/**
 * The hub's `projects` database. It is provisioned here, lazily and idempotently on first use,
 * exactly as store/provision.ts provisions the others (create, admin-only `_security`), so the
 * project feature needs no line in the shared provisioning list; every handle passes through
 * the store guard (one id rule) with the projects codec (atRest/projectCodec.ts): the owner's
 * contact person and phone, the team's names and the free text of the log and plans are
 * sealed at rest, like the applicant in `cases` (docs/projects.md).
 */
import type { DocumentScope } from 'nano';
import { GuardedStore, guardDb } from '../store/guardedStore.js';
import { ensureAdminOnly } from '../store/provision.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';

export const PROJECTS_DB_SUFFIX = 'projects';

export function projectsDbName(store: Store): string {
  return `${store.prefix}${PROJECTS_DB_SUFFIX}`;
}

const ready = new WeakMap<Store, Promise<void>>();

async function provisionProjectsDb(store: Store): Promise<void> {
  const name = projectsDbName(store);
  await withStoreRetry(async () => {
    try {
      await store.server().db.create(name);
    } catch (err) {
      // 412: it exists already, the normal case after the first start.
      if (statusOf(err) !== 412) throw err;
    }
    await ensureAdminOnly(store, name);
  });
}

/**
 * The guarded handle of the projects database, provisioned on first call per store. Wrapped
 * in an object: the guard refuses unknown properties, `then` included, so the handle itself
 * must never be the value of a promise.
 */
export async function projectsDb<D extends object = Record<string, unknown>>(
  store: Store,
): Promise<{ db: DocumentScope<D> }> {
  let provisioned = ready.get(store);
  if (!provisioned) {
    provisioned = provisionProjectsDb(store);
    ready.set(store, provisioned);
    // A failed provisioning (store down past the retry budget) is tried again next time.
    provisioned.catch(() => ready.delete(store));
  }
  await provisioned;
  // The product's store is always guarded (store/openStore.ts) and names this codec.
  const codec = store instanceof GuardedStore ? store.featureCodec(PROJECTS_DB_SUFFIX) : null;
  return { db: guardDb(store.server().use<D>(projectsDbName(store)), codec) };
}
