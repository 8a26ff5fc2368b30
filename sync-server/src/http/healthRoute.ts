/**
 * GET /api/health.
 *
 * Without a token: a liveness answer for load balancers and monitors. It never reads the
 * store's changes or documents: the store is pinged at most once per PING_MS whatever the
 * request rate, so a flood of health checks costs the store nothing.
 *
 * With the token of IT or the supervisor: the details (store kind and version, workflow
 * backlog, dead letters, calendar coverage with the November warning for next year). Those read up to thousands of changes, so concurrent callers share
 * one computation and its result is reused for DETAILS_MS.
 */
import type { FastifyInstance } from 'fastify';
import type { HealthPublic, HealthResponse, Role } from '@sibantong/shared';
import { hubNowIso } from '../clock.js';
import type { Hub } from '../hub.js';
import { HUB_VERSION } from '../version.js';
import type { HubCalendarStatus } from '../workflow/calendarStatus.js';
import { forbidden } from './apiError.js';
import { requireAuth } from './authGuard.js';

const PING_MS = 5_000;
const DETAILS_MS = 2_000;
const DETAIL_ROLES: readonly Role[] = ['it_admin', 'supervisor'];

type HealthDetails = HealthResponse & {
  workflow: { active: boolean };
  /** Years covered, the November warning when next year's table is missing, 暂估 cases. */
  calendar: HubCalendarStatus | null;
};

/** Re-runs `compute` at most once per `maxAgeMs`; concurrent callers share the run in flight. */
function cached<T>(maxAgeMs: number, compute: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= maxAgeMs) {
      const value = compute();
      last = { at: now, value };
      // A failed run is not reused.
      value.catch(() => {
        if (last?.value === value) last = null;
      });
    }
    return last.value;
  };
}

export function registerHealthRoute(app: FastifyInstance, hub: Hub): void {
  const storeVersion = cached(PING_MS, async () => {
    try {
      return { reachable: true, version: await hub.store.version() };
    } catch {
      return { reachable: false, version: 'unknown' };
    }
  });

  const details = cached(DETAILS_MS, async (): Promise<HealthDetails> => {
    const store = await storeVersion();
    let backlog = -1;
    let deadLetters = -1;
    let calendar: HubCalendarStatus | null = null;
    let reachable = store.reachable;
    try {
      [backlog, deadLetters, calendar] = await Promise.all([
        hub.processor.backlog(),
        hub.processor.deadLetterCount(),
        hub.processor.calendarStatus(),
      ]);
    } catch {
      reachable = false;
    }
    const status = hub.processor.status();
    return {
      status: reachable && deadLetters === 0 ? 'ok' : 'degraded',
      store: { kind: hub.store.kind, version: store.version, reachable },
      hubVersion: HUB_VERSION,
      hubTime: hubNowIso(),
      workflow: {
        backlog,
        deadLetters,
        lastProcessedSeq: status.lastProcessedSeq,
        active: status.active,
      },
      calendar,
    };
  });

  app.get('/api/health', async (request): Promise<HealthPublic | HealthDetails> => {
    if (!request.headers.authorization) {
      const store = await storeVersion();
      return {
        status: store.reachable ? 'ok' : 'degraded',
        hubVersion: HUB_VERSION,
        hubTime: hubNowIso(),
      };
    }
    const ctx = await requireAuth(hub.auth, request);
    if (!DETAIL_ROLES.includes(ctx.user.role)) {
      throw forbidden('HEALTH_DETAILS_FORBIDDEN', '只有信息管理员和督办人员可以查看枢纽运行详情');
    }
    return { ...(await details()), hubTime: hubNowIso() };
  });
}
