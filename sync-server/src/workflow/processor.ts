/**
 * The workflow processor: follows the cases database's `_changes` feed from a durable
 * checkpoint and runs the jobs on every changed case. Jobs are idempotent (deterministic ids,
 * reserved numbers, compare-before-write), so replaying a stretch of the feed after a crash
 * is harmless. A failing job is dead-lettered and the feed moves on. Only the lease holder
 * processes; other hub processes stand by.
 */
import type { CaseDoc } from '@sibantong/shared';
import { hubNow, hubNowIso } from '../clock.js';
import type { RefData } from '../domain/refData.js';
import { isStoreDown, statusOf, withStoreRetry, type Store } from '../store/store.js';
import { openBadRatingTickets } from './badRatingTicket.js';
import { officialNoFor } from './bindOfficialNo.js';
import { computeDeadlines, sameDeadlines } from './caseDeadlines.js';
import { openDeadLetters, recordDeadLetter, resolveDeadLetter } from './deadLetters.js';
import { raiseWarning, resolveWarnings, warningFor } from './deadlineWarnings.js';
import { Lease } from './lease.js';
import { CHECKPOINT_ID, type CheckpointDoc } from './workflowDocs.js';

type StoredCase = CaseDoc & { _id: string; _rev: string };

interface ChangeRow {
  id: string;
  seq: unknown;
  doc?: StoredCase;
  deleted?: boolean;
}

export interface ProcessorOptions {
  followUpDays: number;
  warningIntervalMs: number;
  log?: (msg: string) => void;
}

export interface ProcessorStatus {
  active: boolean;
  lastProcessedSeq: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class WorkflowProcessor {
  private readonly lease: Lease;
  private stopped = false;
  private active = false;
  private lastSeq: string | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private scanTimer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly ref: RefData,
    private readonly opts: ProcessorOptions,
  ) {
    this.lease = new Lease(store);
  }

  status(): ProcessorStatus {
    return { active: this.active, lastProcessedSeq: this.lastSeq };
  }

  start(): void {
    const tick = async () => {
      try {
        this.active = await this.lease.acquireOrRenew();
      } catch {
        this.active = false;
      }
    };
    void tick();
    this.leaseTimer = setInterval(() => void tick(), 5_000);
    this.scanTimer = setInterval(() => {
      if (this.active) void this.scanDeadlines().catch(() => undefined);
    }, this.opts.warningIntervalMs);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    if (this.scanTimer) clearInterval(this.scanTimer);
    await this.lease.release();
  }

  private async readCheckpoint(): Promise<CheckpointDoc | null> {
    try {
      return await this.store.db<CheckpointDoc>('hub').get(CHECKPOINT_ID);
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  private async saveCheckpoint(seq: string): Promise<void> {
    const current = await this.readCheckpoint();
    await this.store.db<CheckpointDoc>('hub').insert({
      _id: CHECKPOINT_ID,
      ...(current?._rev ? { _rev: current._rev } : {}),
      type: 'checkpoint',
      seq,
      updatedAt: hubNowIso(),
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (!this.active) {
        await sleep(500);
        continue;
      }
      try {
        const cp = await this.readCheckpoint();
        this.lastSeq = cp?.seq ?? null;
        const body = (await this.store.db('cases').changes({
          since: cp?.seq ?? '0',
          feed: 'longpoll',
          timeout: 10_000,
          include_docs: true,
          limit: 100,
        })) as unknown as { results: ChangeRow[]; last_seq: unknown };
        for (const row of body.results) {
          if (this.stopped || !this.active) break;
          if (row.id.startsWith('_design/') || !row.doc || row.deleted) continue;
          await this.processCase(row.doc, String(row.seq));
        }
        if (this.stopped || !this.active) continue;
        if (body.results.length > 0 || cp === null) {
          const seq = String(body.last_seq);
          await this.saveCheckpoint(seq);
          this.lastSeq = seq;
        }
      } catch (err) {
        if (!isStoreDown(err)) this.opts.log?.(`workflow: ${String(err)}`);
        await sleep(500);
      }
    }
  }

  /** Runs every job on one case; store outages propagate (the batch is retried). */
  async processCase(doc: StoredCase, seq: string): Promise<void> {
    const ref = await this.ref.get();
    const jobs: Array<[string, () => Promise<void>]> = [
      ['caseFields', () => this.updateCaseFields(doc)],
      [
        'badRatingTicket',
        async () => void (await openBadRatingTickets(this.store, ref, doc, this.opts.followUpDays)),
      ],
      [
        'deadlineWarnings',
        async () => {
          await raiseWarning(this.store, ref, doc, hubNow());
          await resolveWarnings(this.store, doc);
        },
      ],
    ];
    for (const [name, job] of jobs) {
      try {
        await job();
        await resolveDeadLetter(this.store, doc.id, name);
      } catch (err) {
        if (isStoreDown(err)) throw err;
        await recordDeadLetter(this.store, doc.id, name, seq, err);
      }
    }
  }

  /** bindOfficialNo + computeDeadlines, written in one update of the case. */
  private async updateCaseFields(doc: StoredCase): Promise<void> {
    const ref = await this.ref.get();
    const officialNo = await officialNoFor(this.store, ref, doc);
    const deadlines = computeDeadlines(doc, ref, hubNow());
    const deadlinesChanged = deadlines !== null && !sameDeadlines(doc.deadlines, deadlines);
    if (!officialNo && !deadlinesChanged) return;
    const next: StoredCase = {
      ...doc,
      officialNo: officialNo ?? doc.officialNo,
      deadlines: deadlinesChanged ? deadlines : doc.deadlines,
      updatedAt: hubNowIso(),
    };
    try {
      await withStoreRetry(() => this.store.db<StoredCase>('cases').insert(next));
    } catch (err) {
      // 409: a push landed meanwhile; its change comes later in the feed and is handled then.
      if (statusOf(err) !== 409) throw err;
    }
  }

  /** Periodic deadline scan (and on demand from the admin API). */
  async scanDeadlines(): Promise<number> {
    const ref = await this.ref.get();
    const found = await withStoreRetry(() =>
      this.store.db<StoredCase>('cases').find({
        selector: { status: { $in: ['accepted', 'accepted_deferred', 'processing'] } },
        limit: 100_000,
      }),
    );
    let raised = 0;
    const now = hubNow();
    for (const doc of found.docs) {
      if (!warningFor(doc, ref, now)) continue;
      try {
        if (await raiseWarning(this.store, ref, doc, now)) raised += 1;
      } catch (err) {
        if (isStoreDown(err)) throw err;
        await recordDeadLetter(this.store, doc.id, 'deadlineWarnings', 'scan', err);
      }
    }
    return raised;
  }

  /** Changes the processor has not handled yet (for /api/health). */
  async backlog(): Promise<number> {
    const cp = await this.readCheckpoint();
    const body = (await this.store
      .db('cases')
      .changes({ since: cp?.seq ?? '0', limit: 10_000 })) as unknown as {
      results: ChangeRow[];
    };
    return body.results.filter((r) => !r.id.startsWith('_design/')).length;
  }

  async deadLetterCount(): Promise<number> {
    return (await openDeadLetters(this.store)).length;
  }
}
