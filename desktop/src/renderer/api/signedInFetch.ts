import type { DeviceConfig } from '../auth/deviceConfig';
import { getAccessToken, invalidateAccessToken } from '../auth/sessionStore';
import { HubError, hubFetch, type HubRequest } from './hubClient';

/**
 * One hub call for an action of the signed-in user (online only): an expired access token is
 * renewed once; any other refusal (403, 400 …) is the hub's answer about this action and is
 * shown with its message. Not the sync engine's authedFetch, where a 403 means "this device is
 * refused" and stops sync.
 */
export async function signedInFetch<T>(
  cfg: DeviceConfig,
  path: string,
  req: HubRequest = {},
  offlineMessage = '无法连接中心服务器（可能处于离线状态）',
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const token = await getAccessToken(cfg);
    if (!token) throw new HubError('unreachable', offlineMessage, 0);
    try {
      return await hubFetch<T>(cfg.hubUrl, path, { ...req, token });
    } catch (e) {
      if (e instanceof HubError && e.status === 401 && attempt === 0) {
        invalidateAccessToken();
        continue;
      }
      throw e;
    }
  }
}
