import { useEffect, useState } from 'react';
import type { RxCollection } from 'rxdb';
import type { AppDatabase } from '../../db/database';
import type { StoredProject } from '../../db/projectLocalFields';
import { projectStoreOf } from '../../db/projectsCollection';

export const PROJECT_LIST_PAGE = 50;

/**
 * The riskiest `limit` projects on this device, in the stored risk order: one query sorted and
 * limited on the `riskKey` index (no fold, no timetable on opening), live, plus the count.
 */
export function rankedProjectsQuery(db: AppDatabase, limit: number) {
  const store = projectStoreOf(db);
  if (!store) return null;
  const projects = store.projects as unknown as RxCollection<StoredProject>;
  return projects.find({
    selector: { riskKey: { $gte: '' } },
    sort: [{ riskKey: 'asc' }],
    limit,
  });
}

export function useRankedProjects(
  db: AppDatabase,
  limit: number,
): { docs: StoredProject[]; total: number; loading: boolean } {
  const [state, setState] = useState<{ docs: StoredProject[]; total: number; loading: boolean }>({
    docs: [],
    total: 0,
    loading: true,
  });
  useEffect(() => {
    const query = rankedProjectsQuery(db, limit);
    const store = projectStoreOf(db);
    if (!query || !store) {
      setState({ docs: [], total: 0, loading: false });
      return;
    }
    const sub = query.$.subscribe((rows) =>
      setState((s) => ({
        ...s,
        docs: rows.map((d) => d.toJSON() as unknown as StoredProject),
        loading: false,
      })),
    );
    const count = store.projects.count().$.subscribe((total) => setState((s) => ({ ...s, total })));
    return () => {
      sub.unsubscribe();
      count.unsubscribe();
    };
  }, [db, limit]);
  return state;
}
