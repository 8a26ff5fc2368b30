/**
 * POST /api/sync/cases/push — one answer per row, in order. A refused row never blocks the
 * rows after it. Each row: shape → scope of the stored case → hub-only checks → the shared
 * state machine (→ scope of a new case) → hub time stamped on the new events → shared merge.
 *
 * In bulk: the rows are validated in order, a chunk at a time; the chunk's masters are read
 * with one `_all_docs` and its accepted rows written with one `_bulk_docs`, each with its
 * master's revision. A row whose write hits a 409 (someone wrote meanwhile, or our own write
 * landed before a crash cut the answer) is re-read and redone — only the rows of that case.
 * Two rows for the same case in one request: the second is checked and merged onto the
 * first's result, and the case is written once.
 *
 * Idempotent: re-pushing events the hub already holds (a client retrying after a crash)
 * adds nothing and is answered `accepted` with the hub's document.
 */
import { rememberWrites } from './writtenCases.js';
import { DomainError, jsonBytes, MAX_CASE_BYTES, MAX_PUSH_ROW_BYTES } from '@sibantong/shared';
import type { CaseDoc, CaseEvent, CountyKey, PushRow, PushRowResult } from '@sibantong/shared';
import { loadCountyKey } from '../atRest/countyKey.js';
import type { AuthContext } from '../auth/session.js';
import { hubNowIso } from '../clock.js';
import {
  checkCaseSchema,
  deriveCaseFields,
  mergeCaseDocs,
  validateNewEvents,
} from '../domain/caseRules.js';
import type { RefSnapshot } from '../domain/refData.js';
import { addWorkingDays, canSee } from '../domain/sharedCompat.js';
import { isStoreDown, withStoreRetry, type Store } from '../store/store.js';
import {
  checkAgainstAssumed,
  checkHubFields,
  checkIdentityUnchanged,
  checkKnownEvents,
  checkNewCaseHeader,
  checkNewEventAuthorship,
  newEventsOf,
  type HubRefusal,
} from './caseChecks.js';
import { recordRefusals } from '../refusals/refusalLog.js';
import { HUB_PUSH_CODES } from './pushCodes.js';
import { toClientDoc } from './pullHandler.js';

type StoredCase = CaseDoc & { _id: string; _rev?: string };

const MAX_WRITE_ATTEMPTS = 6;
/** Rows validated and written together (one `_all_docs` read, one `_bulk_docs` write). */
const WRITE_CHUNK = Math.max(1, Number(process.env.HUB_PUSH_WRITE_CHUNK ?? 20));

function refusedRow(
  id: string,
  r: HubRefusal | { code: string; message: string; refusedEventIds: string[] },
  master: CaseDoc | null,
): PushRowResult {
  return {
    id,
    status: 'refused',
    code: r.code,
    message: r.message,
    master,
    refusedEventIds: r.refusedEventIds,
  };
}

/** The stored cases of `ids` (null when the hub has none), with one `_all_docs` read. */
async function loadMasters(store: Store, ids: string[]): Promise<Map<string, StoredCase | null>> {
  const out = new Map<string, StoredCase | null>();
  if (ids.length === 0) return out;
  const body = await withStoreRetry(() =>
    store.db<StoredCase>('cases').fetch({ keys: ids }, { include_docs: true }),
  );
  for (const row of body.rows) {
    const doc = 'doc' in row ? (row.doc as StoredCase | null | undefined) : null;
    out.set(row.key, doc && !(doc as { _deleted?: boolean })._deleted ? doc : null);
  }
  for (const id of ids) if (!out.has(id)) out.set(id, null);
  return out;
}

function clientForm(doc: StoredCase | CaseDoc | null): CaseDoc | null {
  return doc ? toClientDoc<CaseDoc>(doc as unknown as Record<string, unknown>) : null;
}

