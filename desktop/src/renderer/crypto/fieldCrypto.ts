import { decryptString as decryptCryptoJs } from 'rxdb/plugins/encryption-crypto-js';
import { DomainError } from '@sibantong/shared';
import { fromBase64, toBase64 } from './secretSealing';

/**
 * AES-256-GCM for the fields of local documents that hold citizens' data, on WebCrypto.
 *
 * Why not RxDB's `encryption-crypto-js` any more (used up to schema v2): crypto-js derives a
 * key (EvpKDF) for every encrypt and every decrypt and runs AES in JavaScript; a profile of
 * the initial pull put a third of its time there (docs/benchmarks.md). Here the key is
 * derived once per database (HKDF from the per-device data key), AES runs natively, and GCM
 * authenticates: a stored value that was altered, or moved to another document (the document
 * id and field are bound in as additional data), fails to decrypt instead of yielding junk.
 *
 * Stored form: `g1:` + base64(12-byte random IV ‖ ciphertext ‖ 16-byte tag). Values written
 * by earlier versions (crypto-js, recognisable by its `Salted__` header) are still read and are
 * written in the new form the next time their document is written.
 */
export interface FieldCrypto {
  encrypt(plain: string, context: string): Promise<string>;
  decrypt(stored: string, context: string): Promise<string>;
  /** True for a value written by the crypto-js scheme of earlier versions. */
  isLegacy(stored: string): boolean;
}

export const CIPHER_PREFIX = 'g1:';
/** base64("Salted__"): the OpenSSL header crypto-js writes before its salt. */
const LEGACY_PREFIX = 'U2FsdGVkX1';
const IV_BYTES = 12;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

export function unreadableLocalData(detail: string): DomainError {
  return new DomainError(
    'LOCAL_DATA_UNREADABLE',
    '本机保存的申请人信息无法解密（数据已损坏或密钥不符）。请联系信息管理员；不要重装客户端，以免丢失未上传的办件。',
    { detail },
  );
}

/** Derives the AES-GCM key from the device's data key (a random 256-bit secret). */
async function deriveKey(secret: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', utf8.encode(secret), 'HKDF', false, [
    'deriveKey',
  ]);
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: utf8.encode('sibantong/local-field-encryption'),
      info: utf8.encode('aes-256-gcm v1'),
    },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function createFieldCrypto(secret: string): Promise<FieldCrypto> {
  const key = await deriveKey(secret);
  return {
    isLegacy: (stored) => stored.startsWith(LEGACY_PREFIX),
    async encrypt(plain, context) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const ct = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv, additionalData: utf8.encode(context) },
          key,
          utf8.encode(plain),
        ),
      );
      const out = new Uint8Array(IV_BYTES + ct.length);
      out.set(iv, 0);
      out.set(ct, IV_BYTES);
      return CIPHER_PREFIX + toBase64(out);
    },
    async decrypt(stored, context) {
      if (stored.startsWith(LEGACY_PREFIX)) {
        let plain: string;
        try {
          plain = decryptCryptoJs(stored, secret);
        } catch {
          throw unreadableLocalData(`legacy value of ${context}`);
        }
        if (!plain) throw unreadableLocalData(`legacy value of ${context}`);
        return plain;
      }
      if (!stored.startsWith(CIPHER_PREFIX))
        throw unreadableLocalData(`unknown form in ${context}`);
      try {
        const bytes = fromBase64(stored.slice(CIPHER_PREFIX.length));
        const pt = await crypto.subtle.decrypt(
          {
            name: 'AES-GCM',
            iv: bytes.subarray(0, IV_BYTES),
            additionalData: utf8.encode(context),
          },
          key,
          bytes.subarray(IV_BYTES),
        );
        return fromUtf8.decode(pt);
      } catch {
        throw unreadableLocalData(`authentication failed for ${context}`);
      }
    },
  };
}
