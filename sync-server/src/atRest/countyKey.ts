/**
 * The county key: the HMAC key of the applicant ID digest (shared/identity/idDigest.ts) that
 * every enrolled device of the county uses, so a case recorded at one point is found by ID at
 * another. One per county (per hub store), created at the first start, kept in the hub database
 * sealed with the data key (atRest/docCodecs.ts) and handed only to signed-in devices
 * (GET /api/county-key). It is not rotated by `keys rotate`: every stored digest depends on it.
 */
import { randomBytes } from 'node:crypto';
import type { CountyKey } from '@sibantong/shared';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';

export const COUNTY_KEY_DOC = 'config:county-key';

interface CountyKeyDoc {
  _id: string;
  type: 'county_key';
  keyId: string;
  secret: string;
}

/** Creates the key at the first start; a concurrent creation by another hub process wins. */
export async function provisionCountyKey(store: Store): Promise<void> {
  const db = store.db<CountyKeyDoc>('hub');
  try {
    await withStoreRetry(() =>
      db.insert({
        _id: COUNTY_KEY_DOC,
        type: 'county_key',
        keyId: 'c1',
        secret: randomBytes(32).toString('base64url'),
      }),
    );
  } catch (err) {
    if (statusOf(err) !== 409) throw err;
  }
}

let cached: CountyKey | null = null;

/** The county key (read once per process: it never changes). */
export async function loadCountyKey(store: Store): Promise<CountyKey> {
  if (cached) return cached;
  const doc = await withStoreRetry(() => store.db<CountyKeyDoc>('hub').get(COUNTY_KEY_DOC));
  if (typeof doc.secret !== 'string' || typeof doc.keyId !== 'string') {
    throw new Error('county key damaged');
  }
  cached = { keyId: doc.keyId, key: doc.secret };
  return cached;
}
