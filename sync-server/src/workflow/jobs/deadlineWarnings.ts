/**
 * Job `deadlineWarnings` — 预警 and 督办: a `due_soon` record when an open case is within
 * shared DUE_SOON_WORKING_DAYS of its promised deadline (shared `dueBucket`, the rule a PC
 * colours its lists with), an `overdue` record once past it; resolved once the clock stops.
 * One record per case, kind and deadline (deterministic id), so re-running the job or the
 * periodic scan never duplicates one.
 */
import {
  deadlineClockRunning,
  dueBucket,
  dueWindow,
  type CaseDoc,
  type DueBucket,
} from '@sibantong/shared';
import { hubNowIso } from '../../clock.js';
import type { RefSnapshot } from '../../domain/refData.js';
import { limited } from '../../store/limited.js';
import { withStoreRetry, type Store } from '../../store/store.js';
import { failureCollector, type WorkflowJob } from './jobTypes.js';

export interface SupervisionRecord {
  _id: string;
  id: string;
  caseId: string;
  kind: 'due_soon' | 'overdue';
  dueDate: string;
  issuedAt: string;
  unitId: string;
  resolved: boolean;
  note?: string;
  /** hub-only: units whose users see the record (stripped before it leaves the hub). */
  hubScope: string[];
}

export function warningFor(doc: CaseDoc, ref: RefSnapshot, now: Date): DueBucket | null {
  if (!doc.deadlines || !deadlineClockRunning(doc.status)) return null;
  return dueBucket(doc.deadlines.promisedDue, dueWindow(ref.calendar, now));
}

/** The record `doc` is due now (null: none — not near its promised date, or its clock stopped). */
export function warningRecord(doc: CaseDoc, ref: RefSnapshot, now: Date): SupervisionRecord | null {
  const kind = warningFor(doc, ref, now);
  if (!kind || !doc.deadlines) return null;
  const id = `sv:${kind}:${doc.deadlines.promisedDue}:${doc.id}`;
  return {
    _id: id,
    id,
    caseId: doc.id,
    kind,
    dueDate: doc.deadlines.promisedDue,
    issuedAt: hubNowIso(),
    unitId: doc.holderUnitId,
    resolved: false,
    note:
      kind === 'overdue'
        ? `办件 ${doc.officialNo ?? doc.provisionalNo} 已超过承诺办结期限（${doc.deadlines.promisedDue}），请督办`
        : `办件 ${doc.officialNo ?? doc.provisionalNo} 将于 ${doc.deadlines.promisedDue} 到期，请抓紧办理`,
    hubScope: [...new Set([doc.holderUnitId, doc.originUnitId, doc.townId])],
  };
}

/**
 * Raises the records due for `docs` with one write. Not "rare": a matter promised in a day or
 * two is due soon the day it is accepted, so in a busy hour most cases raise one, and one
 * write a case (the batch waiting on each) held the workflow's numbering up.
 */
export function raiseWarnings(
  store: Store,
  ref: RefSnapshot,
  docs: readonly CaseDoc[],
  now: Date,
): Promise<{ raised: number; refused: Map<string, Error> }> {
  return writeWarnings(
    store,
    docs.flatMap((d) => warningRecord(d, ref, now) ?? []),
  );
}

/**
 * Writes `records` with one `_bulk_docs`. A record raised before (409: the id names case, kind
 * and date) stays as it is, so re-running never duplicates one. Answers how many are new, and
 * why the store refused any other, by case id.
 */
export async function writeWarnings(
  store: Store,
  records: readonly SupervisionRecord[],
): Promise<{ raised: number; refused: Map<string, Error> }> {
  const refused = new Map<string, Error>();
  if (records.length === 0) return { raised: 0, refused };
  const answers = await withStoreRetry(() =>
    store.db<SupervisionRecord>('supervision').bulk({ docs: [...records] }),
  );
  const caseOf = new Map(records.map((r) => [r._id, r.caseId]));
  let raised = 0;
  for (const a of answers) {
    if (!a.error) raised += 1;
    else if (a.error !== 'conflict')
      refused.set(
        caseOf.get(a.id) ?? a.id,
        new Error(`督办记录 ${a.id}: ${a.error} ${a.reason ?? ''}`),
      );
  }
  return { raised, refused };
}

/** Once the clock no longer runs (concluded, withdrawn, …), the case's open records are resolved. */
export function clockStopped(doc: CaseDoc): boolean {
  return !deadlineClockRunning(doc.status) && doc.status !== 'suspended';
}

/** Cases whose records are looked up at once (each lookup is one small index read). */
const LOOKUP_CONCURRENCY = 4;

/**
 * Resolves the open records of the cases whose clock stopped: one indexed lookup per such case,
 * one write. Not one `caseId $in [...]` query: neither CouchDB's Mango nor pouchdb-find reads
 * `$in` as index ranges, so that query examined every 督办 record of the county on each workflow
 * batch holding a concluded case — up to 17 s a query at 21,000 records in the bench's storm
 * (bench/findings.md, "Why each storm sample was slower than the last").
 */
export async function resolveWarningsOf(store: Store, docs: readonly CaseDoc[]): Promise<number> {
  const stopped = new Map(docs.filter(clockStopped).map((d) => [d.id, d]));
  if (stopped.size === 0) return 0;
  const db = store.db<SupervisionRecord>('supervision');
  const perCase = await limited(
    LOOKUP_CONCURRENCY,
    [...stopped.keys()].map(
      (caseId) => () =>
        withStoreRetry(() => db.find({ selector: { caseId, resolved: false }, limit: 10_000 })),
    ),
  );
  const open = perCase.flatMap((found) => found.docs);
  if (open.length === 0) return 0;
  await withStoreRetry(() =>
    db.bulk({
      docs: open.map((d) => {
        const status = stopped.get(d.caseId)?.status;
        const note = `办件已${status === 'withdrawn' ? '撤回' : '办结或终止'}，预警自动解除`;
        return { ...d, resolved: true, note };
      }),
    }),
  );
  return open.length;
}

export const deadlineWarningsJob: WorkflowJob = {
  name: 'deadlineWarnings',
  // Records exist only for cases with deadlines: raising and resolving both need them.
  appliesTo: (doc) => doc.deadlines !== null,
  async run(docs, ctx) {
    const { failures, fail } = failureCollector();
    // Raise (one write), then resolve (one lookup per stopped case, one write).
    try {
      const { refused } = await raiseWarnings(ctx.store, ctx.ref, docs, ctx.now);
      for (const [caseId, err] of refused) fail(caseId, err);
    } catch (err) {
      for (const d of docs) if (warningFor(d, ctx.ref, ctx.now)) fail(d.id, err);
    }
    const rest = docs.filter((d) => !failures.has(d.id));
    try {
      await resolveWarningsOf(ctx.store, rest);
    } catch (err) {
      for (const d of rest.filter(clockStopped)) fail(d.id, err);
    }
    return { failures };
  },
};
