/** Runs a CLI command against the store (a running hub's, or one started for the command). */
import { loadConfig, type HubConfig } from '../config.js';
import { openStore } from '../store/openStore.js';
import { provision } from '../store/provision.js';
import type { Store } from '../store/store.js';

export async function withStore<T>(
  fn: (store: Store, config: HubConfig) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const store = await openStore(config, { attachIfRunning: true });
  try {
    await provision(store);
    return await fn(store, config);
  } finally {
    await store.close();
  }
}
