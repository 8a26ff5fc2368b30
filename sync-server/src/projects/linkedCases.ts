import type { CaseDoc } from '@sibantong/shared';
import type { LinkedCase, ProjectState } from '@sibantong/shared/project/index';
import { withStoreRetry, type Store } from '../store/store.js';

/** The hub's cases linked by these projects, by id (one request): progress is read from them. */
export async function linkedCasesOf(
  store: Store,
  states: readonly ProjectState[],
): Promise<Map<string, LinkedCase>> {
  const ids = [...new Set(states.flatMap((s) => s.matters.flatMap((m) => m.caseIds)))];
  const cases = new Map<string, LinkedCase>();
  if (ids.length === 0) return cases;
  const body = await withStoreRetry(() =>
    store.db<CaseDoc>('cases').fetch({ keys: ids }, { include_docs: true }),
  );
  for (const row of body.rows) {
    const c = 'doc' in row ? (row.doc as CaseDoc | null) : null;
    if (c) cases.set(row.key, c);
  }
  return cases;
}
