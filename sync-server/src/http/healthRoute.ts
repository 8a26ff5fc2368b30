/** GET /api/health — unauthenticated: store kind and version, workflow backlog. */
import type { FastifyInstance } from 'fastify';
import type { HealthResponse } from '@sibantong/shared';
import { hubNowIso } from '../clock.js';
import type { Hub } from '../hub.js';
import { HUB_VERSION } from '../version.js';

export function registerHealthRoute(app: FastifyInstance, hub: Hub): void {
  app.get('/api/health', async (): Promise<HealthResponse & { workflow: { active: boolean } }> => {
    let version = 'unknown';
    let reachable = true;
    let backlog = -1;
    let deadLetters = -1;
    try {
      version = await hub.store.version();
      [backlog, deadLetters] = await Promise.all([
        hub.processor.backlog(),
        hub.processor.deadLetterCount(),
      ]);
    } catch {
      reachable = false;
    }
    const status = hub.processor.status();
    return {
      status: reachable && deadLetters === 0 ? 'ok' : 'degraded',
      store: { kind: hub.store.kind, version, reachable },
      hubVersion: HUB_VERSION,
      hubTime: hubNowIso(),
      workflow: {
        backlog,
        deadLetters,
        lastProcessedSeq: status.lastProcessedSeq,
        active: status.active,
      },
    };
  });
}
