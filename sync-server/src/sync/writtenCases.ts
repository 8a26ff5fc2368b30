/**
 * What the hub itself has just written to `cases`, by id and revision: the scope-relevant part
 * of each document. The change follower feeds the scope index and the live stream; with this it
 * reads the feed without documents and fetches only what it cannot find here (writes by another
 * hub process, by hand, or a revision already evicted). In a reconnection storm that halves
 * the store's work: every pushed case and every case the workflow processor updates would
 * otherwise be read back in full moments after it was written.
 *
 * A revision names one content, so the cache can never hand out a stale projection; it is
 * bounded (oldest dropped) and process-wide.
 */
import type { KeyedCase } from '@sibantong/shared/org/scopeKeys';

/** The fields the scope keys, `canSee` and the removal rule read. */
export type ScopeProjection = KeyedCase & { id: string };

const MAX_ENTRIES = 200_000;
const remembered = new Map<string, ScopeProjection>();

const keyOf = (id: string, rev: string) => `${id}\n${rev}`;

export function scopeProjection(doc: Record<string, unknown>): ScopeProjection {
  const d = doc as unknown as KeyedCase & { _id?: string; id?: string };
  return {
    id: typeof d.id === 'string' ? d.id : String(d._id),
    originUnitId: d.originUnitId,
    holderUnitId: d.holderUnitId,
    townId: d.townId,
    assistingDeptIds: Array.isArray(d.assistingDeptIds) ? [...d.assistingDeptIds] : [],
    formerUnitIds: Array.isArray(d.formerUnitIds) ? [...d.formerUnitIds] : [],
    // Only the events the scope rule reads (departments asked to assist).
    events: Array.isArray(d.events) ? d.events.filter((e) => e?.type === 'request_assistance') : [],
  };
}

/** Remembers the documents of a successful `_bulk_docs` (answers carry the new revisions). */
export function rememberWrites(
  docs: ReadonlyArray<Record<string, unknown>>,
  answers: ReadonlyArray<{ id?: string; rev?: string; error?: string }>,
): void {
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  for (const a of answers) {
    if (a.error || !a.id || !a.rev) continue;
    const doc = byId.get(a.id);
    if (!doc) continue;
    remembered.set(keyOf(a.id, a.rev), scopeProjection(doc));
    if (remembered.size > MAX_ENTRIES) {
      const oldest = remembered.keys().next().value;
      if (oldest !== undefined) remembered.delete(oldest);
    }
  }
}

/** The projection of a revision this process wrote, if still remembered (and forgets it). */
export function takeWritten(id: string, rev: string): ScopeProjection | undefined {
  const key = keyOf(id, rev);
  const p = remembered.get(key);
  if (p) remembered.delete(key);
  return p;
}
