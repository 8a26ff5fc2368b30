/**
 * Drill-down: the cases behind a number of the cockpit, read from the hub's own index when its
 * aggregates answer (figureDrill.ts: exactly the cases they counted), else from the `drill`
 * view (one key range per dimension value, on a small store: figureSource.ts), and then from
 * the cases themselves, each re-checked with the shared scope rule before it is answered. Only
 * listing fields and the masked ID leave.
 */
import {
  MAX_DRILL_ROWS,
  type CaseFact,
  type Dimension,
  type FigureCaseRow,
  type FigureCasesResponse,
  type FigureMetric,
} from '@sibantong/shared';
import {
  caseInScope,
  caseListRow,
  chinaDate,
  type CaseDoc,
  type CaseScope,
} from '@sibantong/shared';
import type { RefSnapshot } from '../domain/refData.js';
import { withStoreRetry, type Store } from '../store/store.js';
import { departmentOfMatter, scopeKeyOf, type FigureScope } from './figureQuery.js';
import { drillFromIndex } from './figureDrill.js';
import { figureSource } from './figureSource.js';
import { queryView } from './figureViews.js';

export interface DrillQuery {
  metric: FigureMetric;
  from: string;
  to: string;
  dim?: Dimension;
  key?: string;
  limit: number;
  now: Date;
}

/** The view's (dimension, value) pairs a drill reads: a department is its matters. */
function viewKeys(ref: RefSnapshot, dim?: Dimension, key?: string): Array<[string, string]> {
  if (!dim || key === undefined) return [['all', '']];
  if (dim === 'department') {
    return [...ref.matters.keys()]
      .filter((code) => departmentOfMatter(ref, code) === key)
      .map((code) => ['matter', code]);
  }
  return [[dim, key]];
}

/** Case id → its day, from the `drill` view. */
async function drillFromView(
  store: Store,
  sk: string,
  fact: CaseFact,
  keys: Array<[string, string]>,
  from: string,
  to: string,
  inclusiveEnd: boolean,
): Promise<Map<string, string>> {
  const dayOf = new Map<string, string>();
  for (const [dim, value] of keys) {
    const rows = await queryView<[string, string, string, string, string]>(
      store,
      'cases',
      'drill',
      {
        startkey: [sk, fact, dim, value, from],
        endkey: [sk, fact, dim, value, to],
        inclusive_end: inclusiveEnd,
        reduce: false,
      },
    );
    for (const r of rows) if (r.id) dayOf.set(r.id, r.key[4]);
  }
  return dayOf;
}

/**
 * The first `n` case ids, newest day first and by id within a day. A year's drill behind a
 * county's number holds hundreds of thousands of ids but only a few hundred days: ids are
 * grouped by day and only the days that reach the list are sorted (a comparison sort of all of
 * them took seconds at a million cases).
 */
export function newestFirst(dayOf: ReadonlyMap<string, string>, n: number): string[] {
  const byDay = new Map<string, string[]>();
  for (const [id, day] of dayOf) {
    let ids = byDay.get(day);
    if (!ids) byDay.set(day, (ids = []));
    ids.push(id);
  }
  const out: string[] = [];
  for (const day of [...byDay.keys()].sort().reverse()) {
    if (out.length >= n) break;
    for (const id of byDay.get(day)!.sort()) {
      if (out.length >= n) break;
      out.push(id);
    }
  }
  return out;
}

/** Case documents fetched this many at a time, a few requests in flight. */
const FETCH_BATCH = 200;
const FETCH_IN_FLIGHT = 3;

export async function figureCases(
  store: Store,
  ref: RefSnapshot,
  scope: FigureScope,
  caseScope: CaseScope,
  q: DrillQuery,
): Promise<FigureCasesResponse> {
  const sk = scopeKeyOf(scope);
  const fact: CaseFact = q.metric === 'overdueOpen' ? 'openDue' : (q.metric as CaseFact);
  const [from, to] = q.metric === 'overdueOpen' ? ['', chinaDate(q.now)] : [q.from, q.to];
  const keys = viewKeys(ref, q.dim, q.key);
  const dayOf =
    (await figureSource(store)) === 'aggregates'
      ? await drillFromIndex(store, sk, fact, keys, from, to)
      : await drillFromView(store, sk, fact, keys, from, to, q.metric !== 'overdueOpen');
  const wanted = newestFirst(dayOf, Math.min(q.limit, MAX_DRILL_ROWS));
  const batches: string[][] = [];
  for (let i = 0; i < wanted.length; i += FETCH_BATCH)
    batches.push(wanted.slice(i, i + FETCH_BATCH));
  const fetched: CaseDoc[][] = new Array<CaseDoc[]>(batches.length);
  let nextBatch = 0;
  const worker = async () => {
    for (let b = nextBatch++; b < batches.length; b = nextBatch++) {
      const body = await withStoreRetry(() =>
        store.db<CaseDoc>('cases').fetch({ keys: batches[b]! }, { include_docs: true }),
      );
      fetched[b] = body.rows.flatMap((row) =>
        'doc' in row && row.doc ? [row.doc as CaseDoc] : [],
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(FETCH_IN_FLIGHT, batches.length) }, worker));
  const rows: FigureCaseRow[] = fetched
    .flat()
    .filter((doc) => caseInScope(caseScope, doc, ref.org))
    .map((doc) => caseListRow(doc, dayOf.get(doc.id) ?? ''));
  return { metric: q.metric, total: dayOf.size, cases: rows, truncated: dayOf.size > rows.length };
}
