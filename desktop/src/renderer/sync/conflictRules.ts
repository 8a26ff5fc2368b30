import type { CaseDoc, CaseEvent, MachineContext, NewEventsContext } from '@sibantong/shared';

/**
 * The reference part of the rules (org tree, catalogue limits, synced calendar) the conflict
 * handler judges a device's unsent events with. The handler is one object for the whole
 * collection and knows no database; the events it judges were made on one device, whose sync
 * engine registers where its rules come from (db/caseWrites.ts `localRules`, the same the
 * device checks its own writes with). Unregistered: the rules that need no reference data.
 */
type RulesSource = () => Promise<MachineContext>;
const sources = new Map<string, RulesSource>();

export function setConflictRules(deviceId: string, source: RulesSource | null): void {
  if (source) sources.set(deviceId, source);
  else sources.delete(deviceId);
}

/**
 * The context the hub judges a push of `local` onto `master` with
 * (sync-server/src/sync/pushHandler.ts): the reference data, the case's current origin and
 * the units it was moved away from (a move rewrites them outside the history), and the
 * writer. The writer is the one of the unsent events: only the device holding them made them,
 * and the hub refuses a push of events whose actor is not the pushing user.
 */
export async function conflictContext(
  master: CaseDoc,
  local: readonly CaseEvent[],
): Promise<NewEventsContext> {
  const first = local[0];
  const source = first ? sources.get(first.deviceId) : undefined;
  const rules = source ? await source().catch(() => ({}) as MachineContext) : {};
  return {
    ...rules,
    caseId: master.id,
    ...(first ? { pushedBy: first.actor, deviceId: first.deviceId } : {}),
    caseOriginUnitId: master.originUnitId,
    caseFormerUnitIds: Array.isArray(master.formerUnitIds) ? master.formerUnitIds : [],
  };
}