const rowId = (row: PushRow): string => {
  const raw = row.newDocumentState as unknown as Record<string, unknown> | null;
  return typeof raw?.id === 'string' ? raw.id : '';
};

/** What the scope index knows of the cases feed: whether a case was ever written. */
export interface KnownCases {
  /** False only when the case has certainly never been in the feed the index has read. */
  mayExist(id: string): boolean;
}

export async function pushRows(
  store: Store,
  ref: RefSnapshot,
  ctx: AuthContext,
  rows: PushRow[],
  known: KnownCases | null = null,
): Promise<PushRowResult[]> {
  const results: Array<PushRowResult | undefined> = new Array(rows.length);
  const pending: number[] = [];
  rows.forEach((row, i) => {
    const early = precheck(row);
    if (early) results[i] = early;
    else pending.push(i);
  });
  // Read once per process (atRest/countyKey.ts); checks the ID digest of new cases.
  const key = pending.length > 0 ? await loadCountyKey(store) : null;
  for (let k = 0; k < pending.length; k += WRITE_CHUNK) {
    await pushChunk(store, ref, ctx, rows, pending.slice(k, k + WRITE_CHUNK), results, known, key);
  }
  const final = results.map((r, i) => r ?? unprocessable(rowId(rows[i]!)));
  // The supervisor sees every refused write (GET /api/refusals), not only the device.
  await recordRefusals(
    store,
    ctx,
    final.flatMap((result, i) => (result.status === 'refused' ? [{ row: rows[i]!, result }] : [])),
  );
  return final;
}

function unprocessable(id: string): PushRowResult {
  return refusedRow(
    id,
    { code: 'ROW_UNPROCESSABLE', message: HUB_PUSH_CODES.ROW_UNPROCESSABLE, refusedEventIds: [] },
    null,
  );
}

/**
 * Validates the rows `idxs` (in order) against masters read in one request, writes the
 * accepted ones in one request, and redoes the rows of cases whose write conflicted.
 */
async function pushChunk(
  store: Store,
  ref: RefSnapshot,
  ctx: AuthContext,
  rows: PushRow[],
  idxs: number[],
  results: Array<PushRowResult | undefined>,
  known: KnownCases | null,
  countyKey: CountyKey | null,
): Promise<void> {
  let todo = idxs;
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS && todo.length > 0; attempt += 1) {
    // A case its device offers as new (no assumed master) and the index has never seen is
    // taken as new without reading it: in a reconnection storm that is nearly every row, and
    // the store answers a key lookup with an iterator each. The guess is checked twice: a
    // write of a "new" case that exists is refused by the store (409, no revision given) and
    // redone below with the stored case; and a row that is not accepted on the guess is
    // re-checked against the store before it is answered.
    const guessed = new Set<string>();
    if (attempt === 0 && known) {
      const offered = new Map<string, boolean>();
      for (const i of todo) {
        const id = rows[i]!.newDocumentState.id;
        offered.set(id, (offered.get(id) ?? true) && rows[i]!.assumedMasterState === null);
      }
      for (const [id, asNew] of offered) if (asNew && !known.mayExist(id)) guessed.add(id);
    }
    const masters = await loadMasters(
      store,
      [...new Set(todo.map((i) => rows[i]!.newDocumentState.id))].filter((id) => !guessed.has(id)),
    );
    for (const id of guessed) masters.set(id, null);
    // The master each row is checked against: the stored case, or the result of an earlier
    // row of the same case in this request.
    const working = new Map(masters);
    const writes = new Map<string, StoredCase>();
    for (const i of todo) {
      const id = rows[i]!.newDocumentState.id;
      const outcome = await evaluateRowSafe(ref, ctx, rows[i]!, working.get(id) ?? null, countyKey);
      results[i] = outcome.result;
      if (outcome.write) {
        working.set(id, outcome.write);
        writes.set(id, outcome.write);
      }
    }
    const recheck = new Set<string>();
    for (const i of todo) {
      const id = rows[i]!.newDocumentState.id;
      if (guessed.has(id) && results[i]?.status !== 'accepted') recheck.add(id);
    }
    for (const id of recheck) writes.delete(id);
    if (writes.size === 0 && recheck.size === 0) return;
    const docs = [...writes.values()];
    const answers =
      docs.length === 0
        ? []
        : await withStoreRetry(() => store.db<StoredCase>('cases').bulk({ docs }));
    rememberWrites(docs as unknown as Array<Record<string, unknown>>, answers);
    const conflicted = new Set<string>(recheck);
    const failed = new Set<string>();
    for (const a of answers) {
      if (!a.error) continue;
      if (a.error === 'conflict') conflicted.add(a.id);
      else failed.add(a.id);
    }
    for (const i of todo) {
      const id = rows[i]!.newDocumentState.id;
      // Also a partly accepted row (answered `refused` with the stored part as master).
      if (failed.has(id) && writes.has(id)) {
        console.error('push row write failed', id);
        results[i] = unprocessable(id);
      }
    }
    todo = todo.filter((i) => conflicted.has(rows[i]!.newDocumentState.id));
  }
  if (todo.length === 0) return;
  const masters = await loadMasters(store, [
    ...new Set(todo.map((i) => rows[i]!.newDocumentState.id)),
  ]);
  for (const i of todo) {
    const id = rows[i]!.newDocumentState.id;
    results[i] = {
      id,
      status: 'conflict',
      code: 'WRITE_CONTENTION',
      message: '办件正被频繁更新，请稍后重试',
      master: clientForm(masters.get(id) ?? null) as CaseDoc,
    };
  }
}

