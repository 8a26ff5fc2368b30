/**
 * Differences of the figure index (figureIndex.ts): what a document's new version adds to and
 * takes from each aggregate, as row counts. Each document's entries are known as last counted
 * (its `figdoc:` state), so a difference is exact: rows it no longer has are taken away where
 * they were counted, whatever moved them (a late event, a move to another town, a conclusion).
 */
import { decodeRows, parseTarget, type Target } from './figureIndex.js';

/** A row of a target as one key (ids, codes and days hold no NUL). */
export const rowKey = (dim: string, fact: string, value: string) =>
  `${dim}\u0000${fact}\u0000${value}`;
export const rowOf = (key: string) => key.split('\u0000') as [string, string, string];

/** Row counts to add (negative: to take away), by target. */
export class Tally {
  readonly byTarget = new Map<Target, Map<string, number>>();

  add(target: Target, entry: string, sign: 1 | -1): void {
    if (!entry) return;
    let rows = this.byTarget.get(target);
    if (!rows) this.byTarget.set(target, (rows = new Map()));
    decodeRows(entry, (dim, fact, value) => {
      const k = rowKey(dim, fact, value);
      const n = (rows.get(k) ?? 0) + sign;
      if (n === 0) rows.delete(k);
      else rows.set(k, n);
    });
  }

  /** Targets whose counts change (a version that moved nothing changes none). */
  changed(): Array<[Target, Array<[string, number]>]> {
    return [...this.byTarget]
      .filter(([, rows]) => rows.size > 0)
      .map(([t, rows]) => [t, [...rows]]);
  }
}

/** What one document's new version changes: its entries now, and where its rows moved. */
export interface DocChange {
  /** Its `figdoc:` id. */
  stateId: string;
  /** Case id (or `<database>/<id>` for a record). */
  key: string;
  entries: Record<Target, string>;
  /** Targets whose entry changed (the drill-down segments of day and due targets take them). */
  moved: Target[];
}

/**
 * The difference between a document's entries as last counted and now, added to the tally.
 * Null when it counts exactly as before.
 */
export function diffDoc(
  tally: Tally,
  stateId: string,
  key: string,
  before: Readonly<Record<Target, string>> | undefined,
  now: ReadonlyMap<Target, string>,
): DocChange | null {
  const moved: Target[] = [];
  const targets = new Set<Target>([...Object.keys(before ?? {}), ...now.keys()]);
  for (const t of targets) {
    const was = before?.[t] ?? '';
    const is = now.get(t) ?? '';
    if (was === is) continue;
    tally.add(t, was, -1);
    tally.add(t, is, 1);
    moved.push(t);
  }
  if (moved.length === 0) return null;
  return { stateId, key, entries: Object.fromEntries(now), moved };
}

/** Case id → entry ('' where it left), by segment target, of the changes given. */
export function segmentChanges(changes: Iterable<DocChange>): Map<Target, Map<string, string>> {
  const out = new Map<Target, Map<string, string>>();
  for (const c of changes) {
    for (const t of c.moved) {
      if (parseTarget(t).kind === 'record') continue;
      let m = out.get(t);
      if (!m) out.set(t, (m = new Map()));
      m.set(c.key, c.entries[t] ?? '');
    }
  }
  return out;
}
