/**
 * The hub's `attachments` database (docs/materials.md), provisioned lazily and idempotently on
 * first use as the projects database is (create, admin-only `_security`), and reached only
 * through the store guard (one id rule). Two documents per file:
 * - `c:<case key>:<id>`: the metadata, keyed under its case so one `_all_docs` range lists a
 *   case's files without reading any file;
 * - `f:<id>`: the case id, the type and the bytes, sealed at rest with the hub's keyring
 *   (AES-256-GCM bound to the document id, as the applicant's identity in `cases`): a scan of
 *   an ID card is the applicant's identity too.
 */
import { createHash } from 'node:crypto';
import type { DocumentScope } from 'nano';
import type { Keyring } from '../atRest/keyring.js';
import { isSealed, open, seal } from '../atRest/seal.js';
import type { DocCodec, StoredDoc } from '../atRest/docCodecs.js';
import { GuardedStore, guardDb } from '../store/guardedStore.js';
import { ensureAdminOnly } from '../store/provision.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';

export const ATTACHMENTS_DB_SUFFIX = 'attachments';

/** The prefix of a case's metadata documents (the case id hashed: ids may be long). */
export const caseKey = (caseId: string): string =>
  `c:${createHash('sha256').update(caseId).digest('hex').slice(0, 24)}:`;
export const metaDocId = (caseId: string, id: string): string => `${caseKey(caseId)}${id}`;
export const fileDocId = (id: string): string => `f:${id}`;

const ready = new WeakMap<Store, Promise<void>>();

async function provision(store: Store): Promise<void> {
  const name = `${store.prefix}${ATTACHMENTS_DB_SUFFIX}`;
  await withStoreRetry(async () => {
    try {
      await store.server().db.create(name);
    } catch (err) {
      if (statusOf(err) !== 412) throw err;
    }
    await ensureAdminOnly(store, name);
  });
}

/**
 * Seals the `data` of file documents (base64 of the bytes) at rest. Registered with the store
 * (store/openStore.ts) so that re-sealing and `keys rotate` reach the files too: a file left
 * under a retired key would no longer open.
 */
export function fileCodec(keyring: Keyring): DocCodec {
  const applies = (d: StoredDoc) => typeof d._id === 'string' && d._id.startsWith('f:');
  const aad = (d: StoredDoc) => `attachments:${String(d._id)}`;
  return {
    // A file document holds up to 10 MB of bytes: a few per page when re-sealing.
    pageSize: 4,
    encode(d) {
      if (!applies(d) || typeof d.data !== 'string') return d;
      return { ...d, data: null, sealed: seal(keyring, aad(d), d.data) };
    },
    decode(d) {
      if (!applies(d) || !isSealed(d.sealed)) return d;
      const { sealed, ...rest } = d;
      return { ...rest, data: open(keyring, aad(d), sealed) };
    },
    stale(d) {
      if (!applies(d)) return false;
      return isSealed(d.sealed)
        ? d.sealed.kid !== keyring.current().kid
        : typeof d.data === 'string';
    },
  };
}

export async function attachmentsDb<D extends object = Record<string, unknown>>(
  store: Store,
): Promise<{ db: DocumentScope<D> }> {
  let provisioned = ready.get(store);
  if (!provisioned) {
    provisioned = provision(store);
    ready.set(store, provisioned);
    provisioned.catch(() => ready.delete(store));
  }
  await provisioned;
  // The product's store is always guarded (store/openStore.ts) and names this codec.
  const codec = store instanceof GuardedStore ? store.featureCodec(ATTACHMENTS_DB_SUFFIX) : null;
  return {
    db: guardDb(store.server().use<D>(`${store.prefix}${ATTACHMENTS_DB_SUFFIX}`), codec),
  };
}
