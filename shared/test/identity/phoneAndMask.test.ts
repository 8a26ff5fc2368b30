import { describe, expect, it } from 'vitest';
import {
  checkPhone,
  isValidLandline,
  isValidMobile,
  isValidPhone,
  maskIdNumber,
  maskName,
  maskPhone,
  maskUscc,
} from '../../src/identity/index.js';

describe('phones', () => {
  it('accepts mainland mobiles, with or without +86 and spaces', () => {
    expect(isValidMobile('13812345678')).toBe(true);
    expect(isValidMobile('+86 138 1234 5678')).toBe(true);
    expect(isValidMobile('19912345678')).toBe(true);
    expect(isValidMobile('12812345678')).toBe(false);
    expect(isValidMobile('1381234567')).toBe(false);
    expect(isValidMobile('1381234567a')).toBe(false);
  });

  it('accepts landlines only when asked', () => {
    expect(isValidLandline('0571-88886666')).toBe(true);
    expect(isValidLandline('01088886666')).toBe(true);
    expect(isValidPhone('0571-88886666')).toBe(false);
    expect(isValidPhone('0571-88886666', { allowLandline: true })).toBe(true);
    expect(checkPhone('0571-88886666')).toMatchObject({ ok: false, code: 'PHONE_FORMAT' });
    expect(checkPhone('138 1234 5678')).toEqual({ ok: true, value: '13812345678' });
  });
});

describe('masking', () => {
  it('masks ID numbers as first 6 + last 4', () => {
    expect(maskIdNumber('11010519491231123X')).toBe('110105********123X');
    expect(maskIdNumber('12345')).toBe('*****');
  });

  it('masks phones', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0571-88886666')).toBe('0571-****6666');
  });

  it('masks USCCs and names', () => {
    expect(maskUscc('91330106MA2B3C4D5X')).toBe('913301********4D5X');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('*');
  });
});
