import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkUscc, isValidUscc, usccCheckChar } from '../../src/identity/index.js';
import { breakCheck, makeUscc } from './testGenerators.js';

const ALPHA = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('isValidUscc', () => {
  it('accepts generated codes, lower case included', () => {
    const code = makeUscc('91330106MA2B3C4D5');
    expect(isValidUscc(code)).toBe(true);
    expect(isValidUscc(code.toLowerCase())).toBe(true);
    expect(isValidUscc(makeUscc('11330100002482061'))).toBe(true);
  });

  it('maps a check value of 31 to 0', () => {
    // Find a prefix whose weighted sum is a multiple of 31 and check it ends in 0.
    const prefix = fc
      .sample(fc.stringMatching(/^[0-9A-HJ-NP-RT-UW-Y]{17}$/), 2000)
      .find((p) => makeUscc(p).endsWith('0'));
    expect(prefix).toBeDefined();
    expect(usccCheckChar(prefix!)).toBe('0');
  });

  it('rejects wrong check, forbidden letters and wrong length', () => {
    const code = makeUscc('91330106MA2B3C4D5');
    expect(checkUscc(breakCheck(code, ALPHA))).toMatchObject({ ok: false, code: 'USCC_CHECKSUM' });
    expect(checkUscc('91330106MA2B3C4DI' + 'X')).toMatchObject({ code: 'USCC_FORMAT' });
    expect(checkUscc(code.slice(0, 17))).toMatchObject({ code: 'USCC_FORMAT' });
    expect(checkUscc('')).toMatchObject({ code: 'USCC_FORMAT' });
  });

  it('accepts any generated code', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-HJ-NP-RT-UW-Y]{17}$/), (p) => {
        expect(isValidUscc(makeUscc(p))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
