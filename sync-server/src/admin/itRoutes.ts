/**
 * /api/it/* — the IT console's routes, for the it_admin role only. Every request is
 * authenticated like a sync request (token, its session still open, the device's proof, the
 * device not revoked, the account not disabled: auth/session.ts), then the operation runs
 * through the same functions as the CLI (itConsole.ts). A refusal of what IT asked for (unknown
 * unit, user, device or dead letter, weak password) answers 400 with its stable code and
 * Chinese message.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ItAddUserRequest } from '@sibantong/shared';
import { AdminInputError } from '../auth/adminInputError.js';
import { revokeDevice } from '../auth/devices.js';
import { listUnits } from '../auth/units.js';
import { disableUser, enableUser, unlockUser } from '../auth/users.js';
import type { Hub } from '../hub.js';
import { ApiHttpError, forbidden } from '../http/apiError.js';
import { requireAuth } from '../http/authGuard.js';
import { CHANNELS, ReleaseError, type Channel } from '../releases/feed.js';
import { ReleaseStore } from '../releases/store.js';
import {
  calendarStatus,
  importCalendar,
  parseCalendarText,
  previewCalendar,
  type CalendarFormat,
} from './calendarAdmin.js';
import {
  addAccount,
  deviceRows,
  enrolCodes,
  hubHealth,
  releaseChannel,
  resetAccountPassword,
  userRows,
} from './itConsole.js';

const ID = { type: 'string', minLength: 1, maxLength: 100 } as const;
const PASSWORD = { type: 'string', minLength: 1, maxLength: 200 } as const;

export function registerItRoutes(app: FastifyInstance, hub: Hub): void {
  const itAdmin = async (request: FastifyRequest) => {
    const ctx = await requireAuth(hub.auth, request);
    if (ctx.user.role !== 'it_admin') {
      throw forbidden('ROLE_NOT_PERMITTED', '只有信息管理员可以使用运维管理');
    }
    return ctx;
  };
  /** Runs an operation, turning a refusal of IT's input into a 400 with its code. */
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AdminInputError) throw new ApiHttpError(400, err.code, err.message);
      throw err;
    }
  };

  app.get('/api/it/units', async (request) => {
    await itAdmin(request);
    return { units: await listUnits(hub.store) };
  });

  app.get('/api/it/devices', async (request) => {
    await itAdmin(request);
    return { devices: await deviceRows(hub.store) };
  });

  app.post<{ Body: { orgUnitId: string; count?: number } }>(
    '/api/it/devices/enrol',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['orgUnitId'],
          properties: { orgUnitId: ID, count: { type: 'integer', minimum: 1, maximum: 500 } },
        },
      },
    },
    async (request) => {
      await itAdmin(request);
      const codes = await run(() =>
        enrolCodes(hub.store, request.body.orgUnitId, request.body.count ?? 1),
      );
      return { codes };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/it/devices/:id/revoke',
    { schema: { params: { type: 'object', properties: { id: ID } } } },
    async (request) => {
      await itAdmin(request);
      await run(() => revokeDevice(hub.store, request.params.id));
      return { deviceId: request.params.id, revoked: true };
    },
  );

  app.get('/api/it/users', async (request) => {
    await itAdmin(request);
    return { users: await userRows(hub.store) };
  });

  app.post<{ Body: ItAddUserRequest }>(
    '/api/it/users',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'name', 'role', 'orgUnitId'],
          properties: {
            username: { type: 'string', minLength: 2, maxLength: 40 },
            name: { type: 'string', minLength: 1, maxLength: 50 },
            role: { type: 'string', maxLength: 40 },
            orgUnitId: ID,
            password: PASSWORD,
          },
        },
      },
    },
    async (request) => {
      await itAdmin(request);
      return run(() => addAccount(hub.store, request.body));
    },
  );

  const USER_ACTIONS = {
    disable: disableUser,
    enable: enableUser,
    unlock: unlockUser,
  } as const;

  app.post<{ Params: { username: string; action: string }; Body: { password?: string } | null }>(
    '/api/it/users/:username/:action',
    {
      schema: {
        params: {
          type: 'object',
          properties: {
            username: ID,
            action: { type: 'string', enum: ['disable', 'enable', 'unlock', 'reset-password'] },
          },
        },
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { password: PASSWORD },
        },
      },
    },
    async (request) => {
      const ctx = await itAdmin(request);
      const { username, action } = request.params;
      if (action === 'reset-password') {
        return run(() => resetAccountPassword(hub.store, username, request.body?.password));
      }
      if (action === 'disable' && username === ctx.user.username) {
        throw new ApiHttpError(400, 'CANNOT_DISABLE_SELF', '不能停用自己正在使用的账号');
      }
      await run(() => USER_ACTIONS[action as keyof typeof USER_ACTIONS](hub.store, username));
      return { username, done: action };
    },
  );

  app.get('/api/it/calendar', async (request) => {
    await itAdmin(request);
    return calendarStatus(hub.store);
  });

  const calendarBody = {
    body: {
      type: 'object',
      additionalProperties: false,
      required: ['text', 'format'],
      properties: {
        // A year's table is a few kB; the cap keeps a wrong file from being parsed at all.
        text: { type: 'string', minLength: 1, maxLength: 200_000 },
        format: { type: 'string', enum: ['json', 'yaml'] },
      },
    },
  } as const;

  app.post<{ Body: { text: string; format: CalendarFormat } }>(
    '/api/it/calendar/preview',
    { schema: calendarBody },
    async (request) => {
      await itAdmin(request);
      const table = await run(async () =>
        parseCalendarText(request.body.text, request.body.format),
      );
      return previewCalendar(hub.store, table);
    },
  );

  app.post<{ Body: { text: string; format: CalendarFormat } }>(
    '/api/it/calendar/import',
    { schema: calendarBody },
    async (request) => {
      await itAdmin(request);
      const table = await run(async () =>
        parseCalendarText(request.body.text, request.body.format),
      );
      return importCalendar(hub.store, table);
    },
  );

  const releases = new ReleaseStore(hub.config.dataDir);
  /** Release refusals (no previous build, empty channel, bad percentage) answer 400. */
  const releaseRun = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ReleaseError) throw new ApiHttpError(400, err.code, err.messageZh);
      throw err;
    }
  };
  const CHANNEL = {
    type: 'object',
    properties: { channel: { type: 'string', enum: [...CHANNELS] } },
  } as const;

  app.get('/api/it/releases', async (request) => {
    await itAdmin(request);
    return { channels: await Promise.all(CHANNELS.map((c) => releaseChannel(releases, c))) };
  });

  app.post<{ Params: { channel: Channel }; Body: { percent: number } }>(
    '/api/it/releases/:channel/rollout',
    {
      schema: {
        params: CHANNEL,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['percent'],
          properties: { percent: { type: 'integer', minimum: 0, maximum: 100 } },
        },
      },
    },
    async (request) => {
      await itAdmin(request);
      await releaseRun(() => releases.setRollout(request.params.channel, request.body.percent));
      return releaseChannel(releases, request.params.channel);
    },
  );

  app.post<{ Params: { channel: Channel } }>(
    '/api/it/releases/:channel/rollback',
    { schema: { params: CHANNEL } },
    async (request) => {
      await itAdmin(request);
      await releaseRun(() => releases.rollback(request.params.channel));
      return releaseChannel(releases, request.params.channel);
    },
  );

  app.get('/api/it/health', async (request) => {
    await itAdmin(request);
    return hubHealth(hub.store, {
      backlog: await hub.processor.backlog().catch(() => null),
      warmUp: {
        ready: hub.index.ready,
        casesRead: hub.index.size,
        startedAt: hub.index.startedAt,
        readyAt: hub.index.readyAt,
      },
      runtime: hub.pauses.report(),
    });
  });

  // Dead letters: retried on the workflow's lease holder (this process, or the holder picks
  // the request up within seconds: workflow/deadLetterRetry.ts).
  app.post<{ Params: { id: string } }>(
    '/api/it/dead-letters/:id/retry',
    {
      schema: {
        params: {
          type: 'object',
          properties: { id: { type: 'string', minLength: 1, maxLength: 300 } },
        },
      },
    },
    async (request) => {
      await itAdmin(request);
      return { results: await run(() => hub.processor.retryDeadLetters([request.params.id])) };
    },
  );

  app.post('/api/it/dead-letters/retry-all', async (request) => {
    await itAdmin(request);
    return { results: await run(() => hub.processor.retryDeadLetters('all')) };
  });
}
