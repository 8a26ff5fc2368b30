/**
 * GET /api/projects/team-candidates — the people a centre agent may pick for a project's
 * 1+1+N team (shared `teamCandidatesFor`): active users of the agent's county that fit a
 * slot, with name, role and unit only (no login data). Anyone but a centre agent gets 403:
 * only the centre sets a team, and the user list is not everyone's to read.
 */
import type { FastifyInstance } from 'fastify';
import {
  PROJECT_TEAM_CANDIDATES_PATH,
  teamCandidatesFor,
  type TeamCandidatesResponse,
  type TeamMember,
} from '@sibantong/shared/project/index';
import type { UserDoc } from '../auth/authDocs.js';
import type { Hub } from '../hub.js';
import { ApiHttpError } from '../http/apiError.js';
import { requireAuth } from '../http/authGuard.js';
import { withStoreRetry } from '../store/store.js';

async function activeUsers(hub: Hub): Promise<TeamMember[]> {
  const body = await withStoreRetry(() =>
    hub.store
      .db<UserDoc>('auth')
      .list({ startkey: 'user:', endkey: 'user:\ufff0', include_docs: true }),
  );
  const users: TeamMember[] = [];
  for (const row of body.rows) {
    const u = row.doc as UserDoc | undefined;
    if (!u || u.type !== 'user' || u.disabled) continue;
    users.push({ userId: u.userId, name: u.name, role: u.role, orgUnitId: u.orgUnitId });
  }
  return users;
}

export function registerTeamCandidatesRoute(app: FastifyInstance, hub: Hub): void {
  app.get(PROJECT_TEAM_CANDIDATES_PATH, async (request): Promise<TeamCandidatesResponse> => {
    const ctx = await requireAuth(hub.auth, request);
    if (ctx.user.role !== 'centre_agent') {
      throw new ApiHttpError(403, 'PROJECT_ROLE_FORBIDDEN', '只有中心代办员可以组建项目服务团队');
    }
    const ref = await hub.ref.get();
    return { candidates: teamCandidatesFor(ctx.user, await activeUsers(hub), ref.org) };
  });
}
