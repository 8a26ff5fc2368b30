/** GET /api/refusals — the writes the hub refused, newest first, for the county supervisor. */
import type { FastifyInstance } from 'fastify';
import type { RefusalsResponse } from '@sibantong/shared';
import { listDevices } from '../auth/devices.js';
import type { Hub } from '../hub.js';
import { badRequest, forbidden } from '../http/apiError.js';
import { requireAuth } from '../http/authGuard.js';
import { MAX_REFUSALS_PAGE, listRefusals } from './refusalLog.js';

export function registerRefusalRoutes(app: FastifyInstance, hub: Hub): void {
  app.get<{ Querystring: { limit?: string; before?: string } }>(
    '/api/refusals',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
            before: { type: 'string', minLength: 1, maxLength: 300 },
          },
        },
      },
    },
    async (request): Promise<RefusalsResponse> => {
      const ctx = await requireAuth(hub.auth, request);
      // One hub serves one county, so "all in the county" is every record.
      if (ctx.user.role !== 'supervisor') {
        throw forbidden('ROLE_NOT_PERMITTED', '只有督办人员可以查看被拒写入记录');
      }
      const limit = request.query.limit === undefined ? 50 : Number(request.query.limit);
      if (limit < 1 || limit > MAX_REFUSALS_PAGE) {
        throw badRequest('INVALID_LIMIT', `每页数量应在 1–${MAX_REFUSALS_PAGE} 之间`);
      }
      const [page, devices] = await Promise.all([
        listRefusals(hub.store, limit, request.query.before ?? null),
        listDevices(hub.store),
      ]);
      // The supervisor knows PCs by the names IT gave them, not by their ids.
      const names = new Map(devices.map((d) => [d.deviceId, d.name]));
      return {
        ...page,
        refusals: page.refusals.map((r) => {
          const deviceName = names.get(r.deviceId);
          return deviceName ? { ...r, deviceName } : r;
        }),
      };
    },
  );
}
