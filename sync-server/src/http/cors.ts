/**
 * CORS: the renderer runs from another localhost port in development and from app:// in
 * Electron. Every API route is authenticated by a bearer token, never a cookie, so a foreign
 * origin gains nothing from CORS without a token: any origin is allowed, credentials never.
 */
import type { FastifyInstance } from 'fastify';

const ALLOW_HEADERS = 'authorization, content-type, last-event-id, x-sbt-device-proof';
const ALLOW_METHODS = 'GET, POST, OPTIONS';

export function installCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('access-control-allow-origin', '*');
    void reply.header('access-control-expose-headers', 'content-type');
    if (request.method === 'OPTIONS') {
      void reply
        .header('access-control-allow-methods', ALLOW_METHODS)
        .header('access-control-allow-headers', ALLOW_HEADERS)
        .header('access-control-max-age', '600')
        .status(204)
        .send();
    }
  });
}
