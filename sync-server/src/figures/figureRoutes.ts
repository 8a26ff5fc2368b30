/**
 * GET /api/figures — the cockpit's figures for the caller's scope: the county for the
 * supervisor and the centre, the own town for a town lead (shared `caseScopeOf`); anyone
 * else is refused. GET /api/figures/cases — the cases behind one number, same scope.
 */
import type { FastifyInstance } from 'fastify';
import {
  DIMENSIONS,
  DRILLABLE_METRICS,
  GRAINS,
  MAX_DRILL_ROWS,
  figureScopeOf,
  type Dimension,
  type FigureCasesResponse,
  type FigureMetric,
  type FiguresResponse,
  type Grain,
  type SupervisionLedgerResponse,
} from '@sibantong/shared';
import { caseScopeOf, chinaDate } from '@sibantong/shared';
import { hubNow } from '../clock.js';
import type { Hub } from '../hub.js';
import { badRequest, forbidden } from '../http/apiError.js';
import { requireAuth } from '../http/authGuard.js';
import { figureCases } from './figureCases.js';
import { readFigures, staleDevices } from './figureQuery.js';
import { figureSource } from './figureSource.js';
import { supervisionLedger } from './supervisionLedger.js';

const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const MAX_RANGE_DAYS = 731;

function checkRange(from: string, to: string): void {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b) || a > b || (b - a) / 86_400_000 > MAX_RANGE_DAYS) {
    throw badRequest(
      'FIGURES_RANGE_INVALID',
      `时间范围不正确（起止日期须有效，最长 ${MAX_RANGE_DAYS} 天）`,
    );
  }
}

async function scopeOf(hub: Hub, request: Parameters<typeof requireAuth>[1]) {
  const ctx = await requireAuth(hub.auth, request);
  const ref = await hub.ref.get();
  const caseScope = caseScopeOf(ctx.user, ref.org);
  const scope = figureScopeOf(caseScope);
  if (!scope) throw forbidden('ROLE_NOT_PERMITTED', '只有督办人员、中心和镇街负责人可以查看驾驶舱');
  return { ref, scope, caseScope };
}

export function registerFigureRoutes(app: FastifyInstance, hub: Hub): void {
  app.get<{ Querystring: { from: string; to: string; grain?: Grain } }>(
    '/api/figures',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'to'],
          properties: {
            from: { type: 'string', pattern: DATE },
            to: { type: 'string', pattern: DATE },
            grain: { type: 'string', enum: [...GRAINS] },
          },
        },
      },
    },
    async (request): Promise<FiguresResponse> => {
      const { ref, scope } = await scopeOf(hub, request);
      const { from, to } = request.query;
      checkRange(from, to);
      const now = hubNow();
      // Once per request: both halves read from the same place.
      const source = await figureSource(hub.store);
      const q = { from, to, grain: request.query.grain ?? 'day', now };
      const [figures, stale] = await Promise.all([
        readFigures(hub.store, source, ref, scope, q),
        staleDevices(hub.store, source, ref, scope, now),
      ]);
      return {
        scope: { ...scope, name: ref.org.unit(scope.unitId)?.name ?? scope.unitId },
        ...figures,
        staleDevices: stale,
      };
    },
  );

  app.get<{ Querystring: { from: string; to: string } }>(
    '/api/figures/supervision',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'to'],
          properties: {
            from: { type: 'string', pattern: DATE },
            to: { type: 'string', pattern: DATE },
          },
        },
      },
    },
    async (request): Promise<SupervisionLedgerResponse> => {
      const { ref, caseScope } = await scopeOf(hub, request);
      checkRange(request.query.from, request.query.to);
      return supervisionLedger(hub.store, ref, caseScope, request.query.from, request.query.to);
    },
  );

  app.get<{
    Querystring: {
      metric: FigureMetric;
      from?: string;
      to?: string;
      dim?: Dimension;
      key?: string;
      limit?: string;
    };
  }>(
    '/api/figures/cases',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['metric'],
          properties: {
            metric: { type: 'string', enum: [...DRILLABLE_METRICS] },
            from: { type: 'string', pattern: DATE },
            to: { type: 'string', pattern: DATE },
            dim: { type: 'string', enum: [...DIMENSIONS] },
            key: { type: 'string', minLength: 1, maxLength: 200 },
            limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
          },
        },
      },
    },
    async (request): Promise<FigureCasesResponse> => {
      const { ref, scope, caseScope } = await scopeOf(hub, request);
      const now = hubNow();
      const q = request.query;
      const from = q.from ?? chinaDate(now);
      const to = q.to ?? chinaDate(now);
      checkRange(from, to);
      if ((q.dim === undefined) !== (q.key === undefined)) {
        throw badRequest('FIGURES_DIMENSION_INVALID', '维度与取值须同时给出');
      }
      if (scope.kind === 'town' && q.dim === 'town' && q.key !== scope.unitId) {
        throw forbidden('OUT_OF_SCOPE', '只能查看本镇街的办件');
      }
      const limit = Math.min(Number(q.limit ?? 500), MAX_DRILL_ROWS);
      return figureCases(hub.store, ref, scope, caseScope, {
        metric: q.metric,
        from,
        to,
        ...(q.dim !== undefined && q.key !== undefined ? { dim: q.dim, key: q.key } : {}),
        limit,
        now,
      });
    },
  );
}
