import type { CaseDoc } from '@sibantong/shared';
import { deriveCaseFields as deriveFields } from '@sibantong/shared';

/**
 * The hub's copy of a case as this device last saw it, for a push row that has none.
 *
 * RxDB records that copy (the "assumed master state") only in replications that push: the
 * pull-only catch-up of a fresh device (sync/replication.ts) skips it, so the first local edit
 * of a case pulled then reaches the push handler without one. The hub needs it to tell a
 * conflict (someone acted meanwhile) from a refusal and to accept hub fields the device holds.
 * Events are append-only and the hub stamps `hubTime` on every event it accepts, so the events
 * carrying a stamp are exactly the hub's history as received; hub-owned fields (official
 * number, deadlines, former units) on the device only ever come from the hub.
 *
 * A case with no stamped event was never on the hub: its push is a creation (null).
 */
export function assumedMasterOf(assumed: CaseDoc | null | undefined, doc: CaseDoc): CaseDoc | null {
  if (assumed) return assumed;
  const stamped = doc.events.filter((e) => typeof e.hubTime === 'string' && e.hubTime !== '');
  if (stamped.length === 0) return null;
  try {
    return { ...doc, events: stamped, ...deriveFields(stamped) };
  } catch {
    // A history the shared machine cannot fold is the hub's to refuse, with its own code.
    return null;
  }
}
