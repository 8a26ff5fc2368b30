/**
 * SHA-256 of a normalised ID number or USCC, so cases can be found by ID without storing or
 * indexing the plaintext. Web Crypto exists in browsers and Node 20 alike.
 */
import { normaliseIdNumber } from './idNumber.js';

// The package compiles without DOM or Node typings, so describe the slice of Web Crypto used.
interface SubtleDigest {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}

function subtleCrypto(): SubtleDigest {
  const holder = globalThis as { crypto?: { subtle?: SubtleDigest } };
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

/** Lower-case hex SHA-256 of the normalised value (normalising again is harmless). */
export async function idDigest(normalised: string): Promise<string> {
  const buffer = await subtleCrypto().digest('SHA-256', utf8(normaliseIdNumber(normalised)));
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}
