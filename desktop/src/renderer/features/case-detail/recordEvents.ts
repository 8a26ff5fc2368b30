import {
  createOrgDirectory,
  validateNewEvents,
  type CaseDoc,
  type CaseEvent,
  type OrgUnit,
} from '@sibantong/shared';
import type { AppDatabase } from '../../db/database';
import { applyEvents } from '../../domain/caseLogic';

/** A write the shared rules refuse, or a case no longer on this device: shown in the form. */
export class RecordRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RecordRefused';
  }
}

/**
 * Appends events to a case on top of its history as it is at the moment of writing (never a
 * copy read earlier, so a change that arrived meanwhile is kept), after the hub's own check of
 * new events has accepted them. `build` mints the events from that current history.
 */
export async function recordEvents(
  db: AppDatabase,
  caseId: string,
  units: readonly OrgUnit[],
  build: (current: CaseDoc) => CaseEvent[],
): Promise<void> {
  const rx = await db.cases.findOne(caseId).exec();
  if (!rx) throw new RecordRefused('CASE_NOT_HERE', '该办件已不在本设备上，无法办理');
  const org = units.length > 0 ? createOrgDirectory(units) : undefined;
  await rx.incrementalModify((old) => {
    const current = old as CaseDoc;
    const events = build(current);
    const verdict = validateNewEvents(current.events, events, org ? { org } : {});
    if (!verdict.ok) throw new RecordRefused(verdict.code, verdict.messageZh);
    return applyEvents(current, events) as typeof old;
  });
}

/** The Chinese text of any failure while recording, for the form's error banner. */
export function recordErrorText(e: unknown): string {
  if (e instanceof RecordRefused) return e.message;
  return `保存失败：${e instanceof Error ? e.message : String(e)}`;
}
