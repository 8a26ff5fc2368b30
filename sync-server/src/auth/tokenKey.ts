import { TOKEN_KEY_DOC } from '../store/provision.js';
import { withStoreRetry, type Store } from '../store/store.js';

/** Loads the token-signing key provisioned in the store (cached: it never changes). */
export async function loadTokenKey(store: Store): Promise<string> {
  const doc = await withStoreRetry(() => store.db<{ secret: string }>('hub').get(TOKEN_KEY_DOC));
  if (typeof doc.secret !== 'string' || doc.secret.length < 32)
    throw new Error('token key damaged');
  return doc.secret;
}
