/**
 * The hub's own index behind its figure aggregates (figureAggregates.ts): what each case and
 * record counts on each day, so that the figures follow the store by exact differences instead
 * of from the store's map/reduce views (which take hours to build at a county's million cases:
 * docs/cockpit.md, "Measured").
 *
 * The rows are the views' own: a document is run through the views' map functions (the same
 * source the store indexes), and its rows are kept by the aggregate they count in (a
 * "target"). A step's cost is its changes, never the size of a day or of the running cases
 * (bench/findings.md, "The figure aggregates' cost per case"):
 *
 * - `figdoc:<database>:<id>`: each document's entries by target, as last counted, so a new
 *   version's difference is exact (a late event that moves a fact to another day, a case moved
 *   to another town, a case that stopped running);
 * - `figseg:<scope>:<day>:<step>`: case id → its rows on that day, as changed by one step (''
 *   once it no longer counts there), so that a drill-down lists the cases behind a number;
 *   a day's segments are folded into one now and then (figureSegments.ts);
 * - `figdueseg:<scope>:<step>`: the same for the running cases' promised-date rows.
 */
import { FIGURE_VIEWS } from './figureViews.js';

/**
 * An aggregate a document's rows count in: `d:<scope>:<day>` (a scope's day), `u:<scope>` (its
 * running cases by promised date), `r:<day>` (the records of a day).
 */
export type Target = string;
export const dayTarget = (scope: string, day: string): Target => `d:${scope}:${day}`;
export const dueTarget = (scope: string): Target => `u:${scope}`;
export const recordTarget = (day: string): Target => `r:${day}`;

export type ParsedTarget =
  | { kind: 'day'; scope: string; day: string }
  | { kind: 'due'; scope: string }
  | { kind: 'record'; day: string };

export function parseTarget(t: Target): ParsedTarget {
  const kind = t.slice(0, 1);
  const rest = t.slice(2);
  if (kind === 'u') return { kind: 'due', scope: rest };
  if (kind === 'r') return { kind: 'record', day: rest };
  const cut = rest.lastIndexOf(':');
  return { kind: 'day', scope: rest.slice(0, cut), day: rest.slice(cut + 1) };
}

/** A document's state: what it counts where, as last counted. */
export const docStateId = (db: string, id: string) => `figdoc:${db}:${id}`;

const stepKey = (step: number) => String(step).padStart(10, '0');
export const daySegmentPrefix = (scope: string) => `figseg:${scope}:`;
export const daySegmentId = (scope: string, day: string, step: number) =>
  `figseg:${scope}:${day}:${stepKey(step)}`;
export const dueSegmentPrefix = (scope: string) => `figdueseg:${scope}:`;
export const dueSegmentId = (scope: string, step: number) => `figdueseg:${scope}:${stepKey(step)}`;
/** Every document of the index (a rebuild drops them; the former layout's too). */
export const INDEX_PREFIXES = [
  'figdoc:',
  'figseg:',
  'figdueseg:',
  'figidx:',
  'figdueidx:',
  'figrecidx:',
] as const;

/** Where a segment's entries count: its day target or due target. */
export function segmentIdOf(target: Target, step: number): string | null {
  const t = parseTarget(target);
  if (t.kind === 'day') return daySegmentId(t.scope, t.day, step);
  if (t.kind === 'due') return dueSegmentId(t.scope, step);
  return null;
}

export interface SegmentDoc {
  _id: string;
  _rev?: string;
  type: 'figure_segment';
  version: number;
  /** Case id → its rows there (encoded: `encodeRows`), or '' where it no longer counts. */
  entries: Record<string, string>;
}

export interface DocState {
  _id: string;
  _rev?: string;
  type: 'figure_doc';
  version: number;
  /** Target → the document's rows there (encoded). */
  entries: Record<Target, string>;
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

export type FollowedDb = 'cases' | RecordDb;

/** A document's entries by target: what it counts where now. */
export function docEntries(db: FollowedDb, doc: unknown): Map<Target, string> {
  const out = new Map<Target, string>();
  if (db !== 'cases') {
    for (const [day, entry] of recordEntries(db, doc)) out.set(recordTarget(day), entry);
    return out;
  }
  const { days, due } = caseEntries(doc);
  for (const [k, entry] of days) {
    const [scope, day] = k.split('\u0000') as [string, string];
    out.set(dayTarget(scope, day), entry);
  }
  for (const [scope, entry] of due) out.set(dueTarget(scope), entry);
  return out;
}
