import {
  chinaDate,
  deriveProjectState,
  projectRisk,
  type LinkedCase,
  type ProjectDoc,
  type ProjectRisk,
  type ProjectRiskLevel,
  type WorkingCalendar,
} from '@sibantong/shared';
import type { AppDatabase } from './database';
import { calendarFromSynced } from './localRules';

/**
 * Fields the device derives and stores with each project for its own list only (like
 * localFields.ts for cases): never sent to the hub (the push modifier strips them; the hub's
 * schema refuses unknown fields), recomputed on every write path — local inserts and saves
 * (collection hooks), pulled documents (pull modifier), resolved conflicts (conflict handler),
 * the migration (marked unknown), and once a day or when a linked case changes (the list's
 * background refresh, `refreshProjectRisks`).
 *
 * - `riskKey`: the shared risk order (`compareProjectRisk`) as a string that sorts
 *   **ascending** riskiest first, so the list is an indexed, sorted, limited query instead of
 *   folding and scheduling every project on opening (2,000 projects: ≈ 540 ms → a page read).
 * - `riskDay`: the China date the risk was computed on (a latest start passes with time).
 * - `risk`: what the list shows (level, least slack, first 督办 message).
 */
export interface StoredProjectRisk {
  level: ProjectRiskLevel;
  slackDays: number | null;
  warningCount: number;
  messageZh: string | null;
  provisional: boolean;
}
export interface LocalProjectFields {
  riskKey: string;
  riskDay: string;
  risk: StoredProjectRisk | null;
}
export type StoredProject = ProjectDoc & LocalProjectFields;

export const LOCAL_PROJECT_FIELDS = ['riskKey', 'riskDay', 'risk'] as const;
export const RISK_KEY_LENGTH = 24;
/** Not computed yet (after the migration): sorts after every computed key. */
export const RISK_KEY_UNKNOWN = '9';

const RANK: Readonly<Record<ProjectRiskLevel, number>> = {
  overdue: 0,
  invalid: 1,
  at_risk: 2,
  on_track: 3,
  no_target: 4,
};
const SLACK_OFFSET = 500_000;

/** Level, least slack (none last), most warnings first: compareProjectRisk as a string. */
export function riskKeyOf(risk: ProjectRisk): string {
  const slack =
    risk.slackDays === null
      ? 999_999
      : Math.min(999_998, Math.max(0, risk.slackDays + SLACK_OFFSET));
  const warnings = 999 - Math.min(999, risk.warnings.length);
  return `${RANK[risk.level]}${String(slack).padStart(6, '0')}${String(warnings).padStart(3, '0')}`;
}

export function storedRiskOf(risk: ProjectRisk): StoredProjectRisk {
  return {
    level: risk.level,
    slackDays: risk.slackDays,
    warningCount: risk.warnings.length,
    messageZh: risk.messageZh,
    provisional: risk.provisional,
  };
}

/** The document without the local fields (what the hub and the shared checks see). */
export function withoutLocalProjectFields<T extends ProjectDoc>(doc: T): ProjectDoc {
  const { riskKey, riskDay, risk, ...rest } = doc as T & Partial<LocalProjectFields>;
  void riskKey;
  void riskDay;
  void risk;
  return rest as ProjectDoc;
}

export interface RiskContext {
  today: string;
  calendar: WorkingCalendar | undefined;
  cases: ReadonlyMap<string, LinkedCase>;
}

/** The local fields of a project (pure). */
export function projectLocalFieldsOf(doc: ProjectDoc, ctx: RiskContext): LocalProjectFields {
  const risk = projectRisk(deriveProjectState(doc.events), ctx.cases, ctx.today, ctx.calendar);
  return { riskKey: riskKeyOf(risk), riskDay: ctx.today, risk: storedRiskOf(risk) };
}

export const unknownRiskFields = (): LocalProjectFields => ({
  riskKey: RISK_KEY_UNKNOWN,
  riskDay: '',
  risk: null,
});

function linkedCaseIds(doc: ProjectDoc): string[] {
  const ids = new Set<string>();
  for (const e of doc.events) if (e.type === 'link_case') ids.add(e.payload.caseId);
  return [...ids];
}

/** Calendar of the device, rebuilt when the synced tables change (cached per database). */
const calendars = new WeakMap<AppDatabase, { at: number; value: WorkingCalendar }>();
async function deviceCalendar(db: AppDatabase): Promise<WorkingCalendar | undefined> {
  const hit = calendars.get(db);
  if (hit && Date.now() - hit.at < 60_000) return hit.value;
  const docs = await db.calendars.find().exec();
  if (docs.length === 0) return undefined;
  const value = calendarFromSynced(docs.map((d) => d.toJSON() as unknown));
  calendars.set(db, { at: Date.now(), value });
  return value;
}

/** The context to compute risks of these documents on this device now (one read of cases). */
export async function riskContextFor(
  db: AppDatabase,
  docs: readonly ProjectDoc[],
  now: Date = new Date(),
): Promise<RiskContext> {
  const ids = [...new Set(docs.flatMap(linkedCaseIds))];
  const cases = new Map<string, LinkedCase>();
  if (ids.length > 0) {
    const found = await db.cases.findByIds(ids).exec();
    for (const [id, d] of found) cases.set(id, d.toJSON() as unknown as LinkedCase);
  }
  return { today: chinaDate(now), calendar: await deviceCalendar(db), cases };
}

/** The document with its local fields computed on this device. */
export async function withProjectLocalFields(
  db: AppDatabase | null,
  doc: ProjectDoc,
): Promise<StoredProject> {
  const plain = withoutLocalProjectFields(doc);
  if (!db) return { ...plain, ...unknownRiskFields() };
  try {
    return { ...plain, ...projectLocalFieldsOf(plain, await riskContextFor(db, [plain])) };
  } catch {
    // A history the rules cannot schedule must still be stored: ranked last, shown as unknown.
    return { ...plain, ...unknownRiskFields() };
  }
}
