import { randomHex, sealSecret, unsealSecret } from './secretSealing';

/**
 * The key that encrypts citizens' data at rest in RxDB (the `applicant` field of cases and
 * the case snapshots kept with refused writes). RxDB's encryption-crypto-js storage wrapper
 * does the field encryption (AES) transparently at the storage layer, so replication,
 * queries and the conflict handler see plaintext while IndexedDB only ever holds ciphertext.
 * The key itself is a per-device random secret, sealed by the OS keystore (bridge) or the
 * WebCrypto fallback before it is written to localStorage.
 */
const STORAGE_KEY = 'sibantong.dataKey';

export async function loadOrCreateDataKey(): Promise<string> {
  const sealed = localStorage.getItem(STORAGE_KEY);
  if (sealed) return unsealSecret(sealed);
  const key = randomHex(32);
  localStorage.setItem(STORAGE_KEY, await sealSecret(key));
  return key;
}
