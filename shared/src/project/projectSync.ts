/**
 * Wire types of the `projects` collection of the sync API (docs/projects.md). Pull is the
 * generic `GET /api/sync/projects/pull?checkpoint=<json>&limit=<n>` answer (PullResponse of
 * ProjectDoc, the store's sequence as checkpoint); push has its own route and rows.
 */
import type { ProjectDoc } from './projectTypes.js';

export const PROJECTS_COLLECTION = 'projects';
export const PROJECTS_PULL_PATH = '/api/sync/projects/pull';
export const PROJECTS_PUSH_PATH = '/api/sync/projects/push';
/** At most this many rows per push. */
export const MAX_PROJECT_PUSH_ROWS = 50;

/** POST /api/sync/projects/push — one row per project, as RxDB's replication hands it over. */
export interface ProjectPushRow {
  assumedMasterState: ProjectDoc | null;
  newDocumentState: ProjectDoc;
}
export interface ProjectPushRequest {
  rows: ProjectPushRow[];
}

export type ProjectPushRowResult =
  | { id: string; status: 'accepted'; document: ProjectDoc }
  | {
      id: string;
      status: 'refused';
      code: string;
      message: string;
      /** The hub's project (null when it has none, or the caller may not see it). */
      master: ProjectDoc | null;
      refusedEventIds: string[];
    };

export interface ProjectPushResponse {
  results: ProjectPushRowResult[];
}

/** GET — the people a centre agent may put in a project's 1+1+N team (projectTeamCandidates.ts). */
export const PROJECT_TEAM_CANDIDATES_PATH = '/api/projects/team-candidates';
