/**
 * Routes of the `projects` collection (docs/projects.md):
 * - GET  /api/sync/projects/pull — projects in the caller's scope, store-sequence checkpoint;
 * - POST /api/sync/projects/push — project edits, re-validated with the shared project rules;
 * - GET  /api/projects/:id/schedule — the 倒排时间表 as the hub computes it (hub calendar, hub
 *   date, progress from the cases the hub holds) with its 督办 warnings;
 * - GET  /api/projects/risks — every project the caller sees, riskiest first (the list of the
 *   centre, the leadership member and the supervisor);
 * - GET  /api/projects/team-candidates — who a centre agent may pick for a team.
 * Registered as static routes, so they take precedence over `/api/sync/:collection/pull`.
 */
import type { FastifyInstance } from 'fastify';
import { chinaDate } from '@sibantong/shared';
import {
  MAX_PROJECT_PUSH_ROWS,
  PROJECTS_PULL_PATH,
  PROJECTS_PUSH_PATH,
  compareProjectRisk,
  deriveProjectState,
  projectAccess,
  projectRisk,
  projectSchedule,
  type ProjectRisk,
  type ProjectState,
  type ProjectDoc,
  type ProjectPushRequest,
  type ProjectPushResponse,
} from '@sibantong/shared/project/index';
import { DomainError } from '@sibantong/shared';
import type { Hub } from '../hub.js';
import { hubNowIso } from '../clock.js';
import { ApiHttpError } from '../http/apiError.js';
import { PULL_QUERY_SCHEMA, pullLimitOf, pushBodySchema } from '../http/syncRouteParts.js';
import { requireAuth } from '../http/authGuard.js';
import { checkpointInEpoch, MAX_PULL_LIMIT, parseCheckpoint } from '../sync/pullHandler.js';
import { statusOf, withStoreRetry } from '../store/store.js';
import { pullProjects } from './projectPull.js';
import { pushProjectRows } from './projectPush.js';
import { linkedCasesOf } from './linkedCases.js';
import { projectsDb } from './projectsDb.js';
import { registerTeamCandidatesRoute } from './teamCandidates.js';

const linkedCases = (hub: Hub, states: readonly ProjectState[]) => linkedCasesOf(hub.store, states);

export interface ProjectRiskRow {
  id: string;
  name: string;
  stage: ProjectDoc['stage'];
  status: ProjectDoc['status'];
  siteUnitId: string;
  risk: ProjectRisk;
}

const notFound = () => new ApiHttpError(404, 'PROJECT_NOT_FOUND', '项目不存在或您无权查看');

export function registerProjectRoutes(app: FastifyInstance, hub: Hub): void {
  registerTeamCandidatesRoute(app, hub);
  app.get<{ Querystring: { checkpoint?: string; limit?: string } }>(
    PROJECTS_PULL_PATH,
    {
      schema: { querystring: PULL_QUERY_SCHEMA },
    },
    async (request) => {
      const ctx = await requireAuth(hub.auth, request);
      const limit = pullLimitOf(request.query, MAX_PULL_LIMIT);
      const checkpoint = checkpointInEpoch(
        parseCheckpoint(request.query.checkpoint),
        hub.storeEpoch,
      );
      const ref = await hub.ref.get();
      const page = await pullProjects(hub.store, ref.org, ctx.user, checkpoint, limit);
      return { ...page, checkpoint: { ...page.checkpoint, epoch: hub.storeEpoch } };
    },
  );

  app.post<{ Body: ProjectPushRequest }>(
    PROJECTS_PUSH_PATH,
    {
      schema: { body: pushBodySchema(MAX_PROJECT_PUSH_ROWS) },
    },
    async (request): Promise<ProjectPushResponse> => {
      const ctx = await requireAuth(hub.auth, request);
      const ref = await hub.ref.get();
      const results = await hub.deviceTraffic.pushing(() =>
        hub.pushGate.run(() => pushProjectRows(hub.store, ref, ctx, request.body.rows)),
      );
      return { results };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/projects/:id/schedule',
    {
      schema: {
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', minLength: 1, maxLength: 100 } },
        },
      },
    },
    async (request) => {
      const ctx = await requireAuth(hub.auth, request);
      const ref = await hub.ref.get();
      const { db } = await projectsDb<ProjectDoc>(hub.store);
      let doc: ProjectDoc;
      try {
        doc = await withStoreRetry(() => db.get(request.params.id));
      } catch (err) {
        if (statusOf(err) === 404) throw notFound();
        throw err;
      }
      const state = deriveProjectState(doc.events);
      if (projectAccess(ctx.user, state, ref.org) === 'none') throw notFound();
      const cases = await linkedCases(hub, [state]);
      const today = chinaDate(hubNowIso());
      try {
        return { today, schedule: projectSchedule(state, cases, today, ref.calendar) };
      } catch (err) {
        // A cycle cannot pass the push rules, but an old history may hold one: say so plainly.
        if (err instanceof DomainError) throw new ApiHttpError(409, err.code, err.messageZh);
        throw err;
      }
    },
  );

  app.get(
    '/api/projects/risks',
    async (request): Promise<{ today: string; projects: ProjectRiskRow[] }> => {
      const ctx = await requireAuth(hub.auth, request);
      const ref = await hub.ref.get();
      const { db } = await projectsDb<ProjectDoc>(hub.store);
      const all = await withStoreRetry(() => db.list({ include_docs: true }));
      const visible: Array<{ doc: ProjectDoc; state: ProjectState }> = [];
      for (const row of all.rows) {
        const doc = row.doc as ProjectDoc | undefined;
        if (!doc || row.id.startsWith('_design/') || !Array.isArray(doc.events)) continue;
        const state = deriveProjectState(doc.events);
        if (projectAccess(ctx.user, state, ref.org) !== 'none') visible.push({ doc, state });
      }
      const cases = await linkedCases(
        hub,
        visible.map((v) => v.state),
      );
      const today = chinaDate(hubNowIso());
      const projects = visible
        .map(({ doc, state }) => ({
          id: doc.id,
          name: doc.name,
          stage: doc.stage,
          status: doc.status,
          siteUnitId: doc.siteUnitId,
          risk: projectRisk(state, cases, today, ref.calendar),
        }))
        .sort((a, b) => compareProjectRisk(a.risk, b.risk) || (a.id < b.id ? -1 : 1));
      return { today, projects };
    },
  );
}
