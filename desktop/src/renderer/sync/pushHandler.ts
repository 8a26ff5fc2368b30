import type { ReplicationPushHandler, RxReplicationWriteToMasterRow, WithDeleted } from 'rxdb';
import type { CaseDoc, PushRequest, PushResponse, PushRowResult } from '@sibantong/shared';
import type { DeviceConfig } from '../auth/deviceConfig';
import { HubError } from '../api/hubClient';
import type { AppDatabase } from '../db/database';
import { assumedMasterOf } from './assumedMaster';
import { authedFetch } from './hubSession';
import { markEventsRefused } from './refusedEvents';

/** The hub's most rows per push request (`PUSH_TOO_MANY_ROWS` beyond). */
export const HUB_MAX_ROWS = 100;
/**
 * Bytes of one push request the device aims at: the hub's body limit is 2 MiB
 * (`BODY_TOO_LARGE`); a request that still comes back too large is split in halves.
 */
export const PUSH_REQUEST_BYTES = 1_500_000;

/**
 * Push to POST /api/sync/cases/push. The hub answers row by row:
 * - accepted: nothing to do now (the hub's stamped version comes back on the next pull);
 * - conflict: hand the hub's master to RxDB's conflict handler, which keeps this device's
 *   events the master still admits and moves the others to `refusals` (conflictHandler.ts);
 * - refused: keep the refused events visibly in `refusals` with the hub's reason and the full
 *   case as this device had it, then hand the master (or a removal when the hub has no such
 *   case) to RxDB, so the queue never blocks on one bad write.
 *
 * RxDB hands over as many rows as the replication's batch; the handler sends them in
 * requests the hub accepts (at most HUB_MAX_ROWS rows, about PUSH_REQUEST_BYTES), and splits
 * a request the hub still finds too large, so one large case never holds up the others.
 */
function hasNews(doc: CaseDoc): boolean {
  return doc.events.some((e) => typeof e.hubTime !== 'string' || e.hubTime === '');
}

export async function recordRefusal(
  db: AppDatabase,
  snapshot: CaseDoc,
  code: string,
  message: string,
  refusedEventIds: readonly string[],
): Promise<void> {
  markEventsRefused(refusedEventIds);
  const refusedEvents = snapshot.events.filter((e) => refusedEventIds.includes(e.id));
  await db.refusals.upsert({
    id: `${snapshot.id}|${refusedEventIds[0] ?? Date.now()}`,
    caseId: snapshot.id,
    provisionalNo: snapshot.provisionalNo,
    code,
    message,
    refusedEventIds: [...refusedEventIds],
    refusedEventTypes: refusedEvents.map((e) => e.type),
    caseSnapshot: snapshot,
    createdAt: new Date().toISOString(),
    state: 'open',
    resolvedAt: null,
  });
}

type Row = PushRequest['rows'][number];

/** Rows in requests of at most HUB_MAX_ROWS rows and about `bytes` bytes (one row at least). */
export function requestsOf(rows: readonly Row[], bytes = PUSH_REQUEST_BYTES): Row[][] {
  const out: Row[][] = [];
  let current: Row[] = [];
  let size = 0;
  for (const row of rows) {
    const rowBytes = JSON.stringify(row).length;
    if (current.length > 0 && (current.length >= HUB_MAX_ROWS || size + rowBytes > bytes)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(row);
    size += rowBytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function tooLarge(e: unknown): boolean {
  return (
    e instanceof HubError &&
    (e.status === 413 || e.code === 'PUSH_TOO_MANY_ROWS' || e.code === 'BODY_TOO_LARGE')
  );
}

/** One request; a request the hub finds too large is sent again in halves. */
async function send(cfg: DeviceConfig, rows: Row[]): Promise<PushRowResult[]> {
  try {
    const res = await authedFetch<PushResponse>(cfg, '/api/sync/cases/push', {
      method: 'POST',
      body: { rows } satisfies PushRequest,
    });
    return res.results;
  } catch (e) {
    if (!tooLarge(e) || rows.length < 2) throw e;
    const half = Math.ceil(rows.length / 2);
    return [...(await send(cfg, rows.slice(0, half))), ...(await send(cfg, rows.slice(half)))];
  }
}

export function makePushHandler(
  cfg: DeviceConfig,
  db: AppDatabase,
): ReplicationPushHandler<CaseDoc> {
  return async (allRows: RxReplicationWriteToMasterRow<CaseDoc>[]) => {
    // Only events the hub has not stamped are news. A row without any (a case pulled by the
    // first catch-up and offered again, a case already merged with the hub's copy) would be
    // answered "accepted, unchanged": skip the round trip.
    const rows = allRows.filter((r) => hasNews(r.newDocumentState));
    if (rows.length === 0) return [];
    const body: Row[] = rows.map((r) => ({
      assumedMasterState: assumedMasterOf(r.assumedMasterState, r.newDocumentState),
      newDocumentState: r.newDocumentState,
    }));
    const conflicts: WithDeleted<CaseDoc>[] = [];
    let at = 0;
    for (const request of requestsOf(body)) {
      const results = await send(cfg, request);
      for (const result of results) {
        const pushed = body[at]?.newDocumentState;
        at += 1;
        if (result.status === 'conflict') conflicts.push(result.master as WithDeleted<CaseDoc>);
        if (result.status !== 'refused' || !pushed) continue;
        await recordRefusal(db, pushed, result.code, result.message, result.refusedEventIds);
        conflicts.push(
          (result.master as WithDeleted<CaseDoc> | null) ??
            ({ ...pushed, _deleted: true } as WithDeleted<CaseDoc>),
        );
      }
    }
    return conflicts;
  };
}
