import { useEffect, useState } from 'react';
import { useApp } from '../../appContext';
import { useRxQuery } from '../../hooks/useRx';
import { projectStoreOf } from '../../db/projectsCollection';

/**
 * Open refused writes on this device, cases and projects together: the status bar's 被拒 badge
 * leads to 被拒写入, which lists both (RefusalList, ProjectRefusalsCard). The project
 * collections are added by the app before it renders (App.tsx); without them only cases count.
 */
export function useOpenRefusals(): number {
  const { db } = useApp();
  const { docs: cases } = useRxQuery(db.refusals, { selector: { state: 'open' } });
  const [projects, setProjects] = useState(0);
  useEffect(() => {
    const store = projectStoreOf(db);
    if (!store) return;
    const sub = store.projectRefusals
      .find({ selector: { state: 'open' } })
      .$.subscribe((docs) => setProjects(docs.length));
    return () => sub.unsubscribe();
  }, [db]);
  return cases.length + projects;
}
