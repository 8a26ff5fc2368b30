/** Routes of the sync API (docs/sync-protocol.md). */
import type { FastifyInstance } from 'fastify';
import type { PushRequest, PushResponse } from '@sibantong/shared';
import type { Hub } from '../hub.js';
import { ApiHttpError, badRequest } from '../http/apiError.js';
import { requireAuth } from '../http/authGuard.js';
import { PULL_QUERY_SCHEMA, pullLimitOf, pushBodySchema } from '../http/syncRouteParts.js';
import {
  MAX_PULL_LIMIT,
  isHubCollection,
  checkpointInEpoch,
  parseCheckpoint,
  pull,
  type PullStats,
} from './pullHandler.js';
import { pushRows } from './pushHandler.js';
import { MAX_PUSH_ROWS, PUSH_REQUEST_CODES } from './pushCodes.js';
import { registerProjectRoutes } from '../projects/projectRoutes.js';

export function registerSyncRoutes(app: FastifyInstance, hub: Hub): void {
  app.get<{ Params: { collection: string }; Querystring: { checkpoint?: string; limit?: string } }>(
    '/api/sync/:collection/pull',
    {
      schema: {
        params: {
          type: 'object',
          required: ['collection'],
          properties: { collection: { type: 'string', maxLength: 40 } },
        },
        querystring: PULL_QUERY_SCHEMA,
      },
    },
    async (request, reply) => {
      const ctx = await requireAuth(hub.auth, request);
      const { collection } = request.params;
      if (!isHubCollection(collection)) {
        throw new ApiHttpError(404, 'UNKNOWN_COLLECTION', `没有名为 ${collection} 的同步集合`);
      }
      const limit = pullLimitOf(request.query, MAX_PULL_LIMIT);
      const stats: PullStats = { path: 'scan', docsRead: 0 };
      const checkpoint = checkpointInEpoch(
        parseCheckpoint(request.query.checkpoint),
        hub.storeEpoch,
        stats,
      );
      const ref = await hub.ref.get();
      const page = await pull(
        hub.store,
        ref,
        ctx,
        collection,
        checkpoint,
        limit,
        hub.pullServices,
        stats,
      );
      page.checkpoint = { ...page.checkpoint, epoch: hub.storeEpoch };
      // Diagnostics (tests, benchmarks): how the page was served and what it cost the store.
      void reply.header('x-pull-path', stats.path).header('x-pull-docs-read', stats.docsRead);
      if (stats.freshWaitMs !== undefined)
        void reply.header(
          'x-pull-fresh',
          `${stats.fresh ? 'yes' : 'expired'};${stats.freshWaitMs}`,
        );
      return page;
    },
  );

  app.post<{ Body: PushRequest }>(
    '/api/sync/cases/push',
    {
      schema: {
        // The row count is checked in the handler: PUSH_TOO_MANY_ROWS with its own message.
        body: pushBodySchema(),
      },
    },
    async (request): Promise<PushResponse> => {
      const ctx = await requireAuth(hub.auth, request);
      if (request.body.rows.length > MAX_PUSH_ROWS) {
        throw badRequest(
          'PUSH_TOO_MANY_ROWS',
          `${PUSH_REQUEST_CODES.PUSH_TOO_MANY_ROWS}（每次最多 ${MAX_PUSH_ROWS} 件）`,
        );
      }
      const ref = await hub.ref.get();
      const results = await hub.deviceTraffic.pushing(() =>
        hub.pushGate.run(() => pushRows(hub.store, ref, ctx, request.body.rows, hub.index)),
      );
      return { results };
    },
  );

  app.get('/api/sync/stream', async (request, reply) => hub.stream.handle(request, reply));
  registerProjectRoutes(app, hub);
}
