/**
 * A workflow job: one thing the hub does when a case changes (bind its official number,
 * compute its deadlines, open a ticket for a 差评, raise or resolve warnings). The runner
 * (processor.ts) follows the cases feed and hands every job the changed cases it applies to;
 * jobs never call each other, so one failing never holds another up.
 */
import type { CaseDoc } from '@sibantong/shared';
import type { RefSnapshot } from '../../domain/refData.js';
import { isStoreDown, type Store } from '../../store/store.js';

/** Case fields a job may set; the runner writes every job's fields of a case in one update. */
export type CasePatch = Partial<Pick<CaseDoc, 'officialNo' | 'deadlines'>>;

export interface JobContext {
  store: Store;
  ref: RefSnapshot;
  /** Hub time of the batch. */
  now: Date;
  /** Working days a follow-up ticket is due after the rating (HUB_BAD_RATING_DAYS). */
  followUpDays: number;
}

export interface JobResult {
  /** Fields to set, by case id (left out: nothing to change). */
  patches?: Map<string, CasePatch>;
  /** Cases the job failed on, with why: each becomes (or updates) a dead letter. */
  failures?: Map<string, unknown>;
}

export interface WorkflowJob {
  /** Stable name: part of dead-letter ids (`deadletter:<name>:<caseId>`). */
  readonly name: string;
  /** Cheap and pure: does this version of the case concern the job? */
  appliesTo(doc: CaseDoc): boolean;
  /**
   * Runs on the batch's cases it applies to (each case once, latest version). Idempotent: a
   * crash replays the batch. Writes its own records; returns case fields and failures. A
   * store outage is thrown (the batch is retried); any other throw fails every case given.
   */
  run(docs: readonly CaseDoc[], ctx: JobContext): Promise<JobResult>;
}

/** Collects per-case failures, turning everything but a store outage into a dead letter. */
export function failureCollector(): {
  failures: Map<string, unknown>;
  fail: (caseId: string, err: unknown) => void;
} {
  const failures = new Map<string, unknown>();
  return {
    failures,
    fail: (caseId, err) => {
      if (isStoreDown(err)) throw err;
      failures.set(caseId, err);
    },
  };
}
