import type { ReplicationPushHandler, WithDeleted } from 'rxdb';
import type { CaseDoc, PushRequest, PushResponse } from '@sibantong/shared';
import type { DeviceConfig } from '../auth/deviceConfig';
import type { AppDatabase } from '../db/database';
import { assumedMasterOf } from './assumedMaster';
import { authedFetch } from './hubSession';
import { markEventsRefused } from './refusedEvents';

/**
 * Push to POST /api/sync/cases/push. The hub answers row by row:
 * - accepted: nothing to do now (the hub's stamped version comes back on the next pull);
 * - conflict: hand the hub's merged master to RxDB's conflict handler (union merge);
 * - refused: keep the refused events visibly in `refusals` with the hub's reason and the full
 *   case as this device had it, then hand the master (or a removal when the hub has no such
 *   case) to RxDB, so the queue never blocks on one bad write.
 */
function hasNews(doc: CaseDoc): boolean {
  return doc.events.some((e) => typeof e.hubTime !== 'string' || e.hubTime === '');
}

export function makePushHandler(
  cfg: DeviceConfig,
  db: AppDatabase,
): ReplicationPushHandler<CaseDoc> {
  return async (allRows) => {
    // Only events the hub has not stamped are news. A row without any (a case pulled by the
    // first catch-up and offered again, a case already merged with the hub's copy) would be
    // answered "accepted, unchanged": skip the round trip.
    const rows = allRows.filter((r) => hasNews(r.newDocumentState as CaseDoc));
    if (rows.length === 0) return [];
    const body: PushRequest = {
      rows: rows.map((r) => ({
        assumedMasterState: assumedMasterOf(
          r.assumedMasterState as CaseDoc | undefined,
          r.newDocumentState as CaseDoc,
        ),
        newDocumentState: r.newDocumentState as CaseDoc,
      })),
    };
    const res = await authedFetch<PushResponse>(cfg, '/api/sync/cases/push', {
      method: 'POST',
      body,
    });
    const conflicts: WithDeleted<CaseDoc>[] = [];
    for (const [i, result] of res.results.entries()) {
      const pushed = rows[i]?.newDocumentState as CaseDoc | undefined;
      if (result.status === 'conflict') conflicts.push(result.master as WithDeleted<CaseDoc>);
      if (result.status !== 'refused' || !pushed) continue;
      markEventsRefused(result.refusedEventIds);
      const refusedEvents = pushed.events.filter((e) => result.refusedEventIds.includes(e.id));
      await db.refusals.upsert({
        id: `${pushed.id}|${result.refusedEventIds[0] ?? Date.now()}`,
        caseId: pushed.id,
        provisionalNo: pushed.provisionalNo,
        code: result.code,
        message: result.message,
        refusedEventIds: result.refusedEventIds,
        refusedEventTypes: refusedEvents.map((e) => e.type),
        caseSnapshot: pushed,
        createdAt: new Date().toISOString(),
        state: 'open',
        resolvedAt: null,
      });
      conflicts.push(
        (result.master as WithDeleted<CaseDoc> | null) ??
          ({ ...pushed, _deleted: true } as WithDeleted<CaseDoc>),
      );
    }
    return conflicts;
  };
}
