/**
 * Importing a year's 放假调休 table, once for the CLI (`calendar import <file>`) and the IT
 * console (preview, then import): the file is parsed and validated by the shared rule before
 * anything is written, and the preview says what the import would change.
 */
import yaml from 'js-yaml';
import { DomainError, type CalendarYearTable } from '@sibantong/shared';
import { AdminInputError } from '../auth/adminInputError.js';
import { RefData } from '../domain/refData.js';
import { parseCalendarYearFile } from '../domain/sharedCompat.js';
import { putCalendarYear } from '../seed/seedCalendars.js';
import type { Store } from '../store/store.js';
import { hubCalendarStatus, type HubCalendarStatus } from '../workflow/calendarStatus.js';

export type CalendarFormat = 'json' | 'yaml';

export function formatOfFileName(name: string): CalendarFormat {
  return /\.ya?ml$/i.test(name) ? 'yaml' : 'json';
}

/** The validated table, or a refusal with the Chinese reason (code CALENDAR_INVALID). */
export function parseCalendarText(text: string, format: CalendarFormat): CalendarYearTable {
  try {
    const parsed: unknown = format === 'yaml' ? yaml.load(text) : JSON.parse(text);
    return parseCalendarYearFile(parsed);
  } catch (err) {
    const why = err instanceof DomainError ? err.messageZh : '不是有效的 JSON / YAML 文件';
    throw new AdminInputError('CALENDAR_INVALID', `日历文件无效：${why}`);
  }
}

export async function calendarStatus(store: Store): Promise<HubCalendarStatus> {
  return hubCalendarStatus(store, await new RefData(store).get(), new Date());
}

export interface CalendarPreview {
  table: CalendarYearTable;
  /** The hub already has this year: importing replaces it. */
  replaces: boolean;
  /** Cases with provisional deadlines the hub will recompute after the import. */
  recomputeCases: number;
}

export async function previewCalendar(
  store: Store,
  table: CalendarYearTable,
): Promise<CalendarPreview> {
  const status = await calendarStatus(store);
  return {
    table,
    replaces: status.years.includes(table.year),
    recomputeCases: status.provisionalCases,
  };
}

export async function importCalendar(store: Store, table: CalendarYearTable) {
  // Counted before the write: a running hub starts recomputing as soon as the year lands.
  const recomputeCases = (await calendarStatus(store)).provisionalCases;
  const result = await putCalendarYear(store, table, true);
  return { year: table.year, result, recomputeCases, status: await calendarStatus(store) };
}
