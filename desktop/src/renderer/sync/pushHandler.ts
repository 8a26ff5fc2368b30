import type { ReplicationPushHandler, RxReplicationWriteToMasterRow, WithDeleted } from 'rxdb';
import {
  deriveCaseFields,
  jsonBytes,
  MAX_NEW_EVENTS_PER_ROW,
  MAX_PUSH_ROW_BYTES,
  PUSH_BODY_LIMIT_BYTES,
  sortEvents,
  type CaseDoc,
  type PushRequest,
  type PushResponse,
  type PushRowResult,
} from '@sibantong/shared';
import type { DeviceConfig } from '../auth/deviceConfig';
import { HubError } from '../api/hubClient';
import type { AppDatabase } from '../db/database';
import { assumedMasterOf } from './assumedMaster';
import { authedFetch } from './hubSession';
import { markEventsRefused } from './refusedEvents';

/** The hub's most rows per push request (`PUSH_TOO_MANY_ROWS` beyond). */
export const HUB_MAX_ROWS = 100;
/** Bytes of one push request: the hub's body limit less room for the envelope. */
export const PUSH_REQUEST_BYTES = PUSH_BODY_LIMIT_BYTES - 1024;
/** Row answers meaning "too much in one row, not looked at": split and send again. */
const SPLIT_CODES = new Set(['ROW_TOO_LARGE', 'PUSH_EVENTS_LIMIT']);

/**
 * Push to POST /api/sync/cases/push. The hub answers row by row:
 * - accepted: the hub's document (stamped, merged) goes to RxDB as the hub's copy;
 * - conflict: hand the hub's master to RxDB's conflict handler, which keeps this device's
 *   events the master still admits and moves the others to `refusals` (conflictHandler.ts);
 * - refused: keep the refused events visibly in `refusals` with the hub's reason and the full
 *   case as this device had it, then hand the master (or a removal when the hub has no such
 *   case) to RxDB, so the queue never blocks on one bad write.
 *
 * RxDB hands over as many rows as the replication's batch; the handler sends them in
 * requests the hub accepts (at most HUB_MAX_ROWS rows and PUSH_BODY_LIMIT_BYTES), and splits
 * a request the hub still finds too large, so one large case never holds up the others. A
 * row with more new events than one row may carry (MAX_NEW_EVENTS_PER_ROW, MAX_PUSH_ROW_BYTES:
 * a PC that worked offline for long) goes up in slices, oldest events first, each on the hub's
 * answer to the previous one (shared/src/case/caseLimits.ts).
 */
/** The case carries events the hub has not stamped (this device's unsent work). */
export function hasNews(doc: CaseDoc): boolean {
  return (
    Array.isArray(doc.events) &&
    doc.events.some((e) => typeof e.hubTime !== 'string' || e.hubTime === '')
  );
}

/**
 * RxDB's record of the hub's copy, if it is a case: a removal (`{ id, _deleted, updatedAt }`,
 * the case once left this device's scope) says nothing the hub could check a push against.
 */
function recordedCase(assumed: WithDeleted<CaseDoc> | undefined): CaseDoc | undefined {
  return assumed && !assumed._deleted && Array.isArray(assumed.events) ? assumed : undefined;
}

