/** Organisation tree of one county: county → towns → villages, plus county departments. */
export type OrgLevel = 'county' | 'town' | 'village' | 'department';

export interface OrgUnit {
  /** Stable id, e.g. `county-sx`, `town-dq`, `village-dq-01`, `dept-zrzy`. */
  id: string;
  name: string;
  level: OrgLevel;
  /** Parent unit id: village → town, town → county, department → county; null for the county. */
  parentId: string | null;
  /** 统一社会信用代码 of the unit (the accepting body on receipts). */
  uscc?: string;
  /** 行政区划代码 (12 digits for towns/villages). */
  divisionCode?: string;
  /** Short code printed in provisional case numbers, unique within the county, A–Z0–9, 2–6 chars. */
  pointCode: string;
}

export const ROLES = [
  'village_helper',
  'town_lead',
  'centre_agent',
  'dept_assistant',
  'supervisor',
  'it_admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS_ZH: Readonly<Record<Role, string>> = {
  village_helper: '村居帮办',
  town_lead: '镇街领办',
  centre_agent: '中心代办',
  dept_assistant: '部门协办',
  supervisor: '督办',
  it_admin: '信息管理员',
};

/** The authenticated person acting on a device. */
export interface Actor {
  userId: string;
  name: string;
  role: Role;
  /** Org unit the user belongs to (village for helpers, town for leads, county for centre/supervisor/IT, department for assistants). */
  orgUnitId: string;
}
