/**
 * POST /api/devices/report — a signed-in PC reports its app version and its pending uploads
 * (shared it/deviceReport.ts) for the IT console's device list. Authenticated like a sync
 * request; the device is the one the token and proof name, never one given in the body. A
 * body outside the schema is refused with DEVICE_REPORT_INVALID and changes nothing; the
 * report is apart from sync, so a refused one never stops a PC's pushes or pulls.
 */
import type { FastifyInstance } from 'fastify';
import {
  DEVICE_REPORT_PATH,
  deviceReportSchema,
  type DeviceReport,
} from '@sibantong/shared/it/deviceReport';
import { recordDeviceReport } from '../auth/deviceReport.js';
import type { Hub } from '../hub.js';
import { badRequest } from './apiError.js';
import { requireAuth } from './authGuard.js';

export function registerDeviceReportRoute(app: FastifyInstance, hub: Hub): void {
  app.post<{ Body: DeviceReport }>(
    DEVICE_REPORT_PATH,
    { schema: { body: deviceReportSchema }, attachValidation: true },
    async (request) => {
      const ctx = await requireAuth(hub.auth, request);
      if (request.validationError) {
        throw badRequest(
          'DEVICE_REPORT_INVALID',
          `设备状态报告格式不正确（版本号或待上传数量无效）：${request.validationError.message}`,
        );
      }
      const outcome = await recordDeviceReport(hub.store, ctx.deviceId, request.body);
      return { recorded: outcome === 'recorded' };
    },
  );
}
