/**
 * The 工程建设项目 matters of 示县's demo catalogue, by the four stages of the national reform
 * (国办发〔2019〕11号): 立项用地规划许可 → 工程建设许可 → 施工许可 → 竣工验收. Each matter is a
 * normal catalogue entry (so applying it opens a normal case) plus a project profile: its
 * stage, its prerequisites, the 警示点 a 代办员 must watch, and the ways of working
 * (模拟审批 / 容缺受理 / 联合审批) that apply to it. Time limits follow published county lists
 * (承诺时限 shorter than 法定时限); codes are fictional.
 */
import type { Matter } from './catalogueTypes.js';
import { DEMO_COUNTY } from './demoCounty.js';
import { defineMatter, type MatterSpec } from './defineMatter.js';
import { DEMO_MATTERS as BASE_DEMO_MATTERS } from './demoMatters.js';
import { BUSINESS_LICENCE, LEGAL_REP_ID, material } from './materialTemplates.js';
import type { MatterMode, ProjectStage } from '../project/projectTypes.js';

const NO_FEE = '不收费';

/** Entries new to the catalogue (备案, 用地预审与选址 and 施工许可 are in demoMatters.ts). */
const PROJECT_MATTER_SPECS: MatterSpec[] = [
  {
    basicCode: '000010020000',
    name: '企业投资项目核准',
    matterType: '00',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'county-sx',
    implementingBodyName: '示县发展和改革局',
    caseType: 'promised',
    legalDays: 20,
    promisedDays: 10,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: NO_FEE,
    conditions: '列入政府核准的投资项目目录的企业投资项目，符合国家产业政策和国土空间规划。',
    materials: [
      material('approval-report', '项目申请报告', { source: 'other' }),
      BUSINESS_LICENCE,
      material('siting-opinion', '用地预审与选址意见书', {
        originals: 0,
        copies: 1,
        source: 'government',
        necessity: 'deferrable',
      }),
    ],
  },
  {
    basicCode: '000010030000',
    name: '政府投资项目可行性研究报告审批',
    matterType: '00',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'county-sx',
    implementingBodyName: '示县发展和改革局',
    caseType: 'promised',
    legalDays: 20,
    promisedDays: 10,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: NO_FEE,
    conditions: '政府投资项目，项目建议书已批复（或与可研合并审批），资金来源已落实。',
    materials: [
      material('feasibility-report', '项目可行性研究报告', { source: 'other' }),
      material('funding-plan', '资金筹措方案'),
      material('siting-opinion', '用地预审与选址意见书', {
        originals: 0,
        copies: 1,
        source: 'government',
        necessity: 'deferrable',
      }),
    ],
  },
  {
    basicCode: '010010030000',
    name: '建设用地规划许可证核发',
    matterType: '01',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'dept-zrzy',
    implementingBodyName: '示县自然资源局',
    caseType: 'promised',
    legalDays: 20,
    promisedDays: 5,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: NO_FEE,
    conditions: '已取得用地预审与选址意见书（划拨）或签订国有建设用地使用权出让合同（出让）。',
    materials: [
      material('land-planning-form', '建设用地规划许可申请表'),
      BUSINESS_LICENCE,
      material('land-contract', '国有建设用地使用权出让合同或划拨决定书', {
        originals: 0,
        copies: 1,
        source: 'government',
      }),
      material('project-approval', '项目审批、核准或备案文件', {
        originals: 0,
        copies: 1,
        source: 'government',
        necessity: 'deferrable',
      }),
    ],
  },
  {
    basicCode: '010090010000',
    name: '建设项目环境影响评价审批（报告表）',
    matterType: '01',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'county-sx',
    implementingBodyName: '示县生态环境分局',
    caseType: 'promised',
    legalDays: 30,
    promisedDays: 10,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: NO_FEE,
    conditions: '依《建设项目环境影响评价分类管理名录》应编制环境影响报告表的建设项目。',
    materials: [
      material('eia-application', '建设项目环境影响评价文件审批申请表'),
      material('eia-report', '环境影响报告表（全本及公开删除说明）', { source: 'other' }),
      BUSINESS_LICENCE,
    ],
  },
  {
    basicCode: '000020010000',
    name: '固定资产投资项目节能审查',
    matterType: '00',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'county-sx',
    implementingBodyName: '示县发展和改革局',
    caseType: 'promised',
    legalDays: 20,
    promisedDays: 10,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: NO_FEE,
    conditions: '年综合能源消费量 1000 吨标准煤以上（或年电力消费量 500 万千瓦时以上）的项目。',
    materials: [
      material('energy-application', '节能审查申请书'),
      material('energy-report', '节能报告', { source: 'other' }),
      material('project-approval', '项目审批、核准或备案文件', {
        originals: 0,
        copies: 1,
        source: 'government',
        necessity: 'deferrable',
      }),
    ],
  },
  {
    basicCode: '010100010000',
    name: '生产建设项目水土保持方案审批',
    matterType: '01',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'county-sx',
    implementingBodyName: '示县水利局',
    caseType: 'promised',
    legalDays: 20,
    promisedDays: 8,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: '依法缴纳水土保持补偿费',
    conditions: '在山区、丘陵区、风沙区及水土保持规划确定的易发区开办可能造成水土流失的项目。',
    materials: [
      material('swc-application', '水土保持方案审批申请'),
      material('swc-plan', '水土保持方案报告书（表）', { source: 'other' }),
      LEGAL_REP_ID,
    ],
  },
  {
    basicCode: '100010010000',
    name: '重大项目社会稳定风险评估审查',
    matterType: '10',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'county-sx',
    implementingBodyName: '示县发展和改革局（会同县委政法委）',
    caseType: 'promised',
    legalDays: 30,
    promisedDays: 15,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: NO_FEE,
    conditions: '涉及征地拆迁、环境影响较大等可能影响社会稳定的重大项目。',
    materials: [
      material('risk-report', '社会稳定风险分析报告', { source: 'other' }),
      material('public-opinion', '公众意见征询及处理情况', { necessity: 'deferrable' }),
    ],
  },
  {
    basicCode: '010010040000',
    name: '建设工程规划许可证核发',
    matterType: '01',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'dept-zrzy',
    implementingBodyName: '示县自然资源局',
    caseType: 'promised',
    legalDays: 20,
    promisedDays: 7,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: NO_FEE,
    conditions: '已取得建设用地规划许可证和土地权属证明，设计方案符合规划条件。',
    materials: [
      material('building-planning-form', '建设工程规划许可申请表'),
      material('design-scheme', '建设工程设计方案（总平面图、单体方案）', { source: 'other' }),
      material('land-title', '不动产权证书或土地权属证明', {
        originals: 0,
        copies: 1,
        source: 'government',
        necessity: 'deferrable',
      }),
    ],
  },
  {
    basicCode: '200080010000',
    name: '施工图设计文件审查（含消防、人防）',
    matterType: '20',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'dept-zj',
    implementingBodyName: '示县住房和城乡建设局（施工图联合审查）',
    caseType: 'promised',
    legalDays: 20,
    promisedDays: 10,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: '政府购买服务，不向建设单位收费',
    conditions: '施工图设计文件完成，勘察文件齐全；消防、人防、技防等专项审查一并进行。',
    materials: [
      material('construction-drawings', '施工图设计文件（全专业电子图纸）', { form: 'electronic' }),
      material('survey-report', '岩土工程勘察报告', { source: 'other' }),
      material('planning-permit', '建设工程规划许可证', {
        originals: 0,
        copies: 1,
        source: 'government',
        necessity: 'deferrable',
      }),
    ],
  },
  {
    basicCode: '010040030000',
    name: '特殊建设工程消防设计审查',
    matterType: '01',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'dept-zj',
    implementingBodyName: '示县住房和城乡建设局',
    caseType: 'promised',
    legalDays: 15,
    promisedDays: 8,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: NO_FEE,
    conditions: '《建设工程消防设计审查验收管理暂行规定》所列特殊建设工程。',
    materials: [
      material('fire-design-form', '消防设计审查申请表'),
      material('fire-design-docs', '消防设计文件', { form: 'electronic', source: 'other' }),
      BUSINESS_LICENCE,
    ],
  },
  {
    basicCode: '010110010000',
    name: '结合民用建筑修建防空地下室审批',
    matterType: '01',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'county-sx',
    implementingBodyName: '示县人民防空办公室',
    caseType: 'promised',
    legalDays: 20,
    promisedDays: 7,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: '不具备修建条件的按规定缴纳易地建设费',
    conditions: '城市规划区内新建民用建筑，按规定应修建防空地下室或申请易地建设。',
    materials: [
      material('civil-defence-form', '人防工程建设审批申请表'),
      material('civil-defence-drawings', '防空地下室设计图纸', { form: 'electronic' }),
    ],
  },
  {
    basicCode: '010040040000',
    name: '特殊建设工程消防验收',
    matterType: '01',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'dept-zj',
    implementingBodyName: '示县住房和城乡建设局',
    caseType: 'promised',
    legalDays: 15,
    promisedDays: 8,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: NO_FEE,
    conditions: '特殊建设工程竣工，建设单位组织竣工验收合格，消防设施检测合格。',
    materials: [
      material('fire-acceptance-form', '消防验收申请表'),
      material('fire-test-report', '消防设施检测报告', { source: 'other' }),
      material('as-built-drawings', '竣工图纸', { form: 'electronic', necessity: 'deferrable' }),
    ],
  },
  {
    basicCode: '070030010000',
    name: '建设工程规划条件核实',
    matterType: '07',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'dept-zrzy',
    implementingBodyName: '示县自然资源局',
    caseType: 'promised',
    legalDays: 15,
    promisedDays: 5,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: NO_FEE,
    conditions: '取得建设工程规划许可证的项目竣工，具备规划核实条件。',
    materials: [
      material('planning-check-form', '规划条件核实申请表'),
      material('survey-as-built', '竣工规划测量成果报告', { source: 'other' }),
    ],
  },
  {
    basicCode: '070040010000',
    name: '工程建设项目竣工联合验收',
    matterType: '07',
    exerciseLevel: '4',
    level: 'county',
    implementingUnitId: 'dept-zj',
    implementingBodyName: '示县住房和城乡建设局（牵头，规划、消防、人防、档案等联合）',
    caseType: 'promised',
    legalDays: 20,
    promisedDays: 10,
    villageMode: 'assist',
    serviceObjects: ['enterprise'],
    feeNote: NO_FEE,
    conditions: '工程按设计和合同完成，各专项验收条件具备，建设单位提出联合验收申请。',
    materials: [
      material('joint-acceptance-form', '竣工联合验收申请表'),
      material('completion-report', '工程竣工验收报告', { source: 'other' }),
      material('archive-docs', '城建档案移交资料', { necessity: 'deferrable' }),
    ],
  },
];

