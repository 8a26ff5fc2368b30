/**
 * 督办 of major projects (docs/projects.md): the hub computes each active project's timetable
 * on its own calendar and date, with the progress of the linked cases it holds, and keeps the
 * `supervision` records the shared `projectSupervisionRecords` calls for — raised once
 * (deterministic ids, a second insert is a 409 and changes nothing), resolved when the warning
 * is gone (the matter started, the case concluded, the target moved). The supervisor and the
 * county's centre see every record; the leadership member, the site's town and village see
 * theirs through `hubScope` (the pull's shared record rule).
 *
 * Runs after every accepted project push (that project) and with the workflow's periodic
 * deadline scan (every project: latest starts pass with time, not with writes).
 */
import { chinaDate, DomainError } from '@sibantong/shared';
import {
  deriveProjectState,
  projectSchedule,
  projectSupervisionRecords,
  type ProjectDoc,
  type ProjectSupervisionRecord,
} from '@sibantong/shared/project/index';
import { hubNowIso } from '../clock.js';
import type { RefSnapshot } from '../domain/refData.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import { linkedCasesOf } from './linkedCases.js';
import { projectsDb } from './projectsDb.js';

type StoredRecord = ProjectSupervisionRecord & { _id: string; _rev?: string };

export interface ProjectSupervisionReport {
  raised: number;
  resolved: number;
}

async function allProjects(store: Store): Promise<ProjectDoc[]> {
  const { db } = await projectsDb<ProjectDoc>(store);
  const all = await withStoreRetry(() => db.list({ include_docs: true }));
  return all.rows.flatMap((row) => {
    const doc = row.doc as (ProjectDoc & { _deleted?: boolean }) | undefined;
    return doc && !row.id.startsWith('_design/') && Array.isArray(doc.events) && !doc._deleted
      ? [doc]
      : [];
  });
}

/** Raises and resolves the 督办 records of `docs` (default: every project on the hub). */
export async function superviseProjects(
  store: Store,
  ref: RefSnapshot,
  docs?: readonly ProjectDoc[],
): Promise<ProjectSupervisionReport> {
  const projects = docs ?? (await allProjects(store));
  if (projects.length === 0) return { raised: 0, resolved: 0 };
  const now = hubNowIso();
  const today = chinaDate(now);
  const states = projects.map((p) => deriveProjectState(p.events));
  const cases = await linkedCasesOf(store, states);
  const wanted = new Map<string, ProjectSupervisionRecord>();
  for (const state of states) {
    let schedule = null;
    try {
      schedule = projectSchedule(state, cases, today, ref.calendar);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err; // an old history with a cycle: no timetable
    }
    for (const r of projectSupervisionRecords(state, schedule, ref.org, now)) wanted.set(r.id, r);
  }
  const db = store.db<StoredRecord>('supervision');
  const open = await withStoreRetry(() =>
    db.find({
      selector: { projectId: { $in: projects.map((p) => p.id) }, resolved: false },
      limit: 100_000,
    }),
  );
  const openIds = new Set(open.docs.map((d) => d._id));
  let raised = 0;
  for (const record of wanted.values()) {
    if (openIds.has(record.id)) continue;
    try {
      await withStoreRetry(() => db.insert({ ...record, _id: record.id }));
      raised += 1;
    } catch (err) {
      if (statusOf(err) !== 409) throw err; // raised before (and perhaps resolved since)
    }
  }
  const gone = open.docs.filter((d) => !wanted.has(d._id));
  if (gone.length > 0) {
    await withStoreRetry(() =>
      db.bulk({
        docs: gone.map((d) => ({ ...d, resolved: true, note: `${d.note}（已解除）` })),
      }),
    );
  }
  return { raised, resolved: gone.length };
}
