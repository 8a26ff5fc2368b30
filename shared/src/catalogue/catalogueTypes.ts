/**
 * The matter catalogue (事项目录) as GB/T 39046-2020 describes it, plus what the service
 * network needs: the level that completes a matter and what a village point does with it.
 */
import type { ApplicantKind, MaterialNecessity } from '../case/caseTypes.js';

/** 00 行政权力 … 10 其他行政权力, 20 公共服务 (GB/T 39046-2020 codes). */
export const MATTER_TYPES = [
  '00',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '07',
  '08',
  '09',
  '10',
  '20',
] as const;
export type MatterTypeCode = (typeof MATTER_TYPES)[number];

export const MATTER_TYPE_LABELS_ZH: Readonly<Record<MatterTypeCode, string>> = {
  '00': '行政权力',
  '01': '行政许可',
  '02': '行政处罚',
  '03': '行政强制',
  '04': '行政征收',
  '05': '行政给付',
  '06': '行政检查',
  '07': '行政确认',
  '08': '行政奖励',
  '09': '行政裁决',
  '10': '其他行政权力',
  '20': '公共服务',
};

/** 行使层级: 1 national … 6 village, 7 tiered (分级行使). */
export const EXERCISE_LEVELS = ['1', '2', '3', '4', '5', '6', '7'] as const;
export type ExerciseLevel = (typeof EXERCISE_LEVELS)[number];

export const EXERCISE_LEVEL_LABELS_ZH: Readonly<Record<ExerciseLevel, string>> = {
  '1': '国家级',
  '2': '省级',
  '3': '市级',
  '4': '县级',
  '5': '镇（乡、街道）级',
  '6': '村（社区）级',
  '7': '分级行使',
};

/** The level of the service network whose window completes (办结) the matter. */
export type MatterLevel = 'village' | 'town' | 'county';

export const MATTER_LEVEL_LABELS_ZH: Readonly<Record<MatterLevel, string>> = {
  village: '村（社区）',
  town: '镇（街道）',
  county: '县级',
};

/**
 * What a village point does with the matter:
 * - direct_complete: the village completes it itself, usually on the spot (即办);
 * - accept_and_forward: the village takes the application in and forwards it (收件转办);
 * - assist: the village helps prepare the application, the applicant files it higher up (协办);
 * - inform_only: the village only tells people where to go and what to bring (公开告知).
 */
export type MatterVillageMode = 'direct_complete' | 'accept_and_forward' | 'assist' | 'inform_only';

export const VILLAGE_MODE_LABELS_ZH: Readonly<Record<MatterVillageMode, string>> = {
  direct_complete: '村级即办',
  accept_and_forward: '收件转办',
  assist: '帮办协办',
  inform_only: '公开告知',
};

/** 即办件 / 承诺件. */
export type MatterCaseType = 'immediate' | 'promised';

export interface CatalogueMaterial {
  /** Stable within the matter, e.g. `id-card`. */
  id: string;
  name: string;
  /** Issuing body, for materials someone else issues (出具单位). */
  issuer?: string;
  originals: number;
  copies: number;
  form: 'paper' | 'electronic';
  source: 'applicant' | 'government' | 'other';
  /** deferrable = may be handed in later under a signed 容缺 commitment. */
  necessity: MaterialNecessity;
}

export interface Matter {
  /** 实施编码: opaque string of at most 50 characters (live codes have 31). */
  code: string;
  /** 基本编码, 12 characters. */
  basicCode: string;
  name: string;
  /** Lower-case pinyin initials of the name, for search (城乡居民… → cxjm…). */
  pinyinInitials: string;
  matterType: MatterTypeCode;
  exerciseLevel: ExerciseLevel;
  level: MatterLevel;
  /**
   * Org unit answerable for the matter in this county's catalogue: a department, or the
   * county itself for bodies outside the modelled departments (e.g. 行政审批服务局).
   * Which town or village completes a town/village matter follows from the case's origin.
   */
  implementingUnitId: string;
  /** Statutory implementing body as printed on receipts, e.g. 示县人力资源和社会保障局. */
  implementingBodyName: string;
  caseType: MatterCaseType;
  /** 法定办结时限, working days. */
  legalDays: number;
  /** 承诺办结时限, working days; 0 for 即办件; never above legalDays. */
  promisedDays: number;
  villageMode: MatterVillageMode;
  /** Present exactly for accept_and_forward: the level the village forwards to. */
  forwardTo?: 'town' | 'county';
  serviceObjects: ApplicantKind[];
  feeNote: string;
  conditions: string;
  materials: CatalogueMaterial[];
}