export const DEMO_PROJECT_NEW_MATTERS: readonly Matter[] = PROJECT_MATTER_SPECS.map((spec) =>
  defineMatter(spec, DEMO_COUNTY),
);

/** Everything in the demo catalogue: the county's general matters and the project matters. */
export const DEMO_MATTERS_WITH_PROJECTS: readonly Matter[] = [
  ...BASE_DEMO_MATTERS,
  ...DEMO_PROJECT_NEW_MATTERS,
];

/** What a 代办员 needs of a matter beyond the catalogue entry, keyed by the matter's basic code. */
export interface ProjectMatterProfile {
  basicCode: string;
  stage: ProjectStage;
  /** Basic codes of matters whose result this one needs first (前置条件). */
  prerequisites: readonly string[];
  /** 警示点: what goes wrong at this step and must be watched. */
  warningZh: string;
  /** Ways of working that apply: 模拟审批, 容缺受理, 联合审批 (parallel). */
  modes: readonly MatterMode[];
  /** Set on the 审批/核准/备案 alternatives: a project needs exactly one of the group. */
  alternativeGroup?: 'project_approval';
}

/** Basic codes of the three entries that live in demoMatters.ts. */
const FILING = '000010010000'; // 企业投资项目备案
const SITING = '010010020000'; // 建设项目用地预审与选址意见书
const CONSTRUCTION_PERMIT = '010040010000'; // 建筑工程施工许可

