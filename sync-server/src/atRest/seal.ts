/**
 * AES-256-GCM sealing of a JSON value, bound to where it is stored (`aad`: database and
 * document id), so a sealed value copied into another document does not open there.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.js';

export interface Sealed {
  v: 1;
  /** Key id in the keyring. */
  kid: string;
  iv: string;
  ct: string;
  tag: string;
}

export function isSealed(v: unknown): v is Sealed {
  if (!v || typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  return (
    s.v === 1 &&
    typeof s.kid === 'string' &&
    typeof s.iv === 'string' &&
    typeof s.ct === 'string' &&
    typeof s.tag === 'string'
  );
}

export class AtRestKeyError extends Error {
  readonly code = 'AT_REST_KEY_MISSING';
  constructor(kid: string) {
    super(
      `数据加密密钥 ${kid} 不在本枢纽的密钥文件中（secrets/at-rest-keys.json），无法解密已存数据`,
    );
  }
}

export function seal(keyring: Keyring, aad: string, value: unknown): Sealed {
  const { kid, key } = keyring.current();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return {
    v: 1,
    kid,
    iv: iv.toString('base64url'),
    ct: ct.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
  };
}

export function open(keyring: Keyring, aad: string, sealed: Sealed): unknown {
  const key = keyring.key(sealed.kid);
  if (!key) throw new AtRestKeyError(sealed.kid);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
  const pt = Buffer.concat([
    decipher.update(Buffer.from(sealed.ct, 'base64url')),
    decipher.final(),
  ]);
  return JSON.parse(pt.toString('utf8')) as unknown;
}
