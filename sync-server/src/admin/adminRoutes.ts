/**
 * Hub-side administrative actions that are not case events:
 * - POST /api/admin/cases/:id/move — a case changes village (e.g. the applicant's household
 *   moved, or it was received at the wrong point). The shared machine has no such event:
 *   forward/escalate hand a case up but keep its origin. The hub rewrites origin and town,
 *   records the old units in formerUnitIds (their devices then get a removal), and logs it.
 *   Allowed to the county centre (centre_agent).
 * - POST /api/admin/workflow/scan — run the deadline scan now (supervisor, it_admin).
 * - POST /api/admin/clock — shift the hub clock; only when HUB_TEST_MODE=1 (drills, tests).
 * - GET /api/county-key — registered here too (countyKeyRoute.ts), not an admin action.
 *
 * Case and ticket ids from the path reach the store only through the store guard
 * (store/guardedStore.ts): an id outside the one id rule answers 404 like a missing case.
 */
import type { FastifyInstance } from 'fastify';
import type { CaseDoc } from '@sibantong/shared';
import { hubNowIso, setClockOffset } from '../clock.js';
import type { Hub } from '../hub.js';
import { ApiHttpError, forbidden } from '../http/apiError.js';
import { requireAuth } from '../http/authGuard.js';
import { statusOf, withStoreRetry } from '../store/store.js';
import { toClientDoc } from '../sync/pullHandler.js';
import { registerCountyKeyRoute } from './countyKeyRoute.js';

type StoredCase = CaseDoc & { _id: string; _rev: string };

export function registerAdminRoutes(app: FastifyInstance, hub: Hub): void {
  registerCountyKeyRoute(app, hub);
  app.post<{ Params: { id: string }; Body: { toUnitId: string; reason: string } }>(
    '/api/admin/cases/:id/move',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 100 } } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['toUnitId', 'reason'],
          properties: {
            toUnitId: { type: 'string', minLength: 1, maxLength: 100 },
            reason: { type: 'string', minLength: 1, maxLength: 500 },
          },
        },
      },
    },
    async (request) => {
      const ctx = await requireAuth(hub.auth, request);
      if (ctx.user.role !== 'centre_agent')
        throw forbidden('ROLE_NOT_PERMITTED', '只有中心代办可以变更办件的受理村（社区）');
      const ref = await hub.ref.get();
      const target = ref.org.unit(request.body.toUnitId);
      if (!target || (target.level !== 'village' && target.level !== 'town')) {
        throw new ApiHttpError(400, 'TARGET_UNIT_INVALID', '目标单位必须是村（社区）或乡镇');
      }
      const town = ref.org.townOf(target.id);
      if (!town) throw new ApiHttpError(400, 'TARGET_UNIT_INVALID', '目标单位不属于任何乡镇');
      const db = hub.store.db<StoredCase>('cases');
      for (let attempt = 0; attempt < 5; attempt += 1) {
        let doc: StoredCase;
        try {
          doc = await withStoreRetry(() => db.get(request.params.id));
        } catch (err) {
          if (statusOf(err) === 404) throw new ApiHttpError(404, 'CASE_NOT_FOUND', '办件不存在');
          throw err;
        }
        if (doc.originUnitId === target.id) return { document: toClientDoc<CaseDoc>(doc) };
        if (doc.holderUnitId === doc.originUnitId) {
          // The old point still holds the case by its own events; moving the origin alone
          // would leave it there. It must hand the case on (forward) first.
          throw new ApiHttpError(
            409,
            'CASE_HELD_BY_ORIGIN',
            '办件仍在原受理点办理，请先转办后再变更受理村（社区）',
          );
        }
        const leaving = [doc.originUnitId, doc.townId].filter(
          (u) => u !== target.id && u !== town.id,
        );
        const moved: StoredCase = {
          ...doc,
          originUnitId: target.id,
          townId: town.id,
          formerUnitIds: [...new Set([...doc.formerUnitIds, ...leaving])].sort(),
          updatedAt: hubNowIso(),
        };
        try {
          await withStoreRetry(() => db.insert(moved));
          return { document: toClientDoc<CaseDoc>(moved) };
        } catch (err) {
          if (statusOf(err) !== 409) throw err;
        }
      }
      throw new ApiHttpError(409, 'WRITE_CONTENTION', '办件正被频繁更新，请稍后重试');
    },
  );

  app.post('/api/admin/workflow/scan', async (request) => {
    const ctx = await requireAuth(hub.auth, request);
    if (ctx.user.role !== 'supervisor' && ctx.user.role !== 'it_admin') {
      throw forbidden('ROLE_NOT_PERMITTED', '只有督办或信息管理员可以触发时限扫描');
    }
    return { raised: await hub.processor.scanDeadlines() };
  });

  app.post<{ Body: { offsetMs: number } }>(
    '/api/admin/clock',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['offsetMs'],
          properties: { offsetMs: { type: 'integer', minimum: -1e11, maximum: 1e11 } },
        },
      },
    },
    async (request) => {
      if (!hub.config.testMode) throw new ApiHttpError(404, 'NOT_FOUND', '接口不存在');
      const ctx = await requireAuth(hub.auth, request);
      if (ctx.user.role !== 'it_admin')
        throw forbidden('ROLE_NOT_PERMITTED', '只有信息管理员可以调整演练时钟');
      setClockOffset(request.body.offsetMs);
      return { hubTime: hubNowIso() };
    },
  );
}