export const PROJECT_MATTER_PROFILES: readonly ProjectMatterProfile[] = [
  // 一、立项用地规划许可
  {
    basicCode: FILING,
    stage: 'land_planning',
    prerequisites: [],
    warningZh: '备案信息须与实际建设内容一致；取得投资项目统一代码后，后续各审批均须填写该代码。',
    modes: [],
    alternativeGroup: 'project_approval',
  },
  {
    basicCode: '000010020000',
    stage: 'land_planning',
    prerequisites: [SITING],
    warningZh: '核准前须取得用地预审与选址意见书；项目申请报告的建设规模与选址意见一致。',
    modes: ['simulated', 'deferred'],
    alternativeGroup: 'project_approval',
  },
  {
    basicCode: '000010030000',
    stage: 'land_planning',
    prerequisites: [SITING],
    warningZh: '可研批复投资额超概算 10% 以上须重新报批；资金来源须已落实。',
    modes: ['simulated', 'deferred'],
    alternativeGroup: 'project_approval',
  },
  {
    basicCode: SITING,
    stage: 'land_planning',
    prerequisites: [],
    warningZh:
      '用地是否符合国土空间规划、是否占用永久基本农田和生态保护红线，须在选址阶段先行核实。',
    modes: ['simulated', 'joint'],
  },
  {
    basicCode: '010010030000',
    stage: 'land_planning',
    prerequisites: [SITING],
    warningZh: '出让土地须先签订出让合同并缴清出让金；规划条件不得擅自变更。',
    modes: ['simulated', 'deferred'],
  },
  {
    basicCode: '010090010000',
    stage: 'land_planning',
    prerequisites: [],
    warningZh: '环评未批复不得开工建设；选址涉及水源保护区、自然保护地的须先行调整。',
    modes: ['simulated', 'joint'],
  },
  {
    basicCode: '000020010000',
    stage: 'land_planning',
    prerequisites: [],
    warningZh: '节能审查未通过的项目不得开工；能耗指标须在区域能耗总量内落实。',
    modes: ['simulated', 'joint'],
  },
  {
    basicCode: '010100010000',
    stage: 'land_planning',
    prerequisites: [],
    warningZh: '水保方案未批先建将被处罚；弃土弃渣场选址须在方案中明确。',
    modes: ['simulated', 'joint'],
  },
  {
    basicCode: '100010010000',
    stage: 'land_planning',
    prerequisites: [],
    warningZh: '涉及征地拆迁的须先完成稳评并落实化解措施，评估结论为高风险的不得报批。',
    modes: ['joint'],
  },
  // 二、工程建设许可
  {
    basicCode: '010010040000',
    stage: 'building_planning',
    prerequisites: ['010010030000'],
    warningZh:
      '设计方案须符合规划条件（容积率、建筑密度、绿地率、退界）；方案公示期内有异议的须先处理。',
    modes: ['simulated', 'deferred'],
  },
  // 三、施工许可
  {
    basicCode: '200080010000',
    stage: 'construction_permit',
    prerequisites: ['010010040000'],
    warningZh: '消防、人防、技防须一并送审；审查不合格的修改后须重新送审，预留整改时间。',
    modes: ['simulated', 'joint'],
  },
  {
    basicCode: '010040030000',
    stage: 'construction_permit',
    prerequisites: ['010010040000'],
    warningZh: '特殊建设工程未经消防设计审查或审查不合格的，不得发放施工许可证。',
    modes: ['joint'],
  },
  {
    basicCode: '010110010000',
    stage: 'construction_permit',
    prerequisites: ['010010040000'],
    warningZh: '应建防空地下室的须在施工图审查前明确修建或易地建设，易地建设费须先缴纳。',
    modes: ['joint', 'deferred'],
  },
  {
    basicCode: CONSTRUCTION_PERMIT,
    stage: 'construction_permit',
    prerequisites: ['010010040000', '200080010000', '010040030000'],
    warningZh:
      '施工许可前须确定施工单位、落实质量安全监督手续和建设资金；未取得施工许可擅自开工将被责令停工。',
    modes: ['deferred'],
  },
  // 四、竣工验收
  {
    basicCode: '010040040000',
    stage: 'completion_acceptance',
    prerequisites: [CONSTRUCTION_PERMIT],
    warningZh: '消防设施须经检测合格后再申请验收；验收不合格的工程不得投入使用。',
    modes: ['joint'],
  },
  {
    basicCode: '070030010000',
    stage: 'completion_acceptance',
    prerequisites: [CONSTRUCTION_PERMIT],
    warningZh: '竣工规划测量须由具备资质的测绘单位出具；超出规划许可的建筑须先整改。',
    modes: ['joint'],
  },
  {
    basicCode: '070040010000',
    stage: 'completion_acceptance',
    prerequisites: ['010040040000', '070030010000'],
    warningZh:
      '联合验收一次申请、统一组织、限时办结；各专项意见须同一时间出具，城建档案资料须齐全。',
    modes: ['joint', 'deferred'],
  },
];

const PROFILE_BY_CODE = new Map(PROJECT_MATTER_PROFILES.map((p) => [p.basicCode, p]));

/** The profile of a catalogue matter, when it is one of the project matters. */
export function projectMatterProfile(basicCode: string): ProjectMatterProfile | undefined {
  return PROFILE_BY_CODE.get(basicCode);
}
