/**
 * IT's retry of dead letters (the IT console's 重试). A letter otherwise waits for the next
 * change of its case; once IT has fixed the cause (imported a calendar, repaired a record) it
 * can have the jobs run again at once.
 *
 * Only the workflow's lease holder runs jobs (lease.ts). A hub process that does not hold the
 * lease writes a retry request (`deadletter-retry:<job>:<caseId>` in the `hub` database)
 * instead; the holder lists those requests on every lease tick (one range read of ids, empty
 * almost always), runs them and removes them. A request of its own, apart from the letter,
 * so that the holder never has to read every letter ever written (resolved ones are kept) to
 * find the few asked for, and a request never races the processor's writes of the letter.
 */
import type { ItDeadLetterRetry } from '@sibantong/shared';
import { AdminInputError } from '../auth/adminInputError.js';
import { hubNowIso } from '../clock.js';
import { withStoreRetry, type Store } from '../store/store.js';
import type { StoredCase } from './calendarRecompute.js';
import { LETTER_ID_PREFIX, resolveDeadLetter } from './deadLetters.js';
import type { DeadLetterDoc } from './workflowDocs.js';

export const RETRY_ID_PREFIX = 'deadletter-retry:';
/** The request's id for a letter's id (`deadletter:<job>:<caseId>`). */
export const retryRequestId = (letterId: string) =>
  `${RETRY_ID_PREFIX}${letterId.slice(LETTER_ID_PREFIX.length)}`;

export interface RetryRequestDoc {
  _id: string;
  _rev?: string;
  type: 'dead_letter_retry';
  letterId: string;
  requestedAt: string;
}

/** Cases a retry runs through the jobs together (the processor's batch size). */
const RETRY_BATCH = 500;
/** Requests the holder takes in one tick (the rest on the next ones). */
const REQUESTS_PER_TICK = 500;

async function fetchDocs<D>(store: Store, db: 'hub' | 'cases', keys: string[]): Promise<D[]> {
  if (keys.length === 0) return [];
  const out: D[] = [];
  for (let i = 0; i < keys.length; i += RETRY_BATCH) {
    const body = await withStoreRetry(() =>
      store.db(db).fetch({ keys: keys.slice(i, i + RETRY_BATCH) }, { include_docs: true }),
    );
    for (const row of body.rows) {
      const doc = 'doc' in row ? (row.doc as (D & { _deleted?: boolean }) | null) : null;
      if (doc && !doc._deleted) out.push(doc);
    }
  }
  return out;
}

/**
 * The open letters of these ids, in the order given. An id that names no letter, or one
 * already resolved, is refused (DEAD_LETTER_NOT_FOUND) before anything runs.
 */
export async function openLettersById(store: Store, ids: string[]): Promise<DeadLetterDoc[]> {
  const unique = [...new Set(ids)];
  const found = new Map(
    (await fetchDocs<DeadLetterDoc>(store, 'hub', unique))
      .filter((d) => d.type === 'dead_letter' && !d.resolved)
      .map((d) => [d._id, d]),
  );
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new AdminInputError(
      'DEAD_LETTER_NOT_FOUND',
      `没有这条未处理的后台任务失败记录：${missing.join('、')}（可能已处理，请刷新）`,
    );
  }
  return unique.map((id) => found.get(id)!);
}

/** Asks the lease holder to retry these letters (a request already waiting stays as it is). */
export async function requestRetry(store: Store, letters: DeadLetterDoc[]): Promise<void> {
  if (letters.length === 0) return;
  const at = hubNowIso();
  const docs: RetryRequestDoc[] = letters.map((l) => ({
    _id: retryRequestId(l._id),
    type: 'dead_letter_retry',
    letterId: l._id,
    requestedAt: at,
  }));
  const answers = await withStoreRetry(() => store.db<RetryRequestDoc>('hub').bulk({ docs }));
  const failed = answers.find((a) => a.error && a.error !== 'conflict');
  if (failed) throw new Error(`retry request ${failed.id}: ${failed.error}`);
}

