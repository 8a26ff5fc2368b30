import { describe, expect, it } from 'vitest';
import { idDigest } from '../../src/identity/index.js';

// Expected values computed with Node's crypto.createHash('sha256') outside the code under test.
describe('idDigest', () => {
  it('is the lower-case SHA-256 hex of the normalised value', async () => {
    expect(await idDigest('11010519491231002X')).toBe(
      '426695a0efdb59b9eaedaf0b5ca3eddf013cc2a7f9e283437704ea605f421e6d',
    );
    expect(await idDigest('abc')).toBe(
      'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78',
    );
  });

  it('ignores case and spacing differences of the same ID', async () => {
    expect(await idDigest(' 11010519491231002x')).toBe(await idDigest('11010519491231002X'));
  });

  it('encodes non-ASCII text as UTF-8', async () => {
    expect(await idDigest('张三')).toBe(
      '1d841bc0ee98309cb7916670b7f0fdef5f4c35150711a41405ef3633b56322cf',
    );
  });
});
