/**
 * The hub's own index behind its figure aggregates (figureAggregates.ts): what each case and
 * record counts on each day, kept per scope and day so that a day's figures are recomputed from
 * one small document instead of from the store's map/reduce views (which take hours to build at
 * a county's million cases: docs/cockpit.md, "Measured").
 *
 * The rows are the views' own: a document is run through the views' map functions (the same
 * source the store indexes), and its rows of one scope and day are kept as one entry under its
 * id. Updating is replacing that entry (or removing it) — exact and idempotent, whatever the
 * order, the repetitions or a crash between writes: nothing is incremented.
 *
 * - `figidx:<scope>:<day>`: case id → the case's rows there (`facts` rows by dimension, fact and
 *   value; `spans` rows as the pseudo-dimension `~span` with the acceptance day as the fact);
 * - `figdueidx:<scope>:<shard>`: running case id → its promised-date rows (`due:*` of `facts`),
 *   sharded by case id so that one push rewrites a small document;
 * - `figrecidx:<day>`: `<database>/<record id>` → the record's rows (tickets, 督办, refusals).
 */
import { FIGURE_VIEWS } from './figureViews.js';

export const dayIndexId = (scope: string, day: string) => `figidx:${scope}:${day}`;
export const dueIndexId = (scope: string, shard: string) => `figdueidx:${scope}:${shard}`;
export const recordIndexId = (day: string) => `figrecidx:${day}`;
export const INDEX_PREFIXES = ['figidx:', 'figdueidx:', 'figrecidx:'] as const;

/** Shards of a scope's running cases (a push rewrites one of them per scope). */
const DUE_SHARDS = 32;
export const DUE_SHARD_IDS = Array.from({ length: DUE_SHARDS }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/** FNV-1a of the id, to a shard. */
export function dueShardOf(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return DUE_SHARD_IDS[(h >>> 0) % DUE_SHARDS]!;
}

export interface IndexDoc {
  _id: string;
  _rev?: string;
  type: 'figure_index';
  version: number;
  /** Document key → its rows there (encoded: `encodeRows`). */
  entries: Record<string, string>;
}

/** A row as [dimension, fact, value]. */
export type Row = [string, string, string];

type Emitted = Array<[unknown, unknown]>;

/**
 * A view's map function as the store runs it, in the hub: the keys a document emits there are
 * the keys it emits here.
 */
function mapperOf(source: string): (doc: unknown) => Emitted {
  let out: Emitted = [];
  // The views' own ES5 source (ours, not input): compiled once per process.
  const fn = new Function('emit', `return (${source});`)((k: unknown, v: unknown) =>
    out.push([k, v]),
  ) as (doc: unknown) => void;
  return (doc) => {
    out = [];
    try {
      fn(doc);
    } catch {
      // the store skips a document its map function throws on: so does this
    }
    return out;
  };
}

export const MAPS = {
  facts: mapperOf(FIGURE_VIEWS.cases!.facts!.map),
  spans: mapperOf(FIGURE_VIEWS.cases!.spans!.map),
  uploads: mapperOf(FIGURE_VIEWS.cases!.uploads!.map),
  tickets: mapperOf(FIGURE_VIEWS.tickets!.facts!.map),
  supervision: mapperOf(FIGURE_VIEWS.supervision!.facts!.map),
  refusals: mapperOf(FIGURE_VIEWS.refusals!.facts!.map),
};

// Tabs and newlines separate; '%' marks an escaped one (ids and codes never hold them, but a
// value that did must not shift the columns).
const esc = (s: string) => (/[\t\n%]/.test(s) ? s.replace(/[\t\n%]/g, encodeURIComponent) : s);
const unesc = (s: string) => (s.includes('%') ? decodeURIComponent(s) : s);

/**
 * Rows to one string: the facts that share their (dimension, value) list are written once with
 * it (a case's facts on a day are counted under the same village, matter and town), so an
 * entry is tens of bytes, not a row per fact and dimension. A repeated row stays repeated.
 */
export function encodeRows(rows: readonly Row[]): string {
  const byFact = new Map<string, string[]>();
  for (const [dim, fact, value] of rows) {
    let dvs = byFact.get(fact);
    if (!dvs) byFact.set(fact, (dvs = []));
    dvs.push(`${esc(dim)}\t${esc(value)}`);
  }
  const groups = new Map<string, string[]>();
  for (const [fact, dvs] of byFact) {
    const sig = dvs.sort().join('\t');
    let facts = groups.get(sig);
    if (!facts) groups.set(sig, (facts = []));
    facts.push(esc(fact));
  }
  return [...groups]
    .map(([sig, facts]) => `${facts.length}\t${facts.join('\t')}\t${sig}`)
    .join('\n');
}

export function decodeRows(
  entry: string,
  each: (dim: string, fact: string, value: string) => void,
) {
  if (!entry) return;
  for (const line of entry.split('\n')) {
    const parts = line.split('\t');
    const n = Number(parts[0]);
    const facts = parts.slice(1, 1 + n).map(unesc);
    for (let i = 1 + n; i + 1 < parts.length; i += 2) {
      const dim = unesc(parts[i]!);
      const value = unesc(parts[i + 1]!);
      for (const fact of facts) each(dim, fact, value);
    }
  }
}

export const SPAN_DIM = '~span';

/** A case's entries: by `${scope}\u0000${day}`, and its promised-date rows by scope. */
export function caseEntries(doc: unknown): {
  days: Map<string, string>;
  due: Map<string, string>;
} {
  const days = new Map<string, Row[]>();
  const due = new Map<string, Row[]>();
  const push = (m: Map<string, Row[]>, k: string, row: Row) => {
    let rows = m.get(k);
    if (!rows) m.set(k, (rows = []));
    rows.push(row);
  };
  for (const [key] of MAPS.facts(doc)) {
    const [scope, dim, day, fact, value] = key as [string, string, string, string, string];
    if (dim.startsWith('due:')) push(due, scope, [dim.slice(4), day, value]);
    else push(days, `${scope}\u0000${day}`, [dim, fact, value]);
  }
  for (const [key] of MAPS.spans(doc)) {
    const [scope, concluded, accepted] = key as [string, string, string];
    push(days, `${scope}\u0000${concluded}`, [SPAN_DIM, accepted, '']);
  }
  const enc = (m: Map<string, Row[]>) => new Map([...m].map(([k, rows]) => [k, encodeRows(rows)]));
  return { days: enc(days), due: enc(due) };
}

export type RecordDb = 'tickets' | 'supervision' | 'refusals';

/** A record's entries by day (its rows are [fact, day, unit]). */
export function recordEntries(db: RecordDb, doc: unknown): Map<string, string> {
  const byDay = new Map<string, Row[]>();
  for (const [key] of MAPS[db](doc)) {
    const [fact, day, unit] = key as [string, string, string];
    let rows = byDay.get(day);
    if (!rows) byDay.set(day, (rows = []));
    rows.push(['r', fact, unit]);
  }
  return new Map([...byDay].map(([d, rows]) => [d, encodeRows(rows)]));
}

/** Latest hub time (ms) of each device's events in a case. */
export function caseUploads(doc: unknown): Array<[string, number]> {
  return MAPS.uploads(doc).map(([device, t]) => [String(device), Number(t)]);
}
