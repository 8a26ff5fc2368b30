import {
  addWorkingDays,
  buildCalendar,
  createOrgDirectory,
  parseCalendarYearFile,
  type CalendarYearTable,
  type MachineContext,
  type MatterLimits,
  type OrgDirectory,
  type OrgUnit,
  type WorkingCalendar,
} from '@sibantong/shared';
import type { AppDatabase } from './database';

/**
 * The reference data the shared rules need, as this device has it from its last sync: the org
 * tree, the matter catalogue's time limits and the holiday calendar. The hub builds the same
 * context from its store (sync-server/src/domain/refData.ts) for the check it runs on push, so
 * the check this device runs before a write gives the hub's verdict as far as it knows.
 */
export interface ReferenceData {
  units: readonly OrgUnit[];
  matters: readonly { id: string; code?: unknown; legalDays?: unknown; promisedDays?: unknown }[];
  calendarDocs: readonly unknown[];
}

/**
 * The synced year tables as one calendar, built as the hub builds its own: a damaged table
 * is skipped (its year then counts weekends only and is marked provisional, 暂估), never the
 * built-in seed, which would disagree with the hub once IT imports a correction.
 */
export function calendarFromSynced(docs: readonly unknown[]): WorkingCalendar {
  const tables: CalendarYearTable[] = [];
  const years = new Set<number>();
  for (const doc of docs) {
    try {
      const table = parseCalendarYearFile(doc);
      if (years.has(table.year)) continue;
      years.add(table.year);
      tables.push(table);
    } catch {
      // Reported on the hub by `calendar import`; here the year is simply not covered.
    }
  }
  return buildCalendar(tables.sort((a, b) => a.year - b.year));
}

/** A matter's limits by its code (the catalogue document's id), as the hub reads them. */
export function matterLimitsOf(
  matters: ReferenceData['matters'],
): (matterCode: string) => MatterLimits | undefined {
  const byCode = new Map<string, MatterLimits>();
  for (const m of matters) {
    if (typeof m.promisedDays !== 'number' || typeof m.legalDays !== 'number') continue;
    const code = typeof m.code === 'string' ? m.code : m.id;
    byCode.set(code, { promisedDays: m.promisedDays, legalDays: m.legalDays });
  }
  return (code) => byCode.get(code);
}

/** The org tree, or undefined before it is synced (the rules then skip the checks needing it). */
export function orgDirectoryOf(units: readonly OrgUnit[]): OrgDirectory | undefined {
  if (units.length === 0) return undefined;
  try {
    return createOrgDirectory(units);
  } catch {
    return undefined;
  }
}

/** The MachineContext the hub would use, from this device's reference data. */
export function machineContextOf(ref: ReferenceData): MachineContext {
  const calendar = calendarFromSynced(ref.calendarDocs);
  const org = orgDirectoryOf(ref.units);
  return {
    ...(org ? { org } : {}),
    ...(ref.matters.length > 0 ? { matterLimits: matterLimitsOf(ref.matters) } : {}),
    addWorkingDays: (iso: string, n: number) => addWorkingDays(iso, n, calendar),
  };
}

/** Reads the reference collections (a few hundred small documents at most). */
export async function loadReferenceData(db: AppDatabase): Promise<ReferenceData> {
  const [units, matters, calendars] = await Promise.all([
    db.orgUnits.find().exec(),
    db.matters.find().exec(),
    db.calendars.find().exec(),
  ]);
  return {
    units: units.map((d) => d.toJSON() as unknown as OrgUnit),
    matters: matters.map((d) => d.toJSON() as unknown as ReferenceData['matters'][number]),
    calendarDocs: calendars.map((d) => d.toJSON() as unknown),
  };
}
