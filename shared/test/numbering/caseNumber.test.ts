import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocateDeviceShort,
  CROCKFORD_ALPHABET,
  deviceShortFromId,
  formatOfficialNo,
  formatProvisionalNo,
  isDeviceShort,
  nextSequence,
  parseOfficialNo,
  parseProvisionalNo,
  type ProvisionalNoParts,
} from '../../src/numbering/index.js';
import { DomainError } from '../../src/errors/domainError.js';

const crockfordChar = fc.constantFrom(...CROCKFORD_ALPHABET.split(''));
const deviceShort = fc.string({ unit: crockfordChar, minLength: 4, maxLength: 4 });
const pointCode = fc.stringMatching(/^[A-Z0-9]{2,6}$/);
const isoDate = fc
  .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2035, 11, 31) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));
const parts = fc.record({
  pointCode,
  deviceShort,
  date: isoDate,
  seq: fc.integer({ min: 1, max: 9999 }),
});

describe('provisional numbers', () => {
  it('formats the receipt form', () => {
    expect(
      formatProvisionalNo({ pointCode: 'DQ01', deviceShort: '7K3M', date: '2026-11-22', seq: 7 }),
    ).toBe('DQ01-7K3M-20261122-0007');
  });

  it('parses what it formats, tolerating lower case and spaces', () => {
    expect(parseProvisionalNo(' dq01-7k3m-20261122-0007')).toEqual({
      ok: true,
      value: { pointCode: 'DQ01', deviceShort: '7K3M', date: '2026-11-22', seq: 7 },
    });
    fc.assert(
      fc.property(parts, (p) => {
        expect(parseProvisionalNo(formatProvisionalNo(p))).toEqual({ ok: true, value: p });
      }),
    );
  });

  it('rejects malformed numbers', () => {
    for (const bad of [
      'DQ01-7K3M-20261122-0000', // seq 0
      'DQ01-7K3I-20261122-0001', // I is not Crockford
      'DQ01-7K3M-20260230-0001', // no Feb 30
      'DQ01-7K3M-2026112-0001',
      'D-7K3M-20261122-0001',
      '',
    ]) {
      expect(parseProvisionalNo(bad)).toMatchObject({ ok: false, code: 'CASE_NO_INVALID' });
    }
    expect(() =>
      formatProvisionalNo({ pointCode: 'dq01', deviceShort: '7K3M', date: '2026-11-22', seq: 1 }),
    ).toThrow(DomainError);
    expect(() =>
      formatProvisionalNo({
        pointCode: 'DQ01',
        deviceShort: '7K3M',
        date: '2026-11-22',
        seq: 10000,
      }),
    ).toThrow(DomainError);
  });

  it('never collides across devices with different short codes', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(deviceShort, { minLength: 2, maxLength: 6 }),
        pointCode,
        fc.uniqueArray(fc.tuple(isoDate, fc.integer({ min: 1, max: 40 })), {
          minLength: 1,
          maxLength: 5,
          selector: ([date]) => date,
        }),
        (shorts, point, days) => {
          // Every device issues `count` numbers on each day, all at the same service point.
          const issued = new Set<string>();
          for (const short of shorts) {
            for (const [date, count] of days) {
              let state = null;
              for (let i = 0; i < count; i += 1) {
                state = nextSequence(state, date);
                issued.add(
                  formatProvisionalNo({
                    pointCode: point,
                    deviceShort: short,
                    date,
                    seq: state.seq,
                  }),
                );
              }
            }
          }
          const perDevice = days.reduce((sum, [, count]) => sum + count, 0);
          expect(issued.size).toBe(perDevice * shorts.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('different parts always give different numbers', () => {
    fc.assert(
      fc.property(parts, parts, (a: ProvisionalNoParts, b: ProvisionalNoParts) => {
        const same =
          a.pointCode === b.pointCode &&
          a.deviceShort === b.deviceShort &&
          a.date === b.date &&
          a.seq === b.seq;
        expect(formatProvisionalNo(a) === formatProvisionalNo(b)).toBe(same);
      }),
    );
  });
});

describe('nextSequence', () => {
  it('counts up within a day and restarts on a new day', () => {
    expect(nextSequence(null, '2026-11-22')).toEqual({ date: '2026-11-22', seq: 1 });
    expect(nextSequence({ date: '2026-11-22', seq: 7 }, '2026-11-22')).toEqual({
      date: '2026-11-22',
      seq: 8,
    });
    expect(nextSequence({ date: '2026-11-22', seq: 7 }, '2026-11-23')).toEqual({
      date: '2026-11-23',
      seq: 1,
    });
  });

  it('refuses to wrap past 9999', () => {
    expect(() => nextSequence({ date: '2026-11-22', seq: 9999 }, '2026-11-22')).toThrow(
      expect.objectContaining({ code: 'CASE_SEQ_EXHAUSTED' }),
    );
  });
});

describe('device short codes', () => {
  it('derives a stable 4-character Crockford code', () => {
    const short = deviceShortFromId('device-8f14e45f');
    expect(isDeviceShort(short)).toBe(true);
    expect(deviceShortFromId('device-8f14e45f')).toBe(short);
    fc.assert(fc.property(fc.string(), (id) => isDeviceShort(deviceShortFromId(id))));
  });

  it('allocates a free code at enrolment even when the hash is taken', () => {
    const first = allocateDeviceShort('device-a', new Set());
    expect(first).toBe(deviceShortFromId('device-a'));
    const second = allocateDeviceShort('device-a', new Set([first]));
    expect(second).not.toBe(first);
    expect(isDeviceShort(second)).toBe(true);
  });

  it('allocating for many devices gives unique codes', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 600; i += 1) taken.add(allocateDeviceShort(`device-${i}`, taken));
    expect(taken.size).toBe(600);
  });
});

describe('official numbers', () => {
  it('formats and parses', () => {
    expect(formatOfficialNo({ countyCode: 'SX', year: 2026, serial: 123 })).toBe('SX-2026-000123');
    expect(parseOfficialNo('SX-2026-000123')).toEqual({
      ok: true,
      value: { countyCode: 'SX', year: 2026, serial: 123 },
    });
    expect(parseOfficialNo('SX-2026-000000')).toMatchObject({
      ok: false,
      code: 'OFFICIAL_NO_INVALID',
    });
    expect(parseOfficialNo('SX2026000123')).toMatchObject({ ok: false });
    expect(() => formatOfficialNo({ countyCode: 'SX', year: 2026, serial: 1_000_000 })).toThrow(
      expect.objectContaining({ code: 'OFFICIAL_NO_INVALID' }),
    );
  });

  it('round-trips', () => {
    fc.assert(
      fc.property(
        fc.record({
          countyCode: fc.stringMatching(/^[A-Z]{2,6}$/),
          year: fc.integer({ min: 2000, max: 9999 }),
          serial: fc.integer({ min: 1, max: 999_999 }),
        }),
        (p) => {
          expect(parseOfficialNo(formatOfficialNo(p))).toEqual({ ok: true, value: p });
        },
      ),
    );
  });
});
