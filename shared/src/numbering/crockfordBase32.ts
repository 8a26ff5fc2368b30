/**
 * Crockford base32: digits and capitals without I, L, O, U, so a code read aloud or copied
 * from a receipt cannot be confused with 1 or 0.
 */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The low `length * 5` bits of a non-negative integer as `length` Crockford characters. */
export function toCrockford(value: number, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i += 1) {
    out = (CROCKFORD_ALPHABET[rest % 32] ?? '0') + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}