/** Shape checks that need no master: the row is refused before anything is read. */
function precheck(row: PushRow): PushRowResult | null {
  const raw = row.newDocumentState as unknown as Record<string, unknown>;
  const id = rowId(row);
  if (raw && raw._deleted === true) {
    return refusedRow(
      id,
      { code: 'DELETE_FORBIDDEN', message: HUB_PUSH_CODES.DELETE_FORBIDDEN, refusedEventIds: [] },
      null,
    );
  }
  // Refused alone and before any parsing of its events: one oversized row never fails its
  // batch (the client splits its pushes by the shared limits, caseLimits.ts).
  const bytes = jsonBytes(raw);
  if (bytes > MAX_PUSH_ROW_BYTES) {
    return refusedRow(
      id,
      {
        code: 'ROW_TOO_LARGE',
        message: `${HUB_PUSH_CODES.ROW_TOO_LARGE}（${Math.ceil(bytes / 1024)} KiB，上限 ${MAX_PUSH_ROW_BYTES / 1024} KiB）`,
        refusedEventIds: [],
      },
      null,
    );
  }
  const shape = checkCaseSchema(raw);
  if (!shape.ok) {
    return refusedRow(
      id,
      {
        code: 'CASE_SCHEMA_INVALID',
        message: `${HUB_PUSH_CODES.CASE_SCHEMA_INVALID}：${shape.message}`,
        refusedEventIds: [],
      },
      null,
    );
  }
  const assumed = row.assumedMasterState;
  if (assumed !== null && !checkCaseSchema(assumed).ok) {
    return refusedRow(
      id,
      {
        code: 'ASSUMED_MASTER_MISMATCH',
        message: HUB_PUSH_CODES.ASSUMED_MASTER_MISMATCH,
        refusedEventIds: [],
      },
      null,
    );
  }
  return null;
}

interface RowOutcome {
  result: PushRowResult;
  /** The document to store (with the master's revision) when the row is accepted with news. */
  write?: StoredCase;
}

/**
 * A row's failure is that row's answer: a DomainError from the shared rules keeps its code;
 * anything else unexpected (input that passed the schema but broke a rule's assumptions) is
 * refused as ROW_UNPROCESSABLE. Only a store outage fails the request (503, client retries).
 */
