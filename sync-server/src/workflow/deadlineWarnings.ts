/**
 * 预警 and 督办: a `due_soon` record when an open case is within DUE_SOON_DAYS working days of
 * its promised deadline, an `overdue` record once past it. One record per case, kind and
 * deadline (deterministic id), so re-running the scan never duplicates one.
 */
import type { CaseDoc } from '@sibantong/shared';
import { hubNowIso } from '../clock.js';
import type { RefSnapshot } from '../domain/refData.js';
import { countWorkingDays } from '../domain/sharedCompat.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import { chinaDate } from './hubDates.js';

export const DUE_SOON_DAYS = 2;
const CLOCK_RUNNING = ['accepted', 'accepted_deferred', 'processing'];

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

export function warningFor(
  doc: CaseDoc,
  ref: RefSnapshot,
  now: Date,
): 'due_soon' | 'overdue' | null {
  if (!doc.deadlines || !CLOCK_RUNNING.includes(doc.status)) return null;
  const left = countWorkingDays(chinaDate(now), doc.deadlines.promisedDue, ref.calendar);
  if (left < 0) return 'overdue';
  if (left <= DUE_SOON_DAYS) return 'due_soon';
  return null;
}

export async function raiseWarning(
  store: Store,
  ref: RefSnapshot,
  doc: CaseDoc,
  now: Date,
): Promise<boolean> {
  const kind = warningFor(doc, ref, now);
  if (!kind || !doc.deadlines) return false;
  const id = `sv:${kind}:${doc.deadlines.promisedDue}:${doc.id}`;
  const record: SupervisionRecord = {
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
  try {
    await withStoreRetry(() => store.db<SupervisionRecord>('supervision').insert(record));
    return true;
  } catch (err) {
    if (statusOf(err) === 409) return false; // raised before: idempotent
    throw err;
  }
}

/** Once the clock no longer runs (concluded, withdrawn, …), the case's open records are resolved. */
export function clockStopped(doc: CaseDoc): boolean {
  return !CLOCK_RUNNING.includes(doc.status) && doc.status !== 'suspended';
}

/** Resolves the open records of the cases whose clock stopped: one query, one write. */
export async function resolveWarningsOf(store: Store, docs: CaseDoc[]): Promise<number> {
  const stopped = new Map(docs.filter(clockStopped).map((d) => [d.id, d]));
  if (stopped.size === 0) return 0;
  const db = store.db<SupervisionRecord>('supervision');
  const found = await withStoreRetry(() =>
    db.find({
      selector: { caseId: { $in: [...stopped.keys()] }, resolved: false },
      limit: 100_000,
    }),
  );
  if (found.docs.length === 0) return 0;
  await withStoreRetry(() =>
    db.bulk({
      docs: found.docs.map((d) => {
        const status = stopped.get(d.caseId)?.status;
        const note = `办件已${status === 'withdrawn' ? '撤回' : '办结或终止'}，预警自动解除`;
        return { ...d, resolved: true, note };
      }),
    }),
  );
  return found.docs.length;
}
