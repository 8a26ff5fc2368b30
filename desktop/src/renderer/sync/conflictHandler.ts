import type { RxConflictHandler } from 'rxdb';
import type { CaseDoc } from '@sibantong/shared';
import { deriveFields, unionEvents } from '../domain/caseLogic';
import { isEventRefused } from './refusedEvents';
import { withLocalFields } from '../db/localFields';

function eventKey(d: CaseDoc): string {
  return d.events
    .map((e) => `${e.id}@${e.hubTime ?? ''}`)
    .sort()
    .join('|');
}

/**
 * Cases are append-only histories, so a conflict resolves as the union of both histories.
 * The hub already merges server-side and sends the merged master, so usually the union equals
 * the master and nothing is re-pushed; local events the master lacks (and the hub did not
 * refuse) are kept and go up on the next push. A removal (deleted master) always wins: the
 * case left this device's scope.
 */
export const caseConflictHandler: RxConflictHandler<CaseDoc> = {
  isEqual(a, b) {
    return (
      !!a._deleted === !!b._deleted &&
      a.updatedAt === b.updatedAt &&
      a.officialNo === b.officialNo &&
      a.holderUnitId === b.holderUnitId &&
      JSON.stringify(a.deadlines) === JSON.stringify(b.deadlines) &&
      eventKey(a) === eventKey(b)
    );
  },
  async resolve(i) {
    // The result is written to the local store as it is: it carries the local index fields.
    const master = i.realMasterState;
    if (master._deleted) return master;
    const localOnly = i.newDocumentState.events.filter(
      (e) => !isEventRefused(e.id) && !master.events.some((m) => m.id === e.id),
    );
    if (localOnly.length === 0) return withLocalFields(master);
    const events = unionEvents(master.events, localOnly);
    return withLocalFields({ ...master, events, ...deriveFields(events) });
  },
};
