/**
 * GET /api/county-key — the county's ID-digest key for a signed-in device (any role: every
 * point records and searches cases by ID). The answer is never cached by intermediaries.
 */
import type { FastifyInstance } from 'fastify';
import type { CountyKey } from '@sibantong/shared';
import { loadCountyKey } from '../atRest/countyKey.js';
import type { Hub } from '../hub.js';
import { requireAuth } from '../http/authGuard.js';

export function registerCountyKeyRoute(app: FastifyInstance, hub: Hub): void {
  app.get('/api/county-key', async (request, reply): Promise<CountyKey> => {
    await requireAuth(hub.auth, request);
    reply.header('cache-control', 'no-store');
    return loadCountyKey(hub.store);
  });
}
