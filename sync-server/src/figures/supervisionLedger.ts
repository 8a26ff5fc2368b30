/**
 * 督办台账: the overdue records issued in a range (the supervision `facts` view, unreduced,
 * gives their ids), with the case's number and status, in the caller's scope (a town lead:
 * records of the town's units or of the town's cases).
 */
import type { SupervisionLedgerResponse, SupervisionLedgerRow } from '@sibantong/shared';
import { caseInScope, type CaseDoc, type CaseScope } from '@sibantong/shared';
import type { RefSnapshot } from '../domain/refData.js';
import { withStoreRetry, type Store } from '../store/store.js';
import type { SupervisionRecord } from '../workflow/jobs/deadlineWarnings.js';
import { queryView } from './figureViews.js';

const MAX_ROWS = 2000;

async function fetchDocs<D>(store: Store, db: 'cases' | 'supervision', ids: string[]) {
  const out = new Map<string, D>();
  for (let i = 0; i < ids.length; i += 200) {
    const body = await withStoreRetry(() =>
      store.db<object>(db).fetch({ keys: ids.slice(i, i + 200) }, { include_docs: true }),
    );
    for (const row of body.rows) {
      const doc = 'doc' in row ? (row.doc as D | null) : null;
      if (doc) out.set(row.key, doc);
    }
  }
  return out;
}

export async function supervisionLedger(
  store: Store,
  ref: RefSnapshot,
  caseScope: CaseScope,
  from: string,
  to: string,
): Promise<SupervisionLedgerResponse> {
  const ids: string[] = [];
  for (const fact of ['supervisionOpen', 'supervisionClosed']) {
    const rows = await queryView<[string, string, string]>(store, 'supervision', 'facts', {
      startkey: [fact, from],
      endkey: [fact, to, {}],
      reduce: false,
    });
    for (const r of rows) if (r.id) ids.push(r.id);
  }
  const records = await fetchDocs<SupervisionRecord>(store, 'supervision', ids);
  const cases = await fetchDocs<CaseDoc>(store, 'cases', [
    ...new Set([...records.values()].map((r) => r.caseId)),
  ]);
  const out: SupervisionLedgerRow[] = [];
  for (const rec of records.values()) {
    const doc = cases.get(rec.caseId);
    if (!doc || !caseInScope(caseScope, doc, ref.org)) continue;
    out.push({
      id: rec.id,
      caseId: rec.caseId,
      caseNo: doc.officialNo ?? doc.provisionalNo,
      matterCode: doc.matterCode,
      unitId: rec.unitId,
      townId: doc.townId,
      dueDate: rec.dueDate,
      issuedAt: rec.issuedAt,
      resolved: rec.resolved,
      status: doc.status,
    });
  }
  out.sort((a, b) => b.issuedAt.localeCompare(a.issuedAt) || a.id.localeCompare(b.id));
  return { records: out.slice(0, MAX_ROWS), truncated: out.length > MAX_ROWS };
}
