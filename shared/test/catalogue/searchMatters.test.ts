import { describe, expect, it } from 'vitest';
import { DEMO_MATTERS, pinyinInitials, searchMatters } from '../../src/catalogue/index.js';

const PENSION = '城乡居民养老保险参保登记';
const names = (query: string) => searchMatters(query, DEMO_MATTERS).map((m) => m.name);

describe('pinyinInitials', () => {
  it('reads names by context and drops punctuation', () => {
    expect(pinyinInitials(PENSION)).toBe('cxjmylbxcbdj');
    expect(pinyinInitials('人民调解')).toBe('rmtj');
    expect(pinyinInitials('农村宅基地和建房（规划许可）审批')).toBe('nczjdhjfghxksp');
  });
});

describe('searchMatters', () => {
  const pension = DEMO_MATTERS.find((m) => m.name === PENSION)!;

  it('finds the pension registration by name part, initials prefix and codes', () => {
    expect(names('养老')).toContain(PENSION);
    expect(names('cxjmyl')[0]).toBe(PENSION);
    expect(names('CXJMYL')[0]).toBe(PENSION);
    expect(names(pension.code)).toEqual([PENSION]);
    expect(names(pension.basicCode)).toEqual([PENSION]);
    expect(names(pension.code.toLowerCase())).toEqual([PENSION]);
  });

  it('ranks a name prefix above a name substring', () => {
    const result = names('城乡居民养老');
    expect(result[0]).toBe(PENSION);
    expect(result).toContain('城乡居民养老保险待遇申领');
    const lowIncome = names('救助');
    expect(lowIncome).toContain('临时救助申请');
    // 养老 appears in the middle of both pension names; 老年人优待证 starts with 老 only.
    expect(names('老')[0]).toBe('老年人优待证办理');
  });

  it('requires every word to match', () => {
    expect(names('养老 待遇')).toEqual(['城乡居民养老保险待遇申领']);
    expect(names('养老 许可')).toEqual([]);
  });

  it('returns everything for an empty query and nothing for nonsense', () => {
    expect(searchMatters('  ', DEMO_MATTERS)).toHaveLength(DEMO_MATTERS.length);
    expect(names('不存在的事项')).toEqual([]);
    expect(names('qqqqqq')).toEqual([]);
  });

  it('does not match short digit runs against codes', () => {
    expect(names('12')).toEqual([]);
  });
});
