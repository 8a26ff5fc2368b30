/** The supervisor's online-only hub calls (routes in docs/sync-protocol.md). */
import type { RefusalsResponse, TicketStepRequest, TicketStepResponse } from '@sibantong/shared';
import { HubError, hubFetch, type HubRequest } from '../../api/hubClient';
import type { DeviceConfig } from '../../auth/deviceConfig';
import { getAccessToken, invalidateAccessToken } from '../../auth/sessionStore';

/**
 * Not the sync engine's authedFetch: that one treats any 403 as "device refused" and stops
 * sync, while here a 403 is an ordinary answer about this action (ROLE_NOT_PERMITTED).
 */
export async function supervisorFetch<T>(cfg: DeviceConfig, path: string, req: HubRequest = {}) {
  for (let attempt = 0; ; attempt++) {
    const token = await getAccessToken(cfg);
    if (!token) throw new HubError('unreachable', '无法连接中心服务器（可能处于离线状态）', 0);
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

export function recordTicketStep(
  cfg: DeviceConfig,
  ticketId: string,
  step: TicketStepRequest,
): Promise<TicketStepResponse> {
  return supervisorFetch<TicketStepResponse>(
    cfg,
    `/api/tickets/${encodeURIComponent(ticketId)}/steps`,
    { method: 'POST', body: step },
  );
}

export function fetchRefusals(
  cfg: DeviceConfig,
  before: string | null,
  limit = 50,
): Promise<RefusalsResponse> {
  const q = new URLSearchParams({ limit: String(limit) });
  if (before) q.set('before', before);
  return supervisorFetch<RefusalsResponse>(cfg, `/api/refusals?${q}`);
}
