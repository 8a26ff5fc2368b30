/**
 * The cockpit's figures (驾驶舱, docs/cockpit.md): what is counted, how rates follow from the
 * counts, and the wire types of the hub's figure routes. The hub counts with store views;
 * the desktop shows, drills down and exports; both read the definitions here.
 */
import type { CaseScope } from '../org/scope.js';

/**
 * Counted case facts, each dated by the hub time of the event that makes it:
 * - received 收件 (receive), accepted 受理 (accept), deferred 容缺受理 (accept with 容缺),
 *   informed 一次告知 (first inform_missing), notAccepted 不予受理 (refuse),
 *   assisted 帮办代办 (received under a signed 代办委托书 or on a home visit),
 * - concluded 办结, instant 即办 (concluded on the day of acceptance), onTime 按期办结
 *   (concluded on or before the promised date), late 超期办结 (after it),
 * - rate1…rate5 好差评 by level (4 and 5 are 差评),
 * - openDue: a running case, dated by its promised date (超期在办 = openDue before today).
 */
export const CASE_FACTS = [
  'received',
  'accepted',
  'deferred',
  'informed',
  'notAccepted',
  'assisted',
  'concluded',
  'instant',
  'onTime',
  'late',
  'rate1',
  'rate2',
  'rate3',
  'rate4',
  'rate5',
  'openDue',
] as const;
export type CaseFact = (typeof CASE_FACTS)[number];

/** Facts of the hub's own records: 差评 tickets, 督办 records, refused writes. */
export const RECORD_FACTS = [
  'tickets',
  'ticketsRectified',
  'ticketsCalledBack',
  'supervisionOpen',
  'supervisionClosed',
  'refusedWrites',
] as const;
export type RecordFact = (typeof RECORD_FACTS)[number];

export type FigureFact = CaseFact | RecordFact;

/** The figure a user reads: the counted facts, plus 超期在办 as of today. */
export type FigureMetric = Exclude<FigureFact, 'openDue'> | 'overdueOpen';

export const METRIC_LABELS: Readonly<Record<FigureMetric, string>> = {
  received: '收件',
  accepted: '受理',
  deferred: '容缺受理',
  informed: '一次告知',
  notAccepted: '不予受理',
  assisted: '帮办代办',
  concluded: '办结',
  instant: '即办',
  onTime: '按期办结',
  late: '超期办结',
  rate1: '非常满意',
  rate2: '满意',
  rate3: '基本满意',
  rate4: '不满意',
  rate5: '非常不满意',
  overdueOpen: '超期在办',
  tickets: '差评工单',
  ticketsRectified: '已整改',
  ticketsCalledBack: '已回访',
  supervisionOpen: '督办未结',
  supervisionClosed: '督办已结',
  refusedWrites: '被拒写入',
};

/** Case metrics a list of cases stands behind (drill-down). */
// Every case fact, read as the user reads it: a running case counts as 超期在办 once overdue.
export const DRILLABLE_METRICS: readonly FigureMetric[] = CASE_FACTS.map((f) =>
  f === 'openDue' ? 'overdueOpen' : f,
);

export type FigureCounts = Partial<Record<FigureMetric, number>>;

export const DIMENSIONS = ['town', 'village', 'department', 'matter'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const DIMENSION_LABELS: Readonly<Record<Dimension, string>> = {
  town: '镇街',
  village: '村（社区）',
  department: '部门',
  matter: '事项',
};

export const GRAINS = ['day', 'week', 'month'] as const;
export type Grain = (typeof GRAINS)[number];

/** GET /api/figures?from=YYYY-MM-DD&to=YYYY-MM-DD&grain=day|week|month */
export interface FiguresResponse {
  scope: { kind: 'county' | 'town'; unitId: string; name: string };
  from: string;
  to: string;
  grain: Grain;
  /** Hub time the figures were read (shown offline as "as of"). */
  asOf: string;
  /** Totals over the range (overdueOpen: as of today, whatever the range). */
  totals: FigureCounts;
  /** Average working days from acceptance to conclusion of cases concluded in the range. */
  avgWorkingDays: number | null;
  /** Per period (day, ISO week's Monday, or month YYYY-MM), in order. */
  trend: Array<{ period: string; counts: FigureCounts }>;
  /** Per dimension value over the range, with the unit's or matter's name. */
  breakdown: Record<Dimension, Array<{ key: string; name: string; counts: FigureCounts }>>;
  /** Village PCs whose last upload is older than STALE_DEVICE_DAYS. */
  staleDevices: StaleDevice[];
}

export interface StaleDevice {
  deviceId: string;
  /** The name IT gave the PC at enrolment. */
  name: string;
  unitId: string;
  unitName: string;
  /** Hub time of the last events it uploaded; null when it never uploaded any. */
  lastUpload: string | null;
  days: number | null;
}

export const STALE_DEVICE_DAYS = 3;

/** GET /api/figures/cases?metric&from&to[&dim&key][&limit] — the cases behind a number. */
export interface FigureCasesResponse {
  metric: FigureMetric;
  total: number;
  /** Case ids, newest first (the desktop reads the cases it holds; see docs/cockpit.md). */
  cases: FigureCaseRow[];
  truncated: boolean;
}

/** A row of a drill-down list: what the lists show, masked identity only. */
export interface FigureCaseRow {
  id: string;
  officialNo: string | null;
  provisionalNo: string;
  matterCode: string;
  originUnitId: string;
  townId: string;
  holderUnitId: string;
  status: string;
  /** Masked as the lists show it (shared maskName); the full name only from a case a PC holds. */
  applicantNameMasked: string;
  applicantIdMasked: string;
  /** Received under a 代办委托书 / on a home visit (帮办代办台账). */
  assisted: boolean;
  /** Hub time of the fact (e.g. when it was concluded), or the promised date for overdue. */
  at: string;
  promisedDue: string | null;
}

export const MAX_DRILL_ROWS = 2000;

/**
 * The hub's refusal (503) while its figures are being rebuilt on a large store: the message
 * says how far; the cockpit keeps its last figures and asks again.
 */
export const FIGURES_REBUILDING = 'FIGURES_REBUILDING';

/** GET /api/figures/supervision?from&to — 督办台账: overdue records issued in the range. */
export interface SupervisionLedgerResponse {
  records: SupervisionLedgerRow[];
  truncated: boolean;
}

export interface SupervisionLedgerRow {
  id: string;
  caseId: string;
  caseNo: string;
  matterCode: string;
  /** Unit supervised (the holder when issued). */
  unitId: string;
  townId: string;
  dueDate: string;
  issuedAt: string;
  resolved: boolean;
  /** Case status now. */
  status: string;
}

/** Scopes the cockpit serves: the county (supervisor, centre) or one town (its lead). */
export function figureScopeOf(
  scope: CaseScope,
): { kind: 'county' | 'town'; unitId: string } | null {
  if (scope.kind === 'county') return { kind: 'county', unitId: scope.countyId };
  if (scope.kind === 'town') return { kind: 'town', unitId: scope.townId };
  return null;
}
