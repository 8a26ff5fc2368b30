import { useEffect, useMemo, useState } from 'react';
import { debounceTime, merge } from 'rxjs';
import {
  chinaDate,
  compareProjectRisk,
  deriveProjectState,
  projectRisk,
  type LinkedCase,
  type OrgDirectory,
  type OrgUnit,
  type ProjectDoc,
  type ProjectRisk,
  type ProjectState,
  type WorkingCalendar,
} from '@sibantong/shared';
import type { AppDatabase } from '../../db/database';
import { calendarFromSynced, loadReferenceData, orgDirectoryOf } from '../../db/localRules';
import { projectStoreOf, type ProjectRefusalDoc } from '../../db/projectsCollection';

/** What the project screens need besides the projects: the synced calendar and org tree. */
export interface ProjectRefs {
  calendar: WorkingCalendar;
  org: OrgDirectory | undefined;
  /** The synced units as they are (a PC may hold only part of the tree: no directory then). */
  units: readonly OrgUnit[];
  /** Synced catalogue matters by basic code (the list builder reads them). */
  mattersByBasicCode: Map<string, CatalogueEntry>;
}

/** What the list builder needs of a catalogue matter (listedMatterPayload). */
export interface CatalogueEntry {
  code: string;
  basicCode: string;
  name: string;
  promisedDays: number;
  /** At a village window: `inform_only` matters are not taken in there (guidance only). */
  villageMode?: string;
}

/**
 * The reference data the project screens read, reloaded whenever a sync changes it (a fresh PC
 * receives the org tree, catalogue and calendar only after its first round).
 */
export function useProjectRefs(db: AppDatabase): ProjectRefs | null {
  const [refs, setRefs] = useState<ProjectRefs | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      void loadReferenceData(db).then((ref) => {
        if (!live) return;
        // A synced catalogue document is keyed by its 实施编码 (`id`); listedMatterPayload reads `code`.
        const byBasic = new Map<string, CatalogueEntry>();
        for (const m of ref.matters as unknown as (Partial<CatalogueEntry> & { id: string })[])
          if (typeof m.basicCode === 'string' && typeof m.name === 'string')
            byBasic.set(m.basicCode, {
              ...m,
              code: typeof m.code === 'string' ? m.code : m.id,
              basicCode: m.basicCode,
              name: m.name,
              promisedDays: typeof m.promisedDays === 'number' ? m.promisedDays : 1,
            });
        setRefs({
          calendar: calendarFromSynced(ref.calendarDocs),
          org: orgDirectoryOf(ref.units),
          units: ref.units,
          mattersByBasicCode: byBasic,
        });
      });
    load();
    const sub = merge(db.orgUnits.$, db.matters.$, db.calendars.$)
      .pipe(debounceTime(300))
      .subscribe(load);
    return () => {
      live = false;
      sub.unsubscribe();
    };
  }, [db]);
  return refs;
}

/** Live list of the project documents on this device. */
export function useProjectDocs(db: AppDatabase): { docs: ProjectDoc[]; loading: boolean } {
  const [state, setState] = useState<{ docs: ProjectDoc[]; loading: boolean }>({
    docs: [],
    loading: true,
  });
  useEffect(() => {
    const store = projectStoreOf(db);
    if (!store) {
      setState({ docs: [], loading: false });
      return;
    }
    const sub = store.projects
      .find()
      .$.subscribe((docs) =>
        setState({ docs: docs.map((d) => d.toMutableJSON() as ProjectDoc), loading: false }),
      );
    return () => sub.unsubscribe();
  }, [db]);
  return state;
}

/** The cases on this device that projects link to (progress is read from them). */
export function useLinkedCases(
  db: AppDatabase,
  states: readonly ProjectState[],
): Map<string, LinkedCase> {
  const ids = useMemo(
    () => [...new Set(states.flatMap((s) => s.matters.flatMap((m) => m.caseIds)))].sort(),
    [states],
  );
  const key = ids.join(',');
  const [cases, setCases] = useState<Map<string, LinkedCase>>(new Map());
  useEffect(() => {
    if (ids.length === 0) {
      setCases(new Map());
      return;
    }
    const sub = db.cases.findByIds(ids).$.subscribe((found) => {
      const m = new Map<string, LinkedCase>();
      for (const [id, d] of found) m.set(id, d.toJSON() as unknown as LinkedCase);
      setCases(m);
    });
    return () => sub.unsubscribe();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [db, key]);
  return cases;
}

export interface RankedProject {
  doc: ProjectDoc;
  state: ProjectState;
  risk: ProjectRisk;
}

export function todayChina(): string {
  return chinaDate(new Date());
}

/**
 * Every project on the device with its risk, riskiest first (the hub ranks alike). `states`
 * are the projects' folded states in the same order, when the caller has them already.
 */
export function rankProjects(
  docs: readonly ProjectDoc[],
  cases: ReadonlyMap<string, LinkedCase>,
  today: string,
  calendar: WorkingCalendar | undefined,
  states: readonly ProjectState[] = docs.map((d) => deriveProjectState(d.events)),
): RankedProject[] {
  const ranked = docs.map((doc, i) => {
    const state = states[i]!;
    return { doc, state, risk: projectRisk(state, cases, today, calendar) };
  });
  return ranked.sort(
    (a, b) => compareProjectRisk(a.risk, b.risk) || a.doc.name.localeCompare(b.doc.name, 'zh'),
  );
}

/** Live open refusals of one project (kept by the replication, projectReplication.ts). */
export function useProjectRefusals(db: AppDatabase, projectId: string): ProjectRefusalDoc[] {
  const [list, setList] = useState<ProjectRefusalDoc[]>([]);
  useEffect(() => {
    const store = projectStoreOf(db);
    if (!store) return;
    const sub = store.projectRefusals
      .find({ selector: { projectId } })
      .$.subscribe((docs) =>
        setList(
          docs.map((d) => d.toMutableJSON() as ProjectRefusalDoc).filter((r) => r.state === 'open'),
        ),
      );
    return () => sub.unsubscribe();
  }, [db, projectId]);
  return list;
}