async function evaluateRowSafe(
  ref: RefSnapshot,
  ctx: AuthContext,
  row: PushRow,
  master: StoredCase | null,
  countyKey: CountyKey | null,
): Promise<RowOutcome> {
  const id = rowId(row);
  try {
    return await evaluateRow(ref, ctx, row, master, countyKey);
  } catch (err) {
    if (isStoreDown(err)) throw err;
    if (err instanceof DomainError) {
      return {
        result: refusedRow(
          id,
          { code: err.code, message: err.messageZh, refusedEventIds: [] },
          null,
        ),
      };
    }
    console.error('push row failed', err);
    return { result: unprocessable(id) };
  }
}

async function evaluateRow(
  ref: RefSnapshot,
  ctx: AuthContext,
  row: PushRow,
  master: StoredCase | null,
  countyKey: CountyKey | null,
): Promise<RowOutcome> {
  const id = rowId(row);
  const doc = row.newDocumentState;
  const assumed = row.assumedMasterState;
  const masterClient = clientForm(master);
  const added = newEventsOf(doc, master);
  // Scope of a stored case comes first: a caller outside it learns nothing about the case,
  // not even which rule its push broke.
  if (master && !canSee(ctx.user, master, ref.org)) {
    return {
      result: refusedRow(
        doc.id,
        {
          code: 'OUT_OF_SCOPE',
          message: HUB_PUSH_CODES.OUT_OF_SCOPE,
          refusedEventIds: added.map((e) => e.id),
        },
        null,
      ),
    };
  }
  const shortened = checkAgainstAssumed(doc, assumed);
  if (shortened) return { result: refusedRow(id, shortened, masterClient) };
  const hubRefusal =
    checkKnownEvents(doc, master) ??
    checkNewEventAuthorship(added, ctx) ??
    checkHubFields(doc, master, assumed, added) ??
    (master
      ? checkIdentityUnchanged(doc, assumed ?? master, added, master)
      : await checkNewCaseHeader(doc, ref, chinaDateOf(hubNowIso()), countyKey));
  if (hubRefusal) return { result: refusedRow(doc.id, hubRefusal, masterClient) };

  if (added.length === 0) {
    // Everything already on the hub: a retry, or a push of an unchanged document.
    if (master) return { result: { id: doc.id, status: 'accepted', document: masterClient! } };
  }

  const machineCtx = {
    caseId: doc.id,
    org: ref.org,
    pushedBy: ctx.user,
    deviceId: ctx.deviceId,
    matterLimits: (code: string) => {
      const m = ref.matters.get(code);
      return m && typeof m.promisedDays === 'number' && typeof m.legalDays === 'number'
        ? { promisedDays: m.promisedDays, legalDays: m.legalDays }
        : undefined;
    },
    addWorkingDays: (iso: string, n: number) => addWorkingDays(iso, n, ref.calendar),
    // Where the case is now: a move rewrote its origin outside the history (退回, delivery).
    caseOriginUnitId: master?.originUnitId ?? doc.originUnitId,
    caseFormerUnitIds: master?.formerUnitIds ?? [],
  };
  const verdict = validateNewEvents(master?.events ?? [], added, machineCtx);
  if (!verdict.ok) {
    // Legal on the state the client saw, illegal on the hub's: someone acted meanwhile.
    // That is a conflict the client resolves (merge, then redo its step), not a refusal.
    if (master && assumed && sameEventIds(assumed.events, master.events) === false) {
      const onAssumed = validateNewEvents(assumed.events, newEventsOf(doc, assumed), machineCtx);
      if (onAssumed.ok) {
        return {
          result: {
            id: doc.id,
            status: 'conflict',
            code: verdict.code,
            message: `${verdict.messageZh}（办件已被他人更新，请合并后重新办理）`,
            master: masterClient!,
          },
        };
      }
    }
    // Only the bad events are refused: the part of the push that is legal without them (a
    // new case's receive, events before the refused one, supplements) is stored, so the case
    // never vanishes from the hub and the device for one refused event.
    const refusal = {
      code: verdict.code,
      message: verdict.messageZh,
      refusedEventIds: verdict.refusedEventIds,
    };
    const kept = verdict.accepted.added;
    if (kept.length > 0) {
      const partial = buildStored(ctx, ref, doc, master, kept);
      if ('write' in partial) {
        return { result: refusedRow(doc.id, refusal, partial.doc), write: partial.write };
      }
      // Nothing of it can be stored after all: every new event is answered as refused.
      const all = [...refusal.refusedEventIds, ...kept.map((e) => e.id)];
      return { result: refusedRow(doc.id, { ...refusal, refusedEventIds: all }, masterClient) };
    }
    return { result: refusedRow(doc.id, refusal, masterClient) };
  }

  const built = buildStored(ctx, ref, doc, master, verdict.value.added);
  if (!('write' in built)) return { result: built.refused };
  return { result: { id: doc.id, status: 'accepted', document: built.doc }, write: built.write };
}

