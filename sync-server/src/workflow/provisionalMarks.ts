/**
 * Which cases carry provisional (暂估) deadlines, kept as one small document per case in the
 * hub's private `hub` database (`provisional:<caseId>`), so a calendar import finds them with
 * one range read of ids instead of a scan of every accepted case. The deadline job writes the
 * mark before the case (a crash leaves a mark too many, never one too few) and removes it
 * when it writes exact deadlines; a stale mark only costs one recomputation.
 */
import { withStoreRetry, type Store } from '../store/store.js';

export const MARK_ID_PREFIX = 'provisional:';
const markId = (caseId: string) => `${MARK_ID_PREFIX}${caseId}`;

interface ProvisionalMarkDoc {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  type: 'provisional_deadline';
  caseId: string;
}

/** Marks the cases (idempotent: a mark already there answers 409 and is kept). */
export async function markProvisional(store: Store, caseIds: readonly string[]): Promise<void> {
  if (caseIds.length === 0) return;
  const answers = await withStoreRetry(() =>
    store.db<ProvisionalMarkDoc>('hub').bulk({
      docs: caseIds.map((caseId) => ({
        _id: markId(caseId),
        type: 'provisional_deadline' as const,
        caseId,
      })),
    }),
  );
  const failed = answers.find((a) => a.error && a.error !== 'conflict');
  if (failed) throw new Error(`provisional mark ${failed.id}: ${failed.error}`);
}

/** Removes the marks of these cases where there are any. */
export async function unmarkProvisional(store: Store, caseIds: readonly string[]): Promise<void> {
  if (caseIds.length === 0) return;
  const db = store.db<ProvisionalMarkDoc>('hub');
  const body = await withStoreRetry(() =>
    db.fetch({ keys: caseIds.map(markId) }, { include_docs: true }),
  );
  const gone: ProvisionalMarkDoc[] = [];
  for (const row of body.rows) {
    const doc = 'doc' in row ? (row.doc as ProvisionalMarkDoc | null) : null;
    if (doc?.type === 'provisional_deadline') gone.push({ ...doc, _deleted: true });
  }
  // 409: changed meanwhile (marked again by a later batch): that mark stands.
  if (gone.length > 0) await withStoreRetry(() => db.bulk({ docs: gone }));
}

/** Ids of the marked cases (one range read of the marks' ids). */
export async function provisionalCaseIds(store: Store): Promise<string[]> {
  const listed = await withStoreRetry(() =>
    store.db('hub').list({ startkey: MARK_ID_PREFIX, endkey: `${MARK_ID_PREFIX}\ufff0` }),
  );
  return listed.rows.map((r) => r.id.slice(MARK_ID_PREFIX.length));
}
