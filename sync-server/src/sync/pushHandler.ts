/**
 * POST /api/sync/cases/push — one answer per row, in order. A refused row never blocks the
 * rows after it. Each row: shape → scope of the stored case → hub-only checks → the shared
 * state machine (→ scope of a new case) →
 * hub time stamped on the new events → shared merge → write with the master's revision
 * (a concurrent write makes CouchDB answer 409: re-read and redo the row).
 *
 * Idempotent: re-pushing events the hub already holds (a client retrying after a crash)
 * adds nothing and is answered `accepted` with the hub's document.
 */
import { DomainError } from '@sibantong/shared';
import type { CaseDoc, CaseEvent, PushRow, PushRowResult } from '@sibantong/shared';
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
import { isStoreDown, statusOf, withStoreRetry, type Store } from '../store/store.js';
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
import { recordRefusal } from '../refusals/refusalLog.js';
import { HUB_PUSH_CODES } from './pushCodes.js';
import { toClientDoc } from './pullHandler.js';

type StoredCase = CaseDoc & { _id: string; _rev?: string };

const MAX_WRITE_ATTEMPTS = 6;

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

async function loadMaster(store: Store, id: string): Promise<StoredCase | null> {
  try {
    return await withStoreRetry(() => store.db<StoredCase>('cases').get(id));
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

function clientForm(doc: StoredCase | CaseDoc | null): CaseDoc | null {
  return doc ? toClientDoc<CaseDoc>(doc as unknown as Record<string, unknown>) : null;
}

export async function pushRows(
  store: Store,
  ref: RefSnapshot,
  ctx: AuthContext,
  rows: PushRow[],
): Promise<PushRowResult[]> {
  const results: PushRowResult[] = [];
  for (const row of rows) {
    const result = await pushRow(store, ref, ctx, row);
    // The supervisor sees every refused write (GET /api/refusals), not only the device.
    if (result.status === 'refused') await recordRefusal(store, ctx, row, result);
    results.push(result);
  }
  return results;
}

/**
 * A row's failure is that row's answer: a DomainError from the shared rules keeps its code;
 * anything else unexpected (input that passed the schema but broke a rule's assumptions) is
 * refused as ROW_UNPROCESSABLE. Only a store outage fails the request (503, client retries).
 */
async function pushRow(
  store: Store,
  ref: RefSnapshot,
  ctx: AuthContext,
  row: PushRow,
): Promise<PushRowResult> {
  const raw = row.newDocumentState as unknown as Record<string, unknown> | null;
  const id = typeof raw?.id === 'string' ? raw.id : '';
  try {
    return await pushRowUnsafe(store, ref, ctx, row);
  } catch (err) {
    if (isStoreDown(err)) throw err;
    if (err instanceof DomainError) {
      return refusedRow(id, { code: err.code, message: err.messageZh, refusedEventIds: [] }, null);
    }
    console.error('push row failed', err);
    return refusedRow(
      id,
      { code: 'ROW_UNPROCESSABLE', message: HUB_PUSH_CODES.ROW_UNPROCESSABLE, refusedEventIds: [] },
      null,
    );
  }
}

async function pushRowUnsafe(
  store: Store,
  ref: RefSnapshot,
  ctx: AuthContext,
  row: PushRow,
): Promise<PushRowResult> {
  const raw = row.newDocumentState as unknown as Record<string, unknown>;
  const id = typeof raw?.id === 'string' ? raw.id : '';
  if (raw && raw._deleted === true) {
    return refusedRow(
      id,
      { code: 'DELETE_FORBIDDEN', message: HUB_PUSH_CODES.DELETE_FORBIDDEN, refusedEventIds: [] },
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
  const doc = row.newDocumentState;
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
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
    const master = await loadMaster(store, doc.id);
    const masterClient = clientForm(master);
    const added = newEventsOf(doc, master);
    // Scope of a stored case comes first: a caller outside it learns nothing about the case,
    // not even which rule its push broke.
    if (master && !canSee(ctx.user, master, ref.org)) {
      return refusedRow(
        doc.id,
        {
          code: 'OUT_OF_SCOPE',
          message: HUB_PUSH_CODES.OUT_OF_SCOPE,
          refusedEventIds: added.map((e) => e.id),
        },
        null,
      );
    }
    const shortened = checkAgainstAssumed(doc, assumed);
    if (shortened) return refusedRow(id, shortened, masterClient);
    const hubRefusal =
      checkKnownEvents(doc, master) ??
      checkNewEventAuthorship(added, ctx) ??
      checkHubFields(doc, master, assumed, added) ??
      (master
        ? checkIdentityUnchanged(doc, assumed ?? master, added)
        : await checkNewCaseHeader(doc, ref));
    if (hubRefusal) return refusedRow(doc.id, hubRefusal, masterClient);

    if (added.length === 0) {
      // Everything already on the hub: a retry, or a push of an unchanged document.
      if (master) return { id: doc.id, status: 'accepted', document: masterClient as CaseDoc };
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
    };
    const verdict = validateNewEvents(master?.events ?? [], added, machineCtx);
    if (!verdict.ok) {
      // Legal on the state the client saw, illegal on the hub's: someone acted meanwhile.
      // That is a conflict the client resolves (merge, then redo its step), not a refusal.
      if (master && assumed && sameEventIds(assumed.events, master.events) === false) {
        const onAssumed = validateNewEvents(assumed.events, newEventsOf(doc, assumed), machineCtx);
        if (onAssumed.ok) {
          return {
            id: doc.id,
            status: 'conflict',
            code: verdict.code,
            message: `${verdict.messageZh}（办件已被他人更新，请合并后重新办理）`,
            master: masterClient as CaseDoc,
          };
        }
      }
      return refusedRow(
        doc.id,
        {
          code: verdict.code,
          message: verdict.messageZh,
          refusedEventIds: verdict.refusedEventIds,
        },
        masterClient,
      );
    }

    // Scope of a new case: as the machine says it will be once received.
    if (!master && !canSee(ctx.user, { ...doc, ...deriveCaseFields(added) }, ref.org)) {
      return refusedRow(
        doc.id,
        {
          code: 'OUT_OF_SCOPE',
          message: HUB_PUSH_CODES.OUT_OF_SCOPE,
          refusedEventIds: added.map((e) => e.id),
        },
        null,
      );
    }

    const now = hubNowIso();
    const stamped: CaseEvent[] = verdict.value.added.map(
      (e) => ({ ...e, hubTime: now }) as CaseEvent,
    );
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
    const stored: StoredCase = {
      ...next,
      _id: next.id,
      ...(master?._rev ? { _rev: master._rev } : {}),
    };
    try {
      await withStoreRetry(() => store.db<StoredCase>('cases').insert(stored));
      return { id: doc.id, status: 'accepted', document: next };
    } catch (err) {
      // 409: another writer got there first (or our own write landed before a crash cut the
      // answer). Re-read and redo: already-held events are then recognised as such.
      if (statusOf(err) !== 409) throw err;
    }
  }
  const master = clientForm(await loadMaster(store, doc.id));
  return {
    id: doc.id,
    status: 'conflict',
    code: 'WRITE_CONTENTION',
    message: '办件正被频繁更新，请稍后重试',
    master: master as CaseDoc,
  };
}

function sameEventIds(a: readonly CaseEvent[], b: readonly CaseEvent[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a.map((e) => e.id));
  return b.every((e) => s.has(e.id));
}
