import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkIdNumber,
  idNumberInfo,
  isValidIdNumber,
  normaliseIdNumber,
} from '../../src/identity/index.js';
import { breakCheck, makeIdNumber } from './testGenerators.js';

const TODAY = '2026-11-22';

describe('isValidIdNumber', () => {
  it('accepts the GB 11643 example and generated numbers', () => {
    expect(isValidIdNumber('11010519491231002X', TODAY)).toBe(true);
    expect(isValidIdNumber(makeIdNumber('330106', '19850615', '123'), TODAY)).toBe(true);
    expect(isValidIdNumber(makeIdNumber('110101', '20261122', '001'), TODAY)).toBe(true);
  });

  it('accepts a lower-case x and surrounding spaces', () => {
    expect(isValidIdNumber(' 11010519491231002x ', TODAY)).toBe(true);
    expect(normaliseIdNumber(' 11010519491231002x')).toBe('11010519491231002X');
  });

  it('rejects known-bad numbers with the right code', () => {
    const good = makeIdNumber('330106', '19850615', '123');
    expect(checkIdNumber(breakCheck(good, '0123456789X'), TODAY)).toMatchObject({
      ok: false,
      code: 'ID_CHECKSUM',
    });
    expect(checkIdNumber(makeIdNumber('330106', '19850230', '123'), TODAY)).toMatchObject({
      code: 'ID_BIRTHDATE',
    });
    expect(checkIdNumber(makeIdNumber('330106', '20261123', '123'), TODAY)).toMatchObject({
      code: 'ID_BIRTHDATE',
    });
    expect(checkIdNumber(makeIdNumber('330106', '18991231', '123'), TODAY)).toMatchObject({
      code: 'ID_BIRTHDATE',
    });
    expect(checkIdNumber('33010619850615A23X', TODAY)).toMatchObject({ code: 'ID_FORMAT' });
    expect(checkIdNumber(good.slice(0, 17), TODAY)).toMatchObject({ code: 'ID_FORMAT' });
    expect(checkIdNumber(good + '1', TODAY)).toMatchObject({ code: 'ID_FORMAT' });
    expect(checkIdNumber('330106850615123', TODAY)).toMatchObject({ code: 'ID_FORMAT' });
  });

  it('gives a Chinese message and the normalised value', () => {
    const bad = checkIdNumber('123', TODAY);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.messageZh).toContain('18 位');
    expect(checkIdNumber('11010519491231002x', TODAY)).toEqual({
      ok: true,
      value: '11010519491231002X',
    });
  });

  it('accepts every generated number and rejects every single-digit change', () => {
    const digits = (n: number) =>
      fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));
    const birth = fc
      .integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2026, 10, 22) })
      .map((ms) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', ''));
    fc.assert(
      fc.property(
        digits(6),
        birth,
        digits(3),
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (div, b, seq, pos, delta) => {
          const id = makeIdNumber(div, b, seq);
          expect(isValidIdNumber(id, TODAY)).toBe(true);
          const changed =
            id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
          // Weights are all non-zero mod 11, so any single-digit change breaks the check.
          expect(isValidIdNumber(changed, TODAY)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('idNumberInfo', () => {
  it('reads birth date, sex and division', () => {
    expect(idNumberInfo('11010519491231002X', TODAY)).toEqual({
      birthDate: '1949-12-31',
      sex: 'female',
      divisionCode: '110105',
    });
    expect(idNumberInfo(makeIdNumber('330106', '19850615', '123'), TODAY)?.sex).toBe('male');
    expect(idNumberInfo('110105194912310021', TODAY)).toBeNull();
  });
});
