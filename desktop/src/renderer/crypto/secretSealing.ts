import { getBridge } from '../../bridge/bridgeApi';

/**
 * Seals small secrets (device secret, local data key, refresh token) before they touch
 * localStorage.
 *
 * In Electron the bridge's protectSecret uses the OS keystore (safeStorage), so a copied
 * profile folder is useless on another machine/user. In a plain browser there is no OS
 * keystore: we fall back to a NON-EXTRACTABLE AES-GCM CryptoKey kept in IndexedDB. Script
 * code cannot export its raw bytes, but anyone who copies the whole browser profile can still
 * use it from that profile — docs/client.md records this as the fallback's limit.
 */
const KEY_DB = 'sibantong-keystore';
const KEY_STORE = 'keys';
const KEY_ID = 'seal-v1';

function idbRequest<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function openKeyDb(): Promise<IDBDatabase> {
  const open = indexedDB.open(KEY_DB, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(KEY_STORE);
  return idbRequest(open);
}

let cachedKey: Promise<CryptoKey> | null = null;

async function loadOrCreateKey(): Promise<CryptoKey> {
  const db = await openKeyDb();
  try {
    const existing = await idbRequest(db.transaction(KEY_STORE).objectStore(KEY_STORE).get(KEY_ID));
    if (existing instanceof CryptoKey) return existing;
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]);
    await idbRequest(
      db.transaction(KEY_STORE, 'readwrite').objectStore(KEY_STORE).put(key, KEY_ID),
    );
    return key;
  } finally {
    db.close();
  }
}

function sealKey(): Promise<CryptoKey> {
  cachedKey ??= loadOrCreateKey();
  return cachedKey;
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
export function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export async function sealSecret(plain: string): Promise<string> {
  const bridge = getBridge();
  if (bridge) return `os:${await bridge.protectSecret(plain)}`;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    await sealKey(),
    new TextEncoder().encode(plain),
  );
  return `wc:${toBase64(iv)}:${toBase64(new Uint8Array(ct))}`;
}

export async function unsealSecret(sealed: string): Promise<string> {
  if (sealed.startsWith('os:')) {
    const bridge = getBridge();
    if (!bridge) throw new Error('此数据由桌面客户端加密，只能在桌面客户端中打开');
    return bridge.unprotectSecret(sealed.slice(3));
  }
  const [tag, ivB64, ctB64] = sealed.split(':');
  if (tag !== 'wc' || !ivB64 || !ctB64) throw new Error('本地密钥数据损坏');
  const pt = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64(ivB64) },
    await sealKey(),
    fromBase64(ctB64),
  );
  return new TextDecoder().decode(pt);
}

/** Random secret as hex, e.g. the RxDB encryption password. */
export function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}