type Built = { doc: CaseDoc; write: StoredCase } | { refused: PushRowResult };

/**
 * The document to store: the master (or the new case's header) plus the accepted new events,
 * stamped with hub time — unless the new case falls outside the caller's scope or the case
 * would grow past the stored-size cap.
 */
function buildStored(
  ctx: AuthContext,
  ref: RefSnapshot,
  doc: CaseDoc,
  master: StoredCase | null,
  accepted: CaseEvent[],
): Built {
  const masterClient = clientForm(master);
  const ids = accepted.map((e) => e.id);
  // Scope of a new case: as the machine says it will be once received.
  if (!master && !canSee(ctx.user, { ...doc, ...deriveCaseFields(accepted) }, ref.org)) {
    return {
      refused: refusedRow(
        doc.id,
        { code: 'OUT_OF_SCOPE', message: HUB_PUSH_CODES.OUT_OF_SCOPE, refusedEventIds: ids },
        null,
      ),
    };
  }
  const now = hubNowIso();
  const stamped: CaseEvent[] = accepted.map((e) => ({ ...e, hubTime: now }) as CaseEvent);
  let next: CaseDoc;
  if (master) {
    const incoming: CaseDoc = { ...masterClient!, events: stamped, updatedAt: now };
    next = mergeCaseDocs(masterClient!, incoming).doc;
    next = { ...next, updatedAt: now };
  } else {
    const base: CaseDoc = {
      ...doc,
      officialNo: null,
      deadlines: null,
      formerUnitIds: [],
      events: stamped,
      updatedAt: now,
    };
    next = { ...base, ...deriveCaseFields(stamped) };
    next = mergeCaseDocs(next, next).doc;
  }
  delete (next as { _deleted?: boolean })._deleted;
  const bytes = jsonBytes(next);
  if (bytes > MAX_CASE_BYTES) {
    return {
      refused: refusedRow(
        doc.id,
        {
          code: 'CASE_TOO_LARGE',
          message: `${HUB_PUSH_CODES.CASE_TOO_LARGE}（${Math.ceil(bytes / 1024)} KiB，上限 ${MAX_CASE_BYTES / 1024} KiB）`,
          refusedEventIds: ids,
        },
        masterClient,
      ),
    };
  }
  const stored: StoredCase = {
    ...next,
    _id: next.id,
    ...(master?._rev ? { _rev: master._rev } : {}),
  };
  return { doc: next, write: stored };
}

/** The hub's date in China (UTC+8, no daylight saving), e.g. for birth dates in ID numbers. */
function chinaDateOf(instant: string): string {
  return new Date(Date.parse(instant) + 8 * 3_600_000).toISOString().slice(0, 10);
}

function sameEventIds(a: readonly CaseEvent[], b: readonly CaseEvent[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a.map((e) => e.id));
  return b.every((e) => s.has(e.id));
}
