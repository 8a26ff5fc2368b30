/**
 * Dead letters: a job that fails on a case is recorded (one document per case and job, with
 * an attempt count) and the processor moves on, so one bad case cannot stall the feed. A
 * later change of the same case retries the job and, on success, resolves the letter.
 */
import { DomainError } from '@sibantong/shared';
import { hubNowIso } from '../clock.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import type { DeadLetterDoc } from './workflowDocs.js';

/** Every letter's id starts so: the processor lists them by this prefix. */
export const LETTER_ID_PREFIX = 'deadletter:';
export const letterId = (caseId: string, job: string) => `${LETTER_ID_PREFIX}${job}:${caseId}`;

/** The letter for a failure: a new one, or the existing one with one more attempt. */
export function failedLetter(
  existing: DeadLetterDoc | null,
  caseId: string,
  job: string,
  seq: string,
  err: unknown,
  at: string,
): DeadLetterDoc {
  const code = err instanceof DomainError ? err.code : 'JOB_FAILED';
  const message =
    err instanceof DomainError ? err.messageZh : err instanceof Error ? err.message : String(err);
  return existing
    ? {
        ...existing,
        seq,
        code,
        message,
        attempts: existing.attempts + 1,
        lastAt: at,
        resolved: false,
      }
    : {
        _id: letterId(caseId, job),
        type: 'dead_letter',
        caseId,
        job,
        seq,
        code,
        message,
        attempts: 1,
        firstAt: at,
        lastAt: at,
        resolved: false,
      };
}

/** Records one failure on its own (outside a batch, e.g. the periodic scan). */
export async function recordDeadLetter(
  store: Store,
  caseId: string,
  job: string,
  seq: string,
  err: unknown,
): Promise<void> {
  const db = store.db<DeadLetterDoc>('hub');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let existing: DeadLetterDoc | null = null;
    try {
      existing = await withStoreRetry(() => db.get(letterId(caseId, job)));
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
    try {
      await withStoreRetry(() =>
        db.insert(failedLetter(existing, caseId, job, seq, err, hubNowIso())),
      );
      return;
    } catch (e) {
      if (statusOf(e) !== 409) throw e;
    }
  }
}

export async function resolveDeadLetter(store: Store, caseId: string, job: string): Promise<void> {
  const db = store.db<DeadLetterDoc>('hub');
  try {
    const existing = await withStoreRetry(() => db.get(letterId(caseId, job)));
    if (!existing.resolved)
      await withStoreRetry(() => db.insert({ ...existing, resolved: true, lastAt: hubNowIso() }));
  } catch (e) {
    if (statusOf(e) !== 404 && statusOf(e) !== 409) throw e;
  }
}

export async function openDeadLetters(store: Store): Promise<DeadLetterDoc[]> {
  const found = await withStoreRetry(() =>
    store.db<DeadLetterDoc>('hub').find({ selector: { type: 'dead_letter' }, limit: 100_000 }),
  );
  return found.docs.filter((d) => !d.resolved);
}
