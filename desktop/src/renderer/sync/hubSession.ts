import { HubError, hubFetch, type HubRequest } from '../api/hubClient';
import type { DeviceConfig } from '../auth/deviceConfig';
import {
  getAccessToken,
  getSession,
  invalidateAccessToken,
  markRefused,
} from '../auth/sessionStore';
import { markSyncOk, patchSyncStatus } from './syncStatus';

/**
 * Authenticated hub call for the sync engine: gets a token (refreshing after an offline login),
 * retries once after a 401, and turns a 403 into a visible "device refused" state.
 */
export async function authedFetch<T>(
  cfg: DeviceConfig,
  path: string,
  req: HubRequest = {},
): Promise<T> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await getAccessToken(cfg);
    if (!token) {
      const s = getSession();
      if (s?.refusedMessage) {
        patchSyncStatus({ refused: s.refusedMessage, online: true });
        throw new HubError('refused', s.refusedMessage, 403);
      }
      patchSyncStatus({ online: false });
      throw new HubError('unreachable', '无法连接中心服务器', 0);
    }
    try {
      const res = await hubFetch<T>(cfg.hubUrl, path, { ...req, token });
      markSyncOk();
      return res;
    } catch (e) {
      if (e instanceof HubError) {
        if (e.unreachable) patchSyncStatus({ online: false, lastError: e.message });
        else if (e.status === 401 && attempt === 0) {
          invalidateAccessToken();
          continue;
        } else if (e.status === 401 || e.status === 403) {
          markRefused(`中心服务器拒绝了本设备的连接：${e.message}`);
          patchSyncStatus({ refused: `中心服务器拒绝了本设备的连接：${e.message}` });
        } else patchSyncStatus({ lastError: e.message });
      }
      throw e;
    }
  }
  throw new HubError('auth', '身份验证失败，请重新登录', 401);
}
