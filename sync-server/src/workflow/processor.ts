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
import { DomainError } from '@sibantong/shared';
import { badRatingTicketsOf, type TicketRecord } from './badRatingTicket.js';
import { officialNosFor } from './bindOfficialNo.js';
import { computeDeadlines, sameDeadlines } from './caseDeadlines.js';
import {
  LETTER_ID_PREFIX,
  letterId,
  openDeadLetters,
  recordDeadLetter,
  resolveDeadLetter,
} from './deadLetters.js';
import { clockStopped, raiseWarning, resolveWarningsOf, warningFor } from './deadlineWarnings.js';
import { Lease } from './lease.js';
import { CHECKPOINT_ID, type CheckpointDoc, type DeadLetterDoc } from './workflowDocs.js';
import type { DeviceTraffic } from '../sync/deviceTraffic.js';
import { rememberWrites } from '../sync/writtenCases.js';

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
  /** When given, each batch waits (boundedly) while devices are pushing or pulling. */
  deviceTraffic?: DeviceTraffic;
  log?: (msg: string) => void;
}

export interface ProcessorStatus {
  active: boolean;
  lastProcessedSeq: string | null;
}

/** Changes handled together (one read of the hub's records, one write per kind). */
const BATCH = 500;
/**
 * The batch when devices are still busy after the wait below: a small bite, so that in a
 * reconnection storm the store serves the devices' pushes and catch-up pulls (and the case
 * rewrites, each of which every device of the village must pull again, come mostly after the
 * burst, in full batches). Still far more than steady traffic creates (≈ 50 cases/s).
 */
const BUSY_BATCH = 100;
const JOBS = ['caseFields', 'badRatingTicket', 'deadlineWarnings'] as const;
/** Up to this many letters in the store, a batch lists their ids rather than looks up its own. */
const LETTER_LIST_MAX = 5_000;
type JobName = (typeof JOBS)[number];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * Longest a batch waits for a burst of device traffic to end: in a reconnection storm the processor
 * still binds numbers and deadlines (slower), and steady traffic never starves it.
 */
