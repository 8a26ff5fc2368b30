/** Builds the Fastify app of the hub: CORS, error mapping, routes, update feed. */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { PUSH_BODY_LIMIT_BYTES } from '@sibantong/shared';
import type { Hub } from './hub.js';
import { registerAdminRoutes } from './admin/adminRoutes.js';
import { registerItRoutes } from './admin/itRoutes.js';
import { registerAuthRoutes } from './http/authRoutes.js';
import { registerDeviceReportRoute } from './http/deviceReportRoute.js';
import { installCors } from './http/cors.js';
import { installErrorHandling } from './http/errorHandler.js';
import { installServerTiming } from './http/serverTiming.js';
import { registerHealthRoute } from './http/healthRoute.js';
import { registerReleaseRoutes } from './releases/index.js';
import { registerRefusalRoutes } from './refusals/refusalRoutes.js';
import { registerFigureRoutes } from './figures/figureRoutes.js';
import { registerSyncRoutes } from './sync/syncRoutes.js';
import { registerAttachmentRoutes } from './attachments/attachmentRoutes.js';
import { registerTicketRoutes } from './tickets/ticketRoutes.js';

/**
 * Pushes carry whole case histories; the limit is shared's, so the client's push batches by
 * the same number of bytes the hub accepts.
 */
export const BODY_LIMIT = PUSH_BODY_LIMIT_BYTES;

export async function buildServer(hub: Hub): Promise<FastifyInstance> {
  const https =
    hub.config.tlsCert && hub.config.tlsKey
      ? { cert: readFileSync(hub.config.tlsCert), key: readFileSync(hub.config.tlsKey) }
      : null;
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    // Live streams never go idle: without this, shutdown would wait for every client.
    forceCloseConnections: true,
    // Client addresses (throttles key on them) come from X-Forwarded-For only via the
    // proxies IT lists in HUB_TRUSTED_PROXIES; otherwise the TCP peer.
    trustProxy: hub.config.trustedProxies.length > 0 ? hub.config.trustedProxies : false,
    logger: { level: process.env.HUB_LOG_LEVEL ?? 'warn' },
    ...(https ? { https } : {}),
    // Query strings and params are strings on the wire; no silent type coercion of bodies.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  }) as unknown as FastifyInstance;
  // JSON only: a text body is refused with 415 instead of reaching a schema as a string.
  app.removeContentTypeParser('text/plain');
  installCors(app);
  installServerTiming(app, hub.pauses);
  installErrorHandling(app);
  registerHealthRoute(app, hub);
  registerAuthRoutes(app, hub);
  registerSyncRoutes(app, hub);
  registerAttachmentRoutes(app, hub);
  registerAdminRoutes(app, hub);
  registerItRoutes(app, hub);
  registerDeviceReportRoute(app, hub);
  registerTicketRoutes(app, hub);
  registerRefusalRoutes(app, hub);
  registerFigureRoutes(app, hub);
  await registerReleaseRoutes(app, { dataDir: hub.config.dataDir });
  return app;
}
