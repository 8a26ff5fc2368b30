/**
 * GET /api/sync/projects/pull — the store's `_changes` of the projects database from the
 * client's checkpoint, each project kept if the caller may see it (shared projectAccess on the
 * state its events fold to). The checkpoint is the store's own sequence, as for cases: it
 * cannot skip a project written concurrently, and it advances past projects the caller may
 * not see, so it never stalls. A project the caller was once in the team of and may no
 * longer see comes as a removal, so their devices drop it.
 */
import type { Actor, PullCheckpoint, PullResponse } from '@sibantong/shared';
import {
  deriveProjectState,
  projectAccess,
  type ProjectDoc,
  type ProjectState,
} from '@sibantong/shared/project/index';
import type { OrgDirectory } from '@sibantong/shared';
import { toClientDoc } from '../sync/pullHandler.js';
import { withStoreRetry, type Store } from '../store/store.js';
import { projectsDb } from './projectsDb.js';

const INNER_BATCH = 200;
/** Bounded work per request: a user with a small scope in a large county still gets an answer. */
const MAX_INNER_BATCHES = 25;

interface ChangeRow {
  id: string;
  seq: unknown;
  deleted?: boolean;
  doc?: Record<string, unknown>;
}

export type ProjectVerdict = 'visible' | 'removal' | 'hidden';

/** A stored project folded once, to be judged for many callers (the live stream). */
export interface JudgedProject {
  state: ProjectState;
  formerMemberIds: readonly string[];
}

export function judgedProject(doc: ProjectDoc): JudgedProject {
  const events = Array.isArray(doc.events) ? doc.events : [];
  const state = deriveProjectState(events);
  const former = Array.isArray(doc.formerMemberIds) ? doc.formerMemberIds : state.formerMemberIds;
  return { state, formerMemberIds: former };
}

/** What the caller gets of one stored project, folded by `judgedProject`. */
export function judgedVerdict(
  actor: Actor,
  project: JudgedProject,
  org: OrgDirectory,
): ProjectVerdict {
  if (projectAccess(actor, project.state, org) !== 'none') return 'visible';
  return project.formerMemberIds.includes(actor.userId) ? 'removal' : 'hidden';
}

/** What the caller gets of one stored project. */
export function projectVerdict(actor: Actor, doc: ProjectDoc, org: OrgDirectory): ProjectVerdict {
  return judgedVerdict(actor, judgedProject(doc), org);
}

export async function pullProjects(
  store: Store,
  org: OrgDirectory,
  actor: Actor,
  checkpoint: PullCheckpoint | null,
  limit: number,
): Promise<PullResponse<ProjectDoc | { id: string; _deleted: true; updatedAt?: string }>> {
  const { db } = await projectsDb(store);
  const documents: Array<ProjectDoc | { id: string; _deleted: true; updatedAt?: string }> = [];
  let since = checkpoint?.seq ?? '0';
  for (let round = 0; round < MAX_INNER_BATCHES; round += 1) {
    const body = (await withStoreRetry(() =>
      db.changes({ since, include_docs: true, limit: INNER_BATCH }),
    )) as unknown as { results: ChangeRow[]; last_seq: unknown };
    for (const row of body.results) {
      since = String(row.seq);
      if (row.id.startsWith('_design/')) continue;
      if (row.deleted === true) {
        // The hub never deletes projects; a deletion by hand still reaches the devices.
        documents.push({ id: row.id, _deleted: true });
      } else if (row.doc) {
        const doc = toClientDoc<ProjectDoc>(row.doc);
        const verdict = projectVerdict(actor, doc, org);
        if (verdict === 'visible') documents.push(doc);
        else if (verdict === 'removal') {
          documents.push({ id: doc.id, _deleted: true, updatedAt: doc.updatedAt });
        }
      }
      if (documents.length >= limit) return { documents, checkpoint: { seq: since } };
    }
    if (body.results.length === 0 && body.last_seq !== undefined && body.last_seq !== null) {
      since = String(body.last_seq);
    }
    if (body.results.length < INNER_BATCH) break;
  }
  return { documents, checkpoint: { seq: since } };
}