const DEFER_MAX_MS = 2_000;

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
        // Before reading, so the batch is read after the burst, not held through it.
        await this.opts.deviceTraffic?.calm(DEFER_MAX_MS);
        const limit = this.opts.deviceTraffic?.busy() ? BUSY_BATCH : BATCH;
        const cp = await this.readCheckpoint();
        this.lastSeq = cp?.seq ?? null;
        const body = (await this.store.db('cases').changes({
          since: cp?.seq ?? '0',
          feed: 'longpoll',
          timeout: 10_000,
          include_docs: true,
          limit,
        })) as unknown as { results: ChangeRow[]; last_seq: unknown };
        // One batch: each case once, in its latest version (later rows of a case carry the
        // same document as `include_docs` reads the current one).
        const latest = new Map<string, { doc: StoredCase; seq: string }>();
        for (const row of body.results) {
          if (row.id.startsWith('_design/') || !row.doc || row.deleted) continue;
          latest.set(row.id, { doc: row.doc, seq: String(row.seq) });
        }
        if (this.stopped || !this.active) continue;
        await this.processBatch([...latest.values()]);
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
    await this.processBatch([{ doc, seq }]);
  }

  /**
   * Runs every job on a batch of changed cases (each case once): reads the batch's dead
   * letters with one `_all_docs`, takes official numbers with one counter update per county
   * and year, and writes case fields, tickets, resolved warnings and letters with one
   * `_bulk_docs` each. A job that fails on a case is that case's dead letter; store outages
   * propagate (the batch is retried from the durable checkpoint; every job is idempotent).
   */
  async processBatch(items: Array<{ doc: StoredCase; seq: string }>): Promise<void> {
    if (items.length === 0) return;
    const ref = await this.ref.get();
    const docs = items.map((i) => i.doc);
    const failures = new Map<string, Map<JobName, unknown>>();
    const fail = (caseId: string, job: JobName, err: unknown) => {
      if (isStoreDown(err)) throw err;
      const m = failures.get(caseId) ?? new Map<JobName, unknown>();
      m.set(job, err);
      failures.set(caseId, m);
    };
    const letters = await this.readLetters(docs.map((d) => d.id));

    // caseFields: bindOfficialNo + computeDeadlines, written in one update of each case.
    const deadlines = new Map<string, ReturnType<typeof computeDeadlines>>();
    const numberable: StoredCase[] = [];
    const now = hubNow();
    for (const doc of docs) {
      try {
        deadlines.set(doc.id, computeDeadlines(doc, ref, now));
        numberable.push(doc);
      } catch (err) {
        fail(doc.id, 'caseFields', err);
      }
    }
    let numbers = new Map<string, string>();
    try {
      numbers = await officialNosFor(this.store, ref, numberable);
    } catch (err) {
      for (const d of numberable) fail(d.id, 'caseFields', err);
    }
    const updates: StoredCase[] = [];
    for (const doc of numberable) {
      if (failures.get(doc.id)?.has('caseFields')) continue;
      const officialNo = doc.officialNo ? null : (numbers.get(doc.id) ?? null);
      const dl = deadlines.get(doc.id) ?? null;
      const deadlinesChanged = dl !== null && !sameDeadlines(doc.deadlines, dl);
      if (!doc.officialNo && !officialNo) {
        fail(doc.id, 'caseFields', new Error('official number not reserved'));
        continue;
      }
      if (!officialNo && !deadlinesChanged) continue;
      updates.push({
        ...doc,
        officialNo: officialNo ?? doc.officialNo,
        deadlines: deadlinesChanged ? dl : doc.deadlines,
        updatedAt: hubNowIso(),
      });
    }
    // 409: a push landed meanwhile; its change comes later in the feed and is handled then.
    await this.bulkWrite('cases', updates, (id, err) => fail(id, 'caseFields', err));

    // badRatingTicket: deterministic ids, so a ticket already opened answers 409 (kept).
    const tickets: TicketRecord[] = [];
    for (const doc of docs) {
      try {
        tickets.push(...badRatingTicketsOf(ref, doc, this.opts.followUpDays));
      } catch (err) {
        fail(doc.id, 'badRatingTicket', err);
      }
    }
    await this.bulkWrite('tickets', tickets, (id, err) =>
      fail(tickets.find((t) => t._id === id)?.caseId ?? id, 'badRatingTicket', err),
    );

    // deadlineWarnings: raise (rare: only cases near or past their date), then resolve.
    for (const doc of docs) {
      try {
        if (warningFor(doc, ref, now)) await raiseWarning(this.store, ref, doc, now);
      } catch (err) {
        fail(doc.id, 'deadlineWarnings', err);
      }
    }
    const running = docs.filter((d) => !failures.get(d.id)?.has('deadlineWarnings'));
    try {
      await resolveWarningsOf(this.store, running);
    } catch (err) {
      for (const d of running.filter(clockStopped)) fail(d.id, 'deadlineWarnings', err);
    }

    // Dead letters: record failures, resolve open letters of jobs that now succeeded.
    const letterDocs: DeadLetterDoc[] = [];
    const at = hubNowIso();
    for (const { doc, seq } of items) {
      for (const job of JOBS) {
        const existing = letters.get(letterId(doc.id, job));
        const err = failures.get(doc.id)?.get(job);
        if (err === undefined) {
          if (existing && !existing.resolved) {
            letterDocs.push({ ...existing, resolved: true, lastAt: at });
          }
          continue;
        }
        const code = err instanceof DomainError ? err.code : 'JOB_FAILED';
        const message =
          err instanceof DomainError
            ? err.messageZh
            : err instanceof Error
              ? err.message
              : String(err);
        letterDocs.push(
          existing
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
                _id: letterId(doc.id, job),
                type: 'dead_letter',
                caseId: doc.id,
                job,
                seq,
                code,
                message,
                attempts: 1,
                firstAt: at,
                lastAt: at,
                resolved: false,
              },
        );
      }
    }
    if (letterDocs.length > 0) {
      const answers = await withStoreRetry(() =>
        this.store.db<DeadLetterDoc>('hub').bulk({ docs: letterDocs }),
      );
      // A letter changed meanwhile (rare: one processor holds the lease): one at a time.
      for (const a of answers) {
        if (a.error !== 'conflict') continue;
        const d = letterDocs.find((l) => l._id === a.id)!;
        const err = failures.get(d.caseId)?.get(d.job as JobName);
        if (err === undefined) await resolveDeadLetter(this.store, d.caseId, d.job);
        else await recordDeadLetter(this.store, d.caseId, d.job, d.seq, err);
      }
    }
  }

  private async readLetters(caseIds: string[]): Promise<Map<string, DeadLetterDoc>> {
    let keys = caseIds.flatMap((id) => JOBS.map((job) => letterId(id, job)));
    // Letters are rare: one range read of their ids (one iterator) instead of three key
    // lookups a case (the embedded store opens an iterator per key; 1,500 a batch), then the
    // documents of the few that concern this batch. Many letters: look the keys up instead.
    const listed = await withStoreRetry(() =>
      this.store.db('hub').list({
        startkey: LETTER_ID_PREFIX,
        endkey: `${LETTER_ID_PREFIX}\ufff0`,
        limit: LETTER_LIST_MAX + 1,
      }),
    );
    if (listed.rows.length <= LETTER_LIST_MAX) {
      const existing = new Set(listed.rows.map((r) => r.id));
      keys = keys.filter((k) => existing.has(k));
      if (keys.length === 0) return new Map();
    }
    const body = await withStoreRetry(() =>
      this.store.db<DeadLetterDoc>('hub').fetch({ keys }, { include_docs: true }),
    );
    const out = new Map<string, DeadLetterDoc>();
    for (const row of body.rows) {
      const doc = 'doc' in row ? (row.doc as DeadLetterDoc | null) : null;
      if (doc && doc.type === 'dead_letter') out.set(doc._id, doc);
    }
    return out;
  }

  /** One `_bulk_docs`; 409s are expected and kept, other per-document errors reported. */
  private async bulkWrite<D extends { _id: string }>(
    db: 'cases' | 'tickets',
    docs: D[],
    onError: (id: string, err: unknown) => void,
  ): Promise<void> {
    if (docs.length === 0) return;
    const answers = await withStoreRetry(() => this.store.db<D>(db).bulk({ docs }));
    if (db === 'cases') rememberWrites(docs as unknown as Array<Record<string, unknown>>, answers);
    for (const a of answers) {
      if (a.error && a.error !== 'conflict') {
        onError(a.id, new Error(`${a.error}: ${a.reason ?? ''}`));
      }
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
