import { describe, expect, it } from 'vitest';
import { idDigest, idDigestCandidates, isCountyKey } from '../../src/identity/index.js';

// Expected HMAC computed with Node's crypto.createHmac('sha256', 32 bytes of 7) outside the code.
const KEY = { keyId: 'c1', key: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc' };
const ID = '11010519491231002X';
const LEGACY = '426695a0efdb59b9eaedaf0b5ca3eddf013cc2a7f9e283437704ea605f421e6d';

describe('idDigest with the county key', () => {
  it('is HMAC-SHA256 with the county key, not the guessable unkeyed hash', async () => {
    const keyed = await idDigest(ID, KEY);
    expect(keyed).toBe('e36da84fef3a1c6a3ea976b0ae4b9fe3dec7f484c700ccc7492e231095d58ec5');
    expect(keyed).not.toBe(LEGACY);
    expect(await idDigest(' 11010519491231002x', KEY)).toBe(keyed);
  });

  it('differs between counties (another key, another digest)', async () => {
    const other = { keyId: 'c1', key: 'CAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg' };
    expect(await idDigest(ID, other)).not.toBe(await idDigest(ID, KEY));
  });

  it('searches find cases recorded before the device had the key', async () => {
    expect(await idDigestCandidates(ID, KEY)).toEqual([await idDigest(ID, KEY), LEGACY]);
    expect(await idDigestCandidates(ID, null)).toEqual([LEGACY]);
  });

  it('accepts only a well-formed key', () => {
    expect(isCountyKey(KEY)).toBe(true);
    expect(isCountyKey({ keyId: 'c1', key: 'short' })).toBe(false);
    expect(isCountyKey({ keyId: '', key: KEY.key })).toBe(false);
    expect(isCountyKey(null)).toBe(false);
  });
});
