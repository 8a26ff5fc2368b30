/**
 * Digest of a normalised ID number or USCC, so cases can be found by ID without storing or
 * indexing the plaintext.
 *
 * Keyed: HMAC-SHA256 with the county key the hub hands to enrolled devices
 * (`GET /api/county-key`). An unkeyed SHA-256 next to the masked form (first 6 + last 4
 * digits) gave the full ID number away in ~36,500 guesses of the birth date and check
 * digits; without the county key, the keyed digest gives nothing to guess against.
 *
 * `idDigest` without a key is the old unkeyed digest, kept only so that data written before
 * a device had the county key is still found (`idDigestCandidates`). Web Crypto exists in
 * browsers and Node 20 alike.
 */
import { normaliseIdNumber } from './idNumber.js';

/** The county's digest key as the hub distributes it. */
export interface CountyKey {
  /** Key id, recorded so a later key can be told apart. */
  keyId: string;
  /** 32 random bytes, base64url. */
  key: string;
}

// The package compiles without DOM or Node typings, so describe the slice of Web Crypto used.
interface HmacKey {
  readonly type: string;
}
interface SubtleSlice {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: { name: 'HMAC'; hash: 'SHA-256' },
    extractable: false,
    usages: ['sign'],
  ): Promise<HmacKey>;
  sign(algorithm: 'HMAC', key: HmacKey, data: Uint8Array): Promise<ArrayBuffer>;
}

function subtleCrypto(): SubtleSlice {
  const holder = globalThis as { crypto?: { subtle?: SubtleSlice } };
  const subtle = holder.crypto?.subtle;
  if (subtle === undefined) throw new Error('Web Crypto (crypto.subtle) is not available');
  return subtle;
}

function utf8(text: string): Uint8Array {
  // Hand-rolled because the package's lib settings carry no TextEncoder typings.
  const bytes: number[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else {
      bytes.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 63),
        0x80 | ((cp >> 6) & 63),
        0x80 | (cp & 63),
      );
    }
  }
  return Uint8Array.from(bytes);
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function fromBase64url(text: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text.replace(/=+$/, '')) {
    const v = B64URL.indexOf(ch === '+' ? '-' : ch === '/' ? '_' : ch);
    if (v < 0) throw new Error('county key is not base64url');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

const hex = (buffer: ArrayBuffer) =>
  Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

/** True for a county key as the hub sends it (an id and 32 bytes). */
export function isCountyKey(v: unknown): v is CountyKey {
  if (!v || typeof v !== 'object') return false;
  const { keyId, key } = v as { keyId?: unknown; key?: unknown };
  if (typeof keyId !== 'string' || keyId.length === 0 || keyId.length > 40) return false;
  if (typeof key !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(key)) return false;
  return fromBase64url(key).length === 32;
}

/**
 * Lower-case hex digest of the normalised value (normalising again is harmless): HMAC-SHA256
 * with the county key, or — without one — the old unkeyed SHA-256.
 */
export async function idDigest(normalised: string, countyKey?: CountyKey | null): Promise<string> {
  const data = utf8(normaliseIdNumber(normalised));
  const subtle = subtleCrypto();
  if (!countyKey) return hex(await subtle.digest('SHA-256', data));
  const key = await subtle.importKey(
    'raw',
    fromBase64url(countyKey.key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return hex(await subtle.sign('HMAC', key, data));
}

/**
 * The digests a search by ID must look for: the keyed one, and the old unkeyed one for cases
 * recorded before the device had the county key.
 */
export async function idDigestCandidates(
  value: string,
  countyKey: CountyKey | null,
): Promise<string[]> {
  const legacy = await idDigest(value);
  return countyKey ? [await idDigest(value, countyKey), legacy] : [legacy];
}
