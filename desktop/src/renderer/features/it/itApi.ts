/** The IT console's online-only hub calls (/api/it/*, it_admin only; docs/it-guide.md). */
import type { OrgUnit } from '@sibantong/shared';
import type {
  ItAddUserRequest,
  ItCalendarPreview,
  ItCalendarStatus,
  ItDeadLetterRetry,
  ItDeviceRow,
  ItEnrolResponse,
  ItHealth,
  ItPasswordResponse,
  ItReleaseChannel,
  ItUserRow,
} from '@sibantong/shared';
import type { HubRequest } from '../../api/hubClient';
import { signedInFetch } from '../../api/signedInFetch';
import type { DeviceConfig } from '../../auth/deviceConfig';

/** IT's calls: an answer about one action (403, 400) is shown to IT with its message. */
function itFetch<T>(cfg: DeviceConfig, path: string, req: HubRequest = {}): Promise<T> {
  return signedInFetch<T>(cfg, `/api/it${path}`, req, '无法连接中心服务器（运维管理需要联网）');
}

export const itApi = {
  units: (cfg: DeviceConfig) => itFetch<{ units: OrgUnit[] }>(cfg, '/units').then((r) => r.units),
  devices: (cfg: DeviceConfig) =>
    itFetch<{ devices: ItDeviceRow[] }>(cfg, '/devices').then((r) => r.devices),
  enrol: (cfg: DeviceConfig, orgUnitId: string) =>
    itFetch<{ codes: ItEnrolResponse[] }>(cfg, '/devices/enrol', {
      method: 'POST',
      body: { orgUnitId },
    }).then((r) => r.codes[0]!),
  revoke: (cfg: DeviceConfig, deviceId: string) =>
    itFetch(cfg, `/devices/${encodeURIComponent(deviceId)}/revoke`, { method: 'POST', body: {} }),
  users: (cfg: DeviceConfig) => itFetch<{ users: ItUserRow[] }>(cfg, '/users').then((r) => r.users),
  addUser: (cfg: DeviceConfig, req: ItAddUserRequest) =>
    itFetch<ItPasswordResponse>(cfg, '/users', { method: 'POST', body: req }),
  userAction: (cfg: DeviceConfig, username: string, action: 'disable' | 'enable' | 'unlock') =>
    itFetch(cfg, `/users/${encodeURIComponent(username)}/${action}`, { method: 'POST', body: {} }),
  resetPassword: (cfg: DeviceConfig, username: string) =>
    itFetch<ItPasswordResponse>(cfg, `/users/${encodeURIComponent(username)}/reset-password`, {
      method: 'POST',
      body: {},
    }),
  health: (cfg: DeviceConfig) => itFetch<ItHealth>(cfg, '/health'),
  retryDeadLetter: (cfg: DeviceConfig, id: string) =>
    itFetch<{ results: ItDeadLetterRetry[] }>(
      cfg,
      `/dead-letters/${encodeURIComponent(id)}/retry`,
      { method: 'POST', body: {} },
    ).then((r) => r.results),
  retryAllDeadLetters: (cfg: DeviceConfig) =>
    itFetch<{ results: ItDeadLetterRetry[] }>(cfg, '/dead-letters/retry-all', {
      method: 'POST',
      body: {},
    }).then((r) => r.results),
  releases: (cfg: DeviceConfig) =>
    itFetch<{ channels: ItReleaseChannel[] }>(cfg, '/releases').then((r) => r.channels),
  rollout: (cfg: DeviceConfig, channel: string, percent: number) =>
    itFetch<ItReleaseChannel>(cfg, `/releases/${channel}/rollout`, {
      method: 'POST',
      body: { percent },
    }),
  rollback: (cfg: DeviceConfig, channel: string) =>
    itFetch<ItReleaseChannel>(cfg, `/releases/${channel}/rollback`, { method: 'POST', body: {} }),
  calendar: (cfg: DeviceConfig) => itFetch<ItCalendarStatus>(cfg, '/calendar'),
  previewCalendar: (cfg: DeviceConfig, text: string, format: 'json' | 'yaml') =>
    itFetch<ItCalendarPreview>(cfg, '/calendar/preview', {
      method: 'POST',
      body: { text, format },
    }),
  importCalendar: (cfg: DeviceConfig, text: string, format: 'json' | 'yaml') =>
    itFetch<{ year: number; result: string; recomputeCases: number }>(cfg, '/calendar/import', {
      method: 'POST',
      body: { text, format },
    }),
};

/** The Chinese message of a failed call (the hub's own, or the transport's). */
export function itErrorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
