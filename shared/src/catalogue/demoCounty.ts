/**
 * A made-up county for demos, tests and first runs: 示县 with two towns, five villages and
 * four departments. Division codes and USCCs are fictional but well formed (USCC check
 * characters are computed, not copied from any real body).
 */
import type { OrgUnit, Role } from '../org/orgTypes.js';
import { usccCheckChar } from '../identity/uscc.js';

/** A government body's USCC: 11 (机关) + division + 9-character org code + check character. */
function governmentUscc(division6: string, orgCode9: string): string {
  const first17 = `11${division6}${orgCode9}`;
  return first17 + usccCheckChar(first17);
}

const COUNTY_DIVISION = '330999';

export const DEMO_COUNTY: readonly OrgUnit[] = [
  {
    id: 'county-sx',
    name: '示县',
    level: 'county',
    parentId: null,
    uscc: governmentUscc(COUNTY_DIVISION, '002000011'),
    divisionCode: '330999000000',
    pointCode: 'SX',
  },
  {
    id: 'town-dq',
    name: '东桥镇',
    level: 'town',
    parentId: 'county-sx',
    uscc: governmentUscc(COUNTY_DIVISION, '002100016'),
    divisionCode: '330999100000',
    pointCode: 'DQ',
  },
  {
    id: 'town-xh',
    name: '西湖街道',
    level: 'town',
    parentId: 'county-sx',
    uscc: governmentUscc(COUNTY_DIVISION, '002100024'),
    divisionCode: '330999001000',
    pointCode: 'XH',
  },
  // Village codes: 2xx are 村民委员会, 0xx 居民委员会 (社区), as in the national scheme.
  {
    id: 'village-dq-01',
    name: '东桥村',
    level: 'village',
    parentId: 'town-dq',
    divisionCode: '330999100201',
    pointCode: 'DQ01',
  },
  {
    id: 'village-dq-02',
    name: '南岭村',
    level: 'village',
    parentId: 'town-dq',
    divisionCode: '330999100202',
    pointCode: 'DQ02',
  },
  {
    id: 'village-dq-03',
    name: '柳塘村',
    level: 'village',
    parentId: 'town-dq',
    divisionCode: '330999100203',
    pointCode: 'DQ03',
  },
  {
    id: 'village-xh-01',
    name: '湖滨社区',
    level: 'village',
    parentId: 'town-xh',
    divisionCode: '330999001001',
    pointCode: 'XH01',
  },
  {
    id: 'village-xh-02',
    name: '荷塘社区',
    level: 'village',
    parentId: 'town-xh',
    divisionCode: '330999001002',
    pointCode: 'XH02',
  },
  {
    id: 'dept-zrzy',
    name: '示县自然资源局',
    level: 'department',
    parentId: 'county-sx',
    uscc: governmentUscc(COUNTY_DIVISION, '002300013'),
    pointCode: 'ZRZY',
  },
  {
    id: 'dept-zj',
    name: '示县住房和城乡建设局',
    level: 'department',
    parentId: 'county-sx',
    uscc: governmentUscc(COUNTY_DIVISION, '002300021'),
    pointCode: 'ZJ',
  },
  {
    id: 'dept-rs',
    name: '示县人力资源和社会保障局',
    level: 'department',
    parentId: 'county-sx',
    uscc: governmentUscc(COUNTY_DIVISION, '002300030'),
    pointCode: 'RS',
  },
  {
    id: 'dept-sj',
    name: '示县市场监督管理局',
    level: 'department',
    parentId: 'county-sx',
    uscc: governmentUscc(COUNTY_DIVISION, '002300048'),
    pointCode: 'SJ',
  },
];

/**
 * The one password of every demo account. Demo data only: installations create real
 * accounts, and the hub should force a change on first login outside demo mode.
 */
export const DEMO_PASSWORD = 'Demo@2026';

export interface DemoUser {
  username: string;
  name: string;
  role: Role;
  orgUnitId: string;
  password: string;
}

const DEMO_ACCOUNTS: readonly Omit<DemoUser, 'password'>[] = [
  { username: 'v.dq01', name: '李秀英', role: 'village_helper', orgUnitId: 'village-dq-01' },
  { username: 'v.dq02', name: '王建国', role: 'village_helper', orgUnitId: 'village-dq-02' },
  { username: 'v.dq03', name: '张桂兰', role: 'village_helper', orgUnitId: 'village-dq-03' },
  { username: 'v.xh01', name: '刘海燕', role: 'village_helper', orgUnitId: 'village-xh-01' },
  { username: 'v.xh02', name: '陈志强', role: 'village_helper', orgUnitId: 'village-xh-02' },
  { username: 't.dq', name: '赵敏', role: 'town_lead', orgUnitId: 'town-dq' },
  { username: 't.xh', name: '孙伟', role: 'town_lead', orgUnitId: 'town-xh' },
  { username: 'c.agent', name: '周丽娟', role: 'centre_agent', orgUnitId: 'county-sx' },
  { username: 'd.zrzy', name: '吴国平', role: 'dept_assistant', orgUnitId: 'dept-zrzy' },
  { username: 'd.zj', name: '郑晓东', role: 'dept_assistant', orgUnitId: 'dept-zj' },
  { username: 'd.rs', name: '何静', role: 'dept_assistant', orgUnitId: 'dept-rs' },
  { username: 'd.sj', name: '马俊', role: 'dept_assistant', orgUnitId: 'dept-sj' },
  { username: 'sup', name: '黄文斌', role: 'supervisor', orgUnitId: 'county-sx' },
  { username: 'it', name: '林涛', role: 'it_admin', orgUnitId: 'county-sx' },
];

/** One user per role per unit where the role works: v.<village>, t.<town>, d.<dept>, …. */
export const DEMO_USERS: readonly DemoUser[] = DEMO_ACCOUNTS.map((account) => ({
  ...account,
  password: DEMO_PASSWORD,
}));
