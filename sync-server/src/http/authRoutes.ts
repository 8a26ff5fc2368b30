/** POST /api/devices/enroll, /api/auth/login|refresh|logout|password, GET /api/me */
import type { FastifyInstance } from 'fastify';
import type {
  ChangePasswordRequest,
  ChangePasswordResponse,
  EnrollRequest,
  EnrollResponse,
  LoginRequest,
  RefreshRequest,
} from '@sibantong/shared';
import { redeemEnrolmentCode } from '../auth/devices.js';
import { AttemptLimiter, MAX_ENROL_FAILURES_PER_ADDRESS } from '../auth/throttle.js';
import { hubNow } from '../clock.js';
import type { Hub } from '../hub.js';
import { ApiHttpError } from './apiError.js';
import { requireAuth } from './authGuard.js';
import { hubNowIso } from '../clock.js';

const str = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;

const ENROL_MESSAGES = {
  ENROL_CODE_INVALID: '登记码无效，请核对后重新输入',
  ENROL_CODE_USED: '登记码已被使用，请向信息管理员申请新的登记码',
  ENROL_CODE_EXPIRED: '登记码已过期，请向信息管理员申请新的登记码',
} as const;

export function registerAuthRoutes(app: FastifyInstance, hub: Hub): void {
  // Wrong enrolment codes per client address (proxy-aware: HUB_TRUSTED_PROXIES), counted
  // before the code is looked up so concurrent guesses cannot slip past the limit.
  const enrolFailures = new AttemptLimiter(MAX_ENROL_FAILURES_PER_ADDRESS);

  app.post<{ Body: EnrollRequest }>(
    '/api/devices/enroll',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['code', 'deviceName'],
          properties: { code: str(40), deviceName: str(100) },
        },
      },
    },
    async (request): Promise<EnrollResponse> => {
      const slot = enrolFailures.reserve(request.ip, hubNow().getTime());
      if (!slot) {
        throw new ApiHttpError(429, 'ENROL_THROTTLED', '登记码错误次数过多，请 10 分钟后再试');
      }
      let out;
      try {
        out = await redeemEnrolmentCode(hub.store, request.body.code, request.body.deviceName);
      } catch (err) {
        slot.release();
        throw err;
      }
      if (!out.ok) {
        slot.keep();
        throw new ApiHttpError(400, out.code, ENROL_MESSAGES[out.code]);
      }
      slot.release();
      return {
        deviceId: out.deviceId,
        deviceSecret: out.deviceSecret,
        orgUnitId: out.orgUnitId,
        hubName: hub.config.hubName,
      };
    },
  );

  app.post<{ Body: LoginRequest }>(
    '/api/auth/login',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password', 'deviceId', 'deviceSecret'],
          properties: {
            username: str(40),
            password: str(200),
            deviceId: str(80),
            deviceSecret: str(200),
          },
        },
      },
    },
    async (request) => hub.auth.login(request.body, request.ip),
  );

  app.post<{ Body: RefreshRequest }>(
    '/api/auth/refresh',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['refreshToken', 'deviceId', 'deviceSecret'],
          properties: { refreshToken: str(300), deviceId: str(80), deviceSecret: str(200) },
        },
      },
    },
    async (request) => hub.auth.refresh(request.body, request.ip),
  );

  app.post<{ Body: ChangePasswordRequest }>(
    '/api/auth/password',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['oldPassword', 'newPassword'],
          properties: { oldPassword: str(200), newPassword: str(200) },
        },
      },
    },
    async (request): Promise<ChangePasswordResponse> => {
      const ctx = await requireAuth(hub.auth, request);
      return hub.auth.changePassword(ctx, request.body.oldPassword, request.body.newPassword);
    },
  );

  app.post('/api/auth/logout', async (request, reply) => {
    const ctx = await requireAuth(hub.auth, request);
    await hub.auth.logout(ctx);
    return reply.status(204).send();
  });

  app.get('/api/me', async (request) => {
    const ctx = await requireAuth(hub.auth, request);
    return {
      user: ctx.user,
      deviceId: ctx.deviceId,
      deviceUnitId: ctx.deviceUnitId,
      hubTime: hubNowIso(),
    };
  });
}
