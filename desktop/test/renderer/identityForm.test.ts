import { describe, expect, it } from 'vitest';
import { idNumberProblem, usccProblem } from '../../src/renderer/domain/identity';

describe('identity fields on the forms', () => {
  it('says what is wrong with an ID number, in the words of the field', () => {
    expect(idNumberProblem(' 11010519491231002x ')).toBeNull();
    expect(idNumberProblem('')).toBe('请输入身份证号码');
    expect(idNumberProblem('1101051949123100')).toBe('身份证号码应为18位（最后一位可为X）');
    expect(idNumberProblem('110105194912 31002X')).toBe('身份证号码应为18位（最后一位可为X）');
    expect(idNumberProblem('110105194902301234')).toBe('身份证号码中的出生日期不正确');
    expect(idNumberProblem('110105299901010011')).toBe('身份证号码中的出生日期不正确');
    expect(idNumberProblem('110105194912310021')).toBe('身份证号码校验位不正确，请核对');
  });

  it('says what is wrong with a unified social credit code', () => {
    expect(usccProblem('91350100M000100Y43')).toBeNull();
    expect(usccProblem(' ')).toBe('请输入统一社会信用代码');
    expect(usccProblem('91350100I000100Y43')).toBe(
      '统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）',
    );
    expect(usccProblem('91350100M000100Y44')).toBe('统一社会信用代码校验位不正确，请核对');
  });
});
