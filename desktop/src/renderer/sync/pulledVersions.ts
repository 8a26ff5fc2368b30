import type { WithDeleted } from 'rxdb';
import type { CaseDoc } from '@sibantong/shared';
import type { AppDatabase } from '../db/database';
import { eventKey } from './conflictHandler';
import { hasNews } from './pushHandler';

/**
 * Hub versions of cases the downstream pulled but did not store, offered to RxDB again once
 * the replication is idle.
 *
 * Why: RxDB's downstream skips a pulled version of a document whose local state differs from
 * its record of the hub's copy (an "unpushed local edit"), trusting the upstream's push to
 * bring the hub's version back. The hub answers a push with its copy as it stands when it
 * handles the push. A version the hub wrote after that answer and that was pulled before RxDB
 * stored the answer is skipped — and never offered again, because the pull checkpoint is past
 * it: the PC stays one change behind for good (found by the convergence test: a village PC
 * showed three events of a case the hub held with four; `pullDuringPush.test.ts` replays it).
 * RxDB does not hand a resolved case to the push handler again by itself (its "resolved
 * conflict" mark never matches here: the storage gives the written document a new revision).
 *
 * The hub stamps `updatedAt` with its own clock on every write (push, workflow, move), so of
 * two versions of a case without unsent events the later `updatedAt` is the newer one. Once
 * idle, a skipped version newer than the device's copy goes to RxDB again with the next pull
 * (the engine asks for one): the device's copy now equals RxDB's record, so the downstream
 * stores it like any pulled version. (Not on RxDB's pull stream: the downstream drops a stream
 * item queued before a pull it runs next, counting on that pull, which is past the version.)
 */
export function caseVersionKey(d: Partial<CaseDoc> & { _deleted?: boolean }): string {
  return [
    d._deleted ? 'deleted' : '',
    d.updatedAt ?? '',
    d.officialNo ?? '',
    d.holderUnitId ?? '',
    JSON.stringify(d.deadlines ?? null),
    eventKey(d as CaseDoc),
  ].join('#');
}

type Pulled = WithDeleted<CaseDoc>;
/** How often one skipped version is offered again before it is given up. */
const MAX_OFFERS = 3;

export class PulledVersions {
  /** The last pulled version of each case not stored yet (Map order: oldest pull first). */
  private readonly pending = new Map<string, { doc: Pulled; offers: number }>();
  /** Versions to hand to RxDB with the next pulled page. */
  private offering: Pulled[] = [];

  /** A page the pull handler hands to RxDB (before RxDB stores or skips its versions). */
  pulled(docs: readonly unknown[]): void {
    for (const d of docs as Pulled[]) {
      if (typeof d?.id !== 'string') continue;
      this.pending.delete(d.id);
      this.pending.set(d.id, { doc: d, offers: 0 });
    }
  }

  /** A version the downstream stored. */
  stored(doc: { id?: unknown }): void {
    if (typeof doc.id !== 'string') return;
    const p = this.pending.get(doc.id);
    if (p && caseVersionKey(p.doc) === caseVersionKey(doc as CaseDoc)) this.pending.delete(doc.id);
  }

  /** Versions found skipped, to go to RxDB with the next pulled page (see `inject`). */
  offer(docs: readonly Pulled[]): void {
    this.offering.push(...docs);
  }

  /** Taken by the pull handler for the page it returns (pullHandler.ts, `inject`). */
  inject(): Pulled[] {
    const out = this.offering;
    this.offering = [];
    return out;
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * Pulled versions newer than the device's copy that RxDB did not store. Versions equal to or
   * older than the device's copy are forgotten; a case with unsent events waits (its push
   * brings the hub's copy, and the next idle looks again). An offered version stays listed
   * until it is stored, and is offered at most MAX_OFFERS times (a version RxDB keeps
   * skipping must not keep the replication busy).
   */
  async takeSkipped(db: AppDatabase): Promise<Pulled[]> {
    if (this.pending.size === 0) return [];
    const ids = [...this.pending.keys()];
    const local = await db.cases.storageInstance.findDocumentsById(ids, true);
    const byId = new Map(local.map((d) => [(d as unknown as CaseDoc).id, d as unknown as Pulled]));
    const again: Pulled[] = [];
    for (const id of ids) {
      const entry = this.pending.get(id);
      if (!entry) continue;
      const p = entry.doc;
      const mine = byId.get(id);
      if (mine && !mine._deleted && hasNews(mine)) continue;
      const newer =
        !!mine &&
        caseVersionKey(mine) !== caseVersionKey(p) &&
        (p.updatedAt ?? '') > (mine.updatedAt ?? '');
      if (!newer || entry.offers >= MAX_OFFERS) {
        this.pending.delete(id);
        continue;
      }
      entry.offers += 1;
      again.push(p);
    }
    return again;
  }
}
