/**
 * POST /api/tickets/:id/steps — records the next step of a 差评 follow-up (核实 → 整改 →
 * 反馈 → 回访办结). The shared rule (ticketMachine) decides order, roles and required
 * fields; the hub re-checks it against the stored ticket, stamps its own time and writes
 * with the ticket's revision, so two people recording the same step cannot both succeed.
 * The updated ticket reaches every device through the `tickets` pull collection.
 *
 * The ticket id from the path reaches the store only through the store guard
 * (store/guardedStore.ts): an id outside the one id rule answers TICKET_NOT_FOUND.
 */
import type { FastifyInstance } from 'fastify';
import {
  CALL_BACK_RESULTS,
  TICKET_STATUSES,
  applyTicketStep,
  isTicketRole,
  type TicketDoc,
  type TicketStepRequest,
  type TicketStepResponse,
} from '@sibantong/shared';
import { hubNowIso } from '../clock.js';
import type { Hub } from '../hub.js';
import { ApiHttpError, forbidden } from '../http/apiError.js';
import { requireAuth } from '../http/authGuard.js';
import { statusOf, withStoreRetry } from '../store/store.js';
import { toClientDoc } from '../sync/pullHandler.js';

type StoredTicket = TicketDoc & { _id: string; _rev: string; hubScope: string[] };

/** State conflicts are 409 (reload and look again); the caller's role 403; input 400. */
function statusForCode(code: string): number {
  if (code === 'ROLE_NOT_PERMITTED') return 403;
  if (code === 'TICKET_CLOSED' || code === 'TICKET_STEP_OUT_OF_ORDER') return 409;
  return 400;
}

export function registerTicketRoutes(app: FastifyInstance, hub: Hub): void {
  app.post<{ Params: { id: string }; Body: TicketStepRequest }>(
    '/api/tickets/:id/steps',
    {
      schema: {
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['status', 'note'],
          properties: {
            status: { type: 'string', enum: [...TICKET_STATUSES] },
            // Length and blankness are the shared rule's to judge, with its Chinese message.
            note: { type: 'string', maxLength: 4000 },
            callBackResult: { type: 'string', enum: [...CALL_BACK_RESULTS] },
          },
        },
      },
    },
    async (request): Promise<TicketStepResponse> => {
      const ctx = await requireAuth(hub.auth, request);
      // Before reading anything: other roles learn nothing about tickets here.
      if (!isTicketRole(ctx.user.role)) {
        throw forbidden('ROLE_NOT_PERMITTED', '只有督办人员或中心代办可以登记差评整改');
      }
      const db = hub.store.db<StoredTicket>('tickets');
      for (let attempt = 0; attempt < 5; attempt += 1) {
        let stored: StoredTicket;
        try {
          stored = await withStoreRetry(() => db.get(request.params.id));
        } catch (err) {
          if (statusOf(err) === 404) {
            throw new ApiHttpError(404, 'TICKET_NOT_FOUND', '差评整改工单不存在');
          }
          throw err;
        }
        const next = applyTicketStep(
          stored,
          request.body,
          { userId: ctx.user.userId, name: ctx.user.name, role: ctx.user.role },
          hubNowIso(),
        );
        if (!next.ok) throw new ApiHttpError(statusForCode(next.code), next.code, next.messageZh);
        try {
          await withStoreRetry(() => db.insert(next.value));
          return { ticket: toClientDoc<TicketDoc>(next.value) };
        } catch (err) {
          // Someone else wrote the ticket meanwhile: re-read; the rule then judges our step
          // against their step (usually TICKET_STEP_OUT_OF_ORDER).
          if (statusOf(err) !== 409) throw err;
        }
      }
      throw new ApiHttpError(409, 'WRITE_CONTENTION', '工单正被频繁更新，请稍后重试');
    },
  );
}