export async function recordRefusal(
  db: AppDatabase,
  snapshot: CaseDoc,
  code: string,
  message: string,
  refusedEventIds: readonly string[],
): Promise<void> {
  markEventsRefused(refusedEventIds);
  const id = `${snapshot.id}|${refusedEventIds[0] ?? Date.now()}`;
  // The same first event refused again (a re-push, or alone after it was refused with the
  // events made on top of it): one record, and no event it already listed leaves it — an
  // event taken out of the case is only ever kept here.
  const earlier = (await db.refusals.findOne(id).exec())?.toMutableJSON();
  const ids = [...new Set([...(earlier?.refusedEventIds ?? []), ...refusedEventIds])];
  const events = [...snapshot.events];
  for (const e of earlier?.caseSnapshot.events ?? [])
    if (!events.some((x) => x.id === e.id)) events.push(e);
  const caseSnapshot = earlier ? { ...snapshot, events } : snapshot;
  await db.refusals.upsert({
    id,
    caseId: snapshot.id,
    provisionalNo: snapshot.provisionalNo,
    code,
    message,
    refusedEventIds: ids,
    refusedEventTypes: ids.map((r) => events.find((e) => e.id === r)?.type ?? 'log'),
    caseSnapshot,
    createdAt: earlier?.createdAt ?? new Date().toISOString(),
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
    const rowBytes = jsonBytes(row) + 1;
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

/** The row's events the hub does not hold yet, oldest first. */
function newEventsOf(row: Row): CaseDoc['events'] {
  const held = new Set((row.assumedMasterState?.events ?? []).map((e) => e.id));
  return sortEvents(row.newDocumentState.events.filter((e) => !held.has(e.id)));
}

/** The row with only the first `n` of its new events. */
function sliceOf(row: Row, n: number): Row {
  const held = row.assumedMasterState?.events ?? [];
  const events = [...held, ...newEventsOf(row).slice(0, n)] as CaseDoc['events'];
  return {
    assumedMasterState: row.assumedMasterState,
    newDocumentState: { ...row.newDocumentState, events, ...deriveCaseFields(events) },
  };
}

/** How many new events the first slice of a row can carry (0: the row fits as it is). */
function firstSlice(row: Row): number {
  const fresh = newEventsOf(row).length;
  if (fresh <= MAX_NEW_EVENTS_PER_ROW && jsonBytes(row.newDocumentState) <= MAX_PUSH_ROW_BYTES)
    return 0;
  let n = Math.min(fresh, MAX_NEW_EVENTS_PER_ROW);
  while (n > 1 && jsonBytes(sliceOf(row, n).newDocumentState) > MAX_PUSH_ROW_BYTES)
    n = Math.ceil(n / 2);
  return n;
}

/**
 * Sends a row in slices, each after the hub's answer to the previous one (its document is the
 * next slice's assumed master). Returns the answer that ends it: the last slice's, or the
 * first that is not `accepted`.
 */
async function sendInSlices(cfg: DeviceConfig, row: Row, size: number): Promise<PushRowResult> {
  let current = row;
  let n = size;
  for (;;) {
    const remaining = newEventsOf(current).length;
    const slice = remaining <= n ? current : sliceOf(current, n);
    const [result] = await send(cfg, [slice]);
    if (!result) throw new Error('hub answered no result for a pushed row');
    if (result.status === 'refused' && SPLIT_CODES.has(result.code) && n > 1) {
      n = Math.ceil(n / 2);
      continue;
    }
    if (result.status !== 'accepted' || slice === current) return result;
    current = { assumedMasterState: result.document, newDocumentState: row.newDocumentState };
  }
}

export function makePushHandler(
  cfg: DeviceConfig,
  db: AppDatabase,
): ReplicationPushHandler<CaseDoc> {
  return async (allRows: RxReplicationWriteToMasterRow<CaseDoc>[]) => {
    // Only events the hub has not stamped are news. A row without any and with RxDB's record
    // of the hub's copy (a case already merged with it) would be answered "accepted,
    // unchanged": skip the round trip. Without that record it is a refresh: the hub's answer
    // (its current copy) becomes the record, or RxDB would skip every later hub version of the
    // case (unrecordedCases.ts).
    // Removals are the hub's (a case that left this device's scope): a device never deletes a
    // case, so a removal RxDB hands over has nothing to send. Reading its events threw here,
    // at every retry, and the device's push never ended (found by the convergence test).
    const rows = allRows.filter(
      (r) => !r.newDocumentState._deleted && (hasNews(r.newDocumentState) || !r.assumedMasterState),
    );
    if (rows.length === 0) return [];
    const body: Row[] = rows.map((r) => ({
      assumedMasterState: assumedMasterOf(recordedCase(r.assumedMasterState), r.newDocumentState),
      newDocumentState: r.newDocumentState,
    }));
    const results: (PushRowResult | undefined)[] = body.map(() => undefined);
    const whole = body.flatMap((row, i) => (firstSlice(row) === 0 ? [i] : []));
    let at = 0;
    for (const request of requestsOf(whole.map((i) => body[i]!))) {
      const answers = await send(cfg, request);
      for (const answer of answers) results[whole[at++]!] = answer;
    }
    for (const [i, row] of body.entries()) {
      const answer = results[i];
      const tooMuch = answer?.status === 'refused' && SPLIT_CODES.has(answer.code);
      if (answer && !tooMuch) continue;
      const size = firstSlice(row) || Math.max(1, Math.ceil(newEventsOf(row).length / 2));
      results[i] = await sendInSlices(cfg, row, size);
    }

    const conflicts: WithDeleted<CaseDoc>[] = [];
    for (const [i, result] of results.entries()) {
      const pushed = body[i]!.newDocumentState;
      if (!result) continue;
      if (result.status === 'accepted') {
        // The hub's copy (events stamped, maybe merged onto someone's newer version) becomes
        // this device's copy and RxDB's record of the hub's. Left to the next pull, it could
        // be lost: RxDB skips pulled versions of a case with an unpushed local edit, and the
        // pull that skipped it may be the last to carry it (the chaos test found desktops
        // without the official number and with unstamped events for good).
        if (result.document) conflicts.push(result.document as WithDeleted<CaseDoc>);
        continue;
      }
      if (result.status === 'conflict') {
        conflicts.push(result.master as WithDeleted<CaseDoc>);
        continue;
      }
      if (!hasNews(pushed)) {
        // A refresh refused: nothing of this device's work is at stake. Out of scope, the case
        // leaves the device; any other answer without the hub's copy leaves it as it is (the
        // hub may have lost it: never delete the only copy).
        if (result.master) conflicts.push(result.master as WithDeleted<CaseDoc>);
        else if (result.code === 'OUT_OF_SCOPE')
          conflicts.push({ ...pushed, _deleted: true } as WithDeleted<CaseDoc>);
        continue;
      }
      await recordRefusal(db, pushed, result.code, result.message, result.refusedEventIds);
      // The hub's copy (which may hold the accepted part of the row), or a removal when the
      // hub has none; the refused events stay visible in `refusals`.
      conflicts.push(
        (result.master as WithDeleted<CaseDoc> | null) ??
          ({ ...pushed, _deleted: true } as WithDeleted<CaseDoc>),
      );
    }
    return conflicts;
  };
}
