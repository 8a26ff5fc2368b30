// Independent re-implementations of the check characters, so tests do not trust the code
// under test to build their own fixtures.
const ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const USCC_ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function makeIdNumber(division: string, birth: string, seq: string): string {
  const first17 = division + birth + seq;
  const sum = ID_W.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return first17 + '10X98765432'[sum % 11];
}

export function makeUscc(first17: string): string {
  const sum = USCC_W.reduce((acc, w, i) => acc + w * USCC_ALPHA.indexOf(first17[i]!), 0);
  const check = (31 - (sum % 31)) % 31;
  return first17 + USCC_ALPHA[check];
}

/** Replaces the last character with a different valid-looking one. */
export function breakCheck(code: string, alphabet: string): string {
  const last = code[code.length - 1]!;
  const other = alphabet.split('').find((c) => c !== last)!;
  return code.slice(0, -1) + other;
}
