/**
 * The drill-down's lists (figureIndex.ts): which cases count on a scope's day, and which
 * running cases a scope has, kept as segments — one per step that changed them, holding only
 * that step's cases — so a step writes its changes and not the whole day. Read in order, a later
 * segment's entry for a case wins ('' = it no longer counts there). Past MAX_SEGMENTS, a list's
 * segments are folded into its latest one.
 */
import { AGGREGATES_VERSION } from './figureVersion.js';
import {
  parseTarget,
  segmentIdOf,
  daySegmentPrefix,
  dueSegmentPrefix,
  type SegmentDoc,
  type Target,
} from './figureIndex.js';
import { listIds, putAll, readAggregates } from './figureStore.js';
import type { Store } from '../store/store.js';

/**
 * Segments a list may have before they are folded. A fold reads and writes the whole list, so
 * it costs a day's size once per this many steps rather than at every step.
 */
export const MAX_SEGMENTS = 16;

/** The segment documents of one step's changes (case id → entry, by target). */
export function segmentDocs(
  changes: ReadonlyMap<Target, ReadonlyMap<string, string>>,
  step: number,
): SegmentDoc[] {
  const out: SegmentDoc[] = [];
  for (const [target, entries] of changes) {
    const id = segmentIdOf(target, step);
    if (!id) continue;
    out.push({
      _id: id,
      type: 'figure_segment',
      version: AGGREGATES_VERSION,
      entries: Object.fromEntries(entries),
    });
  }
  return out;
}

/** The id range of one target's segments. */
export function segmentRange(target: Target): [string, string] {
  const t = parseTarget(target);
  const prefix =
    t.kind === 'day'
      ? `${daySegmentPrefix(t.scope)}${t.day}:`
      : dueSegmentPrefix(t.kind === 'due' ? t.scope : '');
  return [prefix, `${prefix}\uffff`];
}

/** Later segments over earlier ones (in the order given): case id → entry, removed ones left out. */
export function fold(segments: readonly SegmentDoc[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of segments) {
    for (const [id, entry] of Object.entries(s.entries)) {
      if (entry) out.set(id, entry);
      else out.delete(id);
    }
  }
  return out;
}

/**
 * Entries a segment holds at most: a folded list of a storm's day (150,000 cases on the bench)
 * is ~9 MB of JSON, more than CouchDB takes in one document (8 MB by default), so a fold is
 * written in parts.
 */
export const PART_ENTRIES = 20_000;

/**
 * Folds a target's segments into its latest one when it has more than MAX_SEGMENTS steps'
 * segments, then drops the others. The fold keeps a removal ('') for each case an older segment
 * lists, so that a crash before all the older ones are gone leaves the same fold; the next fold,
 * with nothing older listing it, drops it. A fold larger than `partEntries` is written in parts:
 * the parts after the first get new ids that sort after the latest (`<latest>~001`, …) and are
 * written first, then the first part over the latest: at every point between writes, each
 * case's latest entry is its folded one.
 */
export async function foldIfMany(
  store: Store,
  target: Target,
  partEntries = PART_ENTRIES,
): Promise<boolean> {
  const [start, end] = segmentRange(target);
  const ids = await listIds(store, start, end);
  // A fold's parts count as its step's one segment.
  if (new Set(ids.map((r) => r.id.split('~')[0])).size <= MAX_SEGMENTS) return false;
  const docs = await readAggregates<SegmentDoc>(store, start, end);
  if (docs.length < 2) return false;
  const latest = docs[docs.length - 1]!;
  const older = docs.slice(0, -1);
  const entries: Record<string, string> = Object.fromEntries(fold(docs));
  for (const d of older) {
    for (const [id, entry] of Object.entries(d.entries)) {
      if (entry && !(id in entries)) entries[id] = '';
    }
  }
  const all = Object.entries(entries);
  const parts: SegmentDoc[] = [];
  for (let i = partEntries; i < all.length; i += partEntries) {
    parts.push({
      _id: `${latest._id}~${String(parts.length + 1).padStart(3, '0')}`,
      type: 'figure_segment',
      version: latest.version,
      entries: Object.fromEntries(all.slice(i, i + partEntries)),
    });
  }
  await putAll(store, parts);
  await putAll(store, [{ ...latest, entries: Object.fromEntries(all.slice(0, partEntries)) }]);
  await putAll(
    store,
    older.map((d) => ({ _id: d._id, _rev: d._rev, _deleted: true })),
  );
  return true;
}
