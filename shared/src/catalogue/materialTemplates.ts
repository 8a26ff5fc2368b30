/** Builders for catalogue materials; the few items most matters ask for are shared here. */
import type { CatalogueMaterial } from './catalogueTypes.js';

type MaterialOptions = Partial<Omit<CatalogueMaterial, 'id' | 'name'>>;

/** A material with the common defaults: one paper original from the applicant, required. */
export function material(
  id: string,
  name: string,
  options: MaterialOptions = {},
): CatalogueMaterial {
  return {
    id,
    name,
    originals: 1,
    copies: 0,
    form: 'paper',
    source: 'applicant',
    necessity: 'required',
    ...options,
  };
}

export const ID_CARD = material('id-card', '居民身份证', {
  issuer: '公安机关',
  copies: 1,
  source: 'government',
});

export const HOUSEHOLD_REGISTER = material('hukou', '居民户口簿', {
  issuer: '公安机关',
  copies: 1,
  source: 'government',
});

export const BUSINESS_LICENCE = material('business-licence', '营业执照', {
  issuer: '市场监督管理部门',
  originals: 0,
  copies: 1,
  form: 'electronic',
  source: 'government',
});

export const LEGAL_REP_ID = material('legal-rep-id', '法定代表人（负责人）身份证', {
  issuer: '公安机关',
  originals: 0,
  copies: 1,
  source: 'government',
});

export const POWER_OF_ATTORNEY = material(
  'power-of-attorney',
  '授权委托书及受托人身份证（委托办理时）',
  {
    copies: 1,
    necessity: 'optional',
  },
);

export const BANK_ACCOUNT = material('bank-account', '本人社会保障卡或银行账户（发放用）', {
  originals: 0,
  copies: 1,
  source: 'other',
});

export const ECONOMIC_CHECK_CONSENT = material(
  'economic-check-consent',
  '家庭经济状况核对授权书（共同生活家庭成员签字）',
);

export const PHOTO = material('photo', '近期免冠彩色照片（2寸）', { originals: 2 });
