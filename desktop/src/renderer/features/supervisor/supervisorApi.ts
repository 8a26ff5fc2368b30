/** The supervisor's online-only hub calls (routes in docs/sync-protocol.md). */
import type { RefusalsResponse, TicketStepRequest, TicketStepResponse } from '@sibantong/shared';
import { signedInFetch } from '../../api/signedInFetch';
import type { DeviceConfig } from '../../auth/deviceConfig';

/** The supervisor's calls are ordinary signed-in calls (cockpit and ledgers use it too). */
export const supervisorFetch = signedInFetch;

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
