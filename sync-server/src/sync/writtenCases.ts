/**
 * What the hub itself has just written to `cases`, by id and revision: the scope-relevant part
 * of each document. The change follower feeds the scope index and the live stream; with this it
 * reads the feed without documents and fetches only what it cannot find here (writes by another
 * hub process, by hand, or a revision already evicted). In a reconnection storm that halves
 * the store's work: every pushed case and every case the workflow processor updates would
 * otherwise be read back in full moments after it was written.
 *
 * The whole document is kept too (as JSON, a bounded number of bytes): the devices that pull a
 * case just written are its village's other PCs, its town, the county, seconds later. Served
 * from here, those pulls cost the store nothing; in a storm the store (one LevelDB process,
 * which answers `_all_docs` with one iterator per key) is what every device waits on.
 *
 * A revision names one content, so neither cache can ever hand out a stale version; both are
 * bounded (oldest dropped) and process-wide.
 */
import type { KeyedCase } from '@sibantong/shared/org/scopeKeys';

/** The fields the scope keys, `canSee` and the removal rule read. */
export type ScopeProjection = KeyedCase & { id: string };

const MAX_ENTRIES = 200_000;
const remembered = new Map<string, ScopeProjection>();
/**
 * Whole documents, as JSON (a string is compact, immutable, and what a pull answer needs
 * anyway). Bounded by size: 64 MB covers the last ~25,000 writes, more than a reconnection storm
 * of a county's devices has in flight between the write and the pulls it causes.
 */
const MAX_DOC_BYTES = Math.max(0, Number(process.env.HUB_WRITTEN_DOC_CACHE_MB ?? 64)) * 2 ** 20;
const documents = new Map<string, string>();
let documentBytes = 0;

const keyOf = (id: string, rev: string) => `${id}\n${rev}`;

/**
 * The latest revision this process wrote of each case, until the scope index has read it
 * (`ownWritesNotIndexed`). A pull waits for these before it answers: on a CouchDB cluster a
 * write is acknowledged by two of three copies, and the feed may read the third, so "the feed
 * has nothing after the index head" does not mean the index holds what this hub just wrote
 * (read-your-writes for the village's other PC, the town, the county).
 */
const MAX_UNINDEXED = 50_000;
const unindexed = new Map<string, string>();

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
    const key = keyOf(a.id, a.rev);
    remembered.set(key, scopeProjection(doc));
    if (remembered.size > MAX_ENTRIES) {
      const oldest = remembered.keys().next().value;
      if (oldest !== undefined) remembered.delete(oldest);
    }
    rememberDocument(key, doc);
    unindexed.delete(a.id); // re-inserted: the map stays in write order, oldest first
    unindexed.set(a.id, a.rev);
    if (unindexed.size > MAX_UNINDEXED) {
      const oldest = unindexed.keys().next().value;
      if (oldest !== undefined) unindexed.delete(oldest);
    }
  }
}

/**
 * This process's writes the index has not read yet (at most `max`, oldest first); forgets
 * those it has. `holds` is the index's test (`CaseScopeIndex.holds`).
 */
export function ownWritesNotIndexed(
  holds: (id: string, rev: string) => boolean,
  max: number,
): Array<{ id: string; rev: string }> {
  const pending: Array<{ id: string; rev: string }> = [];
  for (const [id, rev] of unindexed) {
    if (holds(id, rev)) unindexed.delete(id);
    else if (pending.length < max) pending.push({ id, rev });
    else break;
  }
  return pending;
}

function rememberDocument(key: string, doc: Record<string, unknown>): void {
  if (MAX_DOC_BYTES === 0) return;
  // Stored without the revision it replaced: the reader knows the one it asked for.
  const { _rev, ...rest } = doc;
  void _rev;
  const json = JSON.stringify(rest);
  documents.set(key, json);
  // Two bytes a character: V8 keeps text with Chinese characters as UTF-16.
  documentBytes += json.length * 2;
  while (documentBytes > MAX_DOC_BYTES) {
    const oldest = documents.entries().next().value;
    if (oldest === undefined) break;
    documents.delete(oldest[0]);
    documentBytes -= oldest[1].length * 2;
  }
}

/**
 * A revision of a case this process wrote, as stored (without `_rev`), if still remembered.
 * Unlike the projection it stays: several devices pull the same case.
 */
export function writtenDocument(id: string, rev: string): Record<string, unknown> | undefined {
  const json = documents.get(keyOf(id, rev));
  return json === undefined ? undefined : (JSON.parse(json) as Record<string, unknown>);
}

/** The projection of a revision this process wrote, if still remembered (and forgets it). */
export function takeWritten(id: string, rev: string): ScopeProjection | undefined {
  const key = keyOf(id, rev);
  const p = remembered.get(key);
  if (p) remembered.delete(key);
  return p;
}
