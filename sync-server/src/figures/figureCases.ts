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
import { caseInScope, chinaDate, maskName, type CaseDoc, type CaseScope } from '@sibantong/shared';
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
  const ids = [...dayOf.keys()].sort(
    (a, b) => dayOf.get(b)!.localeCompare(dayOf.get(a)!) || a.localeCompare(b),
  );
  const wanted = ids.slice(0, Math.min(q.limit, MAX_DRILL_ROWS));
  const rows: FigureCaseRow[] = [];
  for (let i = 0; i < wanted.length; i += 200) {
    const body = await withStoreRetry(() =>
      store.db<CaseDoc>('cases').fetch({ keys: wanted.slice(i, i + 200) }, { include_docs: true }),
    );
    for (const row of body.rows) {
      const doc = 'doc' in row ? (row.doc as CaseDoc | null) : null;
      if (!doc || !caseInScope(caseScope, doc, ref.org)) continue;
      rows.push({
        id: doc.id,
        officialNo: doc.officialNo,
        provisionalNo: doc.provisionalNo,
        matterCode: doc.matterCode,
        originUnitId: doc.originUnitId,
        townId: doc.townId,
        holderUnitId: doc.holderUnitId,
        status: doc.status,
        applicantNameMasked: maskName(doc.applicantName ?? ''),
        applicantIdMasked: doc.applicantIdMasked,
        assisted: doc.events.some(
          (e) =>
            e.type === 'receive' &&
            (e.payload.agentAuthorised === true || e.payload.channel === 'home_visit'),
        ),
        at: dayOf.get(doc.id) ?? '',
        promisedDue: doc.deadlines?.promisedDue ?? null,
      });
    }
  }
  return { metric: q.metric, total: ids.length, cases: rows, truncated: ids.length > rows.length };
}