/** Retry requests waiting for the holder (oldest ids first; at most REQUESTS_PER_TICK). */
export async function pendingRetryRequests(store: Store): Promise<RetryRequestDoc[]> {
  const listed = await withStoreRetry(() =>
    store.db<RetryRequestDoc>('hub').list({
      startkey: RETRY_ID_PREFIX,
      endkey: `${RETRY_ID_PREFIX}\ufff0`,
      include_docs: true,
      limit: REQUESTS_PER_TICK,
    }),
  );
  return listed.rows.flatMap((r) => (r.doc ? [r.doc as RetryRequestDoc] : []));
}

/** When each open letter's retry was asked for (letter id → time), for IT's list. */
export async function queuedRetries(store: Store): Promise<Map<string, string>> {
  const requests = await pendingRetryRequests(store);
  return new Map(requests.map((r) => [r.letterId, r.requestedAt]));
}

/** Removes requests once run; one renewed meanwhile (new revision) stays for the next tick. */
async function clearRequests(store: Store, requests: RetryRequestDoc[]): Promise<void> {
  if (requests.length === 0) return;
  await withStoreRetry(() =>
    store.db<RetryRequestDoc>('hub').bulk({
      docs: requests.map((r) => ({ ...r, _deleted: true }) as RetryRequestDoc),
    }),
  );
}

/**
 * Runs the jobs again on the letters' cases (lease holder only: `runCases` is the processor's
 * batch runner, which records a new failure or resolves the letter), then reads each letter
 * to tell IT what happened. A letter whose case is gone is closed: there is nothing to run.
 * Requests waiting for these letters are removed, the retry having been done.
 */
export async function runRetry(
  store: Store,
  letters: DeadLetterDoc[],
  runCases: (items: Array<{ doc: StoredCase; seq: string }>) => Promise<void>,
): Promise<ItDeadLetterRetry[]> {
  const caseIds = [...new Set(letters.map((l) => l.caseId))];
  const cases = new Map(
    (await fetchDocs<StoredCase>(store, 'cases', caseIds)).map((d) => [d._id, d]),
  );
  const items = [...cases.values()].map((doc) => ({ doc, seq: 'retry' }));
  for (let i = 0; i < items.length; i += RETRY_BATCH) {
    await runCases(items.slice(i, i + RETRY_BATCH));
  }
  const gone = letters.filter((l) => !cases.has(l.caseId));
  for (const l of gone) await resolveDeadLetter(store, l.caseId, l.job);
  const after = new Map(
    (
      await fetchDocs<DeadLetterDoc>(
        store,
        'hub',
        letters.map((l) => l._id),
      )
    ).map((d) => [d._id, d]),
  );
  const waiting = await fetchDocs<RetryRequestDoc>(
    store,
    'hub',
    letters.map((l) => retryRequestId(l._id)),
  );
  await clearRequests(store, waiting);
  return letters.map((l): ItDeadLetterRetry => {
    const base = { id: l._id, caseId: l.caseId, job: l.job };
    if (!cases.has(l.caseId)) return { ...base, outcome: 'case_gone' };
    const now = after.get(l._id);
    if (!now || now.resolved) return { ...base, outcome: 'processed' };
    return { ...base, outcome: 'failed', code: now.code, message: now.message };
  });
}

/**
 * The holder's pick-up of requests written by other hub processes and by the CLI: runs the
 * open letters among them and removes every request taken, also those of letters resolved
 * meanwhile. Returns how many requests it took.
 */
export async function runRequestedRetries(
  store: Store,
  runCases: (items: Array<{ doc: StoredCase; seq: string }>) => Promise<void>,
): Promise<number> {
  const requests = await pendingRetryRequests(store);
  if (requests.length === 0) return 0;
  const letters = (
    await fetchDocs<DeadLetterDoc>(
      store,
      'hub',
      requests.map((r) => r.letterId),
    )
  ).filter((d) => d.type === 'dead_letter' && !d.resolved);
  await runRetry(store, letters, runCases);
  // Requests of letters resolved meanwhile: nothing to run, drop them too (as read: one
  // renewed since keeps its new revision and stays).
  const open = new Set(letters.map((l) => l._id));
  await clearRequests(
    store,
    requests.filter((r) => !open.has(r.letterId)),
  );
  return requests.length;
}
