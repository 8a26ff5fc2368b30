import { describe, expect, it } from 'vitest';
import {
  checkPhone,
  PHONE_PATTERN,
  isValidLandline,
  isValidMobile,
  isValidPhone,
  maskIdNumber,
  maskName,
  maskPhone,
  maskUscc,
  roleSeesFullIdentity,
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

  it('accepts landlines with an area code as a contact phone: one rule for form and hub', () => {
    expect(isValidLandline('0571-88886666')).toBe(true);
    expect(isValidLandline('01088886666')).toBe(true);
    expect(isValidPhone('0571-88886666')).toBe(true);
    expect(checkPhone('010-01234567')).toEqual({ ok: true, value: '010-01234567' });
    expect(checkPhone('(010) 01234567')).toEqual({ ok: true, value: '010-01234567' });
    expect(checkPhone('0571 88886666')).toEqual({ ok: true, value: '0571-88886666' });
    expect(checkPhone('138 1234 5678')).toEqual({ ok: true, value: '13812345678' });
    expect(checkPhone('+86 138-1234-5678')).toEqual({ ok: true, value: '13812345678' });
    expect(checkPhone('86 13812345678')).toEqual({ ok: true, value: '13812345678' });
    expect(checkPhone('008613812345678')).toEqual({ ok: true, value: '13812345678' });
  });

  it('refuses what is neither', () => {
    for (const bad of ['', '123', '1234', '12812345678', '88886666', '010-123', '+1 415 555 0100'])
      expect(checkPhone(bad)).toMatchObject({ ok: false, code: 'PHONE_FORMAT' });
  });

  it('stores only values the schema pattern accepts', () => {
    const pattern = new RegExp(PHONE_PATTERN);
    for (const good of ['+86 138 1234 5678', '010-01234567', '(0571)88886666', '01088886666']) {
      const r = checkPhone(good);
      expect(r.ok && pattern.test(r.value)).toBe(true);
    }
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
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
    expect(maskPhone('010-01234567')).toBe('010-****4567');
  });

  it('lets only the window roles reveal the full values', () => {
    expect(roleSeesFullIdentity('village_helper')).toBe(true);
    expect(roleSeesFullIdentity('town_lead')).toBe(true);
    expect(roleSeesFullIdentity('centre_agent')).toBe(true);
    expect(roleSeesFullIdentity('dept_assistant')).toBe(false);
    expect(roleSeesFullIdentity('supervisor')).toBe(false);
    expect(roleSeesFullIdentity('it_admin')).toBe(false);
  });

  it('masks USCCs and names', () => {
    expect(maskUscc('91330106MA2B3C4D5X')).toBe('913301********4D5X');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('*');
  });
});
