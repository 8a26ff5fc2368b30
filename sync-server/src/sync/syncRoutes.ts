/** Routes of the sync API (docs/sync-protocol.md). */
import type { FastifyInstance } from 'fastify';
import type { PushRequest, PushResponse } from '@sibantong/shared';
import type { Hub } from '../hub.js';
import { ApiHttpError, badRequest } from '../http/apiError.js';
import { requireAuth } from '../http/authGuard.js';
import {
  MAX_PULL_LIMIT,
  isHubCollection,
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
        querystring: {
          type: 'object',
          properties: {
            checkpoint: { type: 'string', maxLength: 2100 },
            limit: { type: 'string', pattern: '^[0-9]{1,6}$' },
          },
        },
      },
    },
    async (request, reply) => {
      const ctx = await requireAuth(hub.auth, request);
      const { collection } = request.params;
      if (!isHubCollection(collection)) {
        throw new ApiHttpError(404, 'UNKNOWN_COLLECTION', `没有名为 ${collection} 的同步集合`);
      }
      const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
      if (limit < 1 || limit > MAX_PULL_LIMIT) {
        throw badRequest('INVALID_LIMIT', `每批数量应在 1–${MAX_PULL_LIMIT} 之间`);
      }
      const checkpoint = parseCheckpoint(request.query.checkpoint);
      const stats: PullStats = { path: 'scan', docsRead: 0 };
      const ref = await hub.ref.get();
      const page = await hub.deviceTraffic.during(() =>
        pull(hub.store, ref, ctx, collection, checkpoint, limit, hub.pullServices, stats),
      );
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
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['rows'],
          properties: {
            rows: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['assumedMasterState', 'newDocumentState'],
                properties: {
                  assumedMasterState: { type: ['object', 'null'] },
                  newDocumentState: { type: 'object' },
                },
              },
            },
          },
        },
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
      const results = await hub.deviceTraffic.during(() =>
        hub.pushGate.run(() => pushRows(hub.store, ref, ctx, request.body.rows, hub.index)),
      );
      return { results };
    },
  );

  app.get('/api/sync/stream', async (request, reply) => hub.stream.handle(request, reply));
  registerProjectRoutes(app, hub);
}
