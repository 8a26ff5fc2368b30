/**
 * The workflow runner: follows the cases database's `_changes` feed from a durable checkpoint
 * and runs the registered jobs (jobs/index.ts: official number, deadlines, warnings, 差评
 * tickets — one module each, `{ name, appliesTo, run }`) on every changed case. Jobs are
 * idempotent (deterministic ids, reserved numbers, compare-before-write), so replaying a
 * stretch of the feed after a crash is harmless, and independent: a job failing on a case is
 * that job's dead letter, the others still run and the feed moves on. Only the lease holder
 * processes; other hub processes stand by. When the calendar changes, provisional deadlines
 * are recomputed (calendarRecompute.ts); from November the hub's log warns while next year's
 * calendar is missing.
 */
import {
  calendarCoverage,
  chinaDate,
  DEADLINE_CLOCK_STATUSES,
  type ItDeadLetterRetry,
} from '@sibantong/shared';
import { hubNow, hubNowIso } from '../clock.js';
import type { RefData } from '../domain/refData.js';
import { isStoreDown, statusOf, withStoreRetry, type Store } from '../store/store.js';
import {
  calendarKey,
  casesToRecompute,
  readCalendarMark,
  writeCalendarMark,
  type StoredCase,
} from './calendarRecompute.js';
import {
  failedLetter,
  LETTER_ID_PREFIX,
  letterId,
  openDeadLetters,
  recordDeadLetter,
  resolveDeadLetter,
} from './deadLetters.js';
import { openLettersById, requestRetry, runRequestedRetries, runRetry } from './deadLetterRetry.js';
import { deadlineWarningsJob, warningRecord, writeWarnings } from './jobs/deadlineWarnings.js';
import {
  RETIRED_JOB_NAMES,
  WORKFLOW_JOBS,
  type CasePatch,
  type JobContext,
  type JobResult,
  type WorkflowJob,
} from './jobs/index.js';
import { hubCalendarStatus, type HubCalendarStatus } from './calendarStatus.js';
import { Lease } from './lease.js';
import { CHECKPOINT_ID, type CheckpointDoc, type DeadLetterDoc } from './workflowDocs.js';
import type { DeviceTraffic } from '../sync/deviceTraffic.js';
import { rememberWrites } from '../sync/writtenCases.js';
import { superviseProjects } from '../projects/projectWarnings.js';

interface ChangeRow {
  id: string;
  seq: unknown;
  doc?: StoredCase;
  deleted?: boolean;
}

export interface ProcessorOptions {
  followUpDays: number;
  warningIntervalMs: number;
  /** When given, each batch waits (boundedly) while devices are pushing (deviceTraffic.ts). */
  deviceTraffic?: DeviceTraffic;
  log?: (msg: string) => void;
  /** The jobs to run (default: the registry, jobs/index.ts); tests pass their own. */
  jobs?: readonly WorkflowJob[];
}

export interface ProcessorStatus {
  active: boolean;
  lastProcessedSeq: string | null;
}

/** Changes handled together (one read of the hub's records, one write per kind). */
const BATCH = 500;
/**
 * The batch once a read came back full (a backlog: after a storm, a restore): each batch
 * costs about ten round trips to the store whatever its size, and after a storm the embedded
 * store sat a quarter idle between them (bench/findings.md, "The storm's numbering").
 */
const BACKLOG_BATCH = 2_000;
/**
 * The batch when devices are still pushing after the wait below: a small bite, so that in a
 * reconnection storm the store serves the devices' pushes first (and the case rewrites, each
 * of which every device of the village must pull again, come mostly after the burst, in full
 * batches). Still far more than steady traffic creates (≈ 50 cases/s).
 */
const BUSY_BATCH = 100;
/** Up to this many letters in the store, a batch lists their ids rather than looks up its own. */
const LETTER_LIST_MAX = 5_000;

/** Records the periodic deadline scan raises with one write. */
const SCAN_RAISE_CHUNK = 500;
/** How long calendarStatus() reuses its answer. */
const CALENDAR_STATUS_MS = 60_000;

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
  /** The last read of the feed came back full: read more at once. */
  private behindFeed = false;
  private leaseTimer: NodeJS.Timeout | null = null;
  private scanTimer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly jobs: readonly WorkflowJob[];
  /** Names whose letters a batch reads and resolves: registered jobs and retired ones. */
  private readonly letterJobs: readonly string[];
  /** Set when reference data changed: the calendar may have (see recheckCalendar). */
  private calendarDirty = true;
  private rechecking = false;
  private retrying = false;
  private unsubscribe: (() => void) | null = null;
  private calendarStatusCache: { at: number; value: Promise<HubCalendarStatus> } | null = null;
  /** China date the calendar coverage was last logged for (once a day at most). */
  private coverageLoggedOn: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly ref: RefData,
    private readonly opts: ProcessorOptions,
  ) {
    this.lease = new Lease(store);
    this.jobs = opts.jobs ?? WORKFLOW_JOBS;
    const names = this.jobs.map((j) => j.name);
    if (new Set(names).size !== names.length) {
      throw new Error(`workflow: job registered twice (${names.join(', ')})`);
    }
    this.letterJobs = [...names, ...RETIRED_JOB_NAMES.filter((n) => !names.includes(n))];
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
      await this.calendarTick();
      await this.retryTick();
    };
    this.unsubscribe = this.ref.onInvalidate(() => {
      this.calendarDirty = true;
      void this.calendarTick();
    });
    void tick();
    this.leaseTimer = setInterval(() => void tick(), 5_000);
    this.scanTimer = setInterval(() => {
      if (this.active) void this.scanDeadlines().catch(() => undefined);
    }, this.opts.warningIntervalMs);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    if (this.scanTimer) clearInterval(this.scanTimer);
    await this.lease.release();
  }

  /**
   * Lease holder only: after a change of reference data (and at start), recompute what a
   * calendar change concerns; once a China day, log the calendar warning (November on, next
   * year missing). Failures are retried on the next tick.
   */
  private async calendarTick(): Promise<void> {
    if (!this.active || this.stopped || this.rechecking) return;
    this.rechecking = true;
    try {
      if (this.calendarDirty) {
        this.calendarDirty = false;
        try {
          await this.recheckCalendar();
        } catch (err) {
          this.calendarDirty = true;
          if (!isStoreDown(err)) this.opts.log?.(`workflow: calendar recheck: ${String(err)}`);
        }
      }
      const today = chinaDate(hubNow());
      if (this.coverageLoggedOn !== today) {
        const coverage = calendarCoverage((await this.ref.get()).calendar, hubNow());
        this.coverageLoggedOn = today;
        if (coverage.warning) this.opts.log?.(`workflow: 警告：${coverage.warning.messageZh}`);
      }
    } catch {
      // the store is down: next tick
    } finally {
      this.rechecking = false;
    }
  }

  /**
   * IT's retry of dead letters (ids, or every open one). The lease holder runs the jobs on
   * their cases now and says what happened; another process leaves a request for the holder,
   * which runs it on its next lease tick (deadLetterRetry.ts). Unknown or resolved ids are
   * refused (DEAD_LETTER_NOT_FOUND) before anything runs.
   */
  async retryDeadLetters(ids: string[] | 'all'): Promise<ItDeadLetterRetry[]> {
    const letters =
      ids === 'all' ? await openDeadLetters(this.store) : await openLettersById(this.store, ids);
    if (!this.active) {
      await requestRetry(this.store, letters);
      return letters.map((l) => ({ id: l._id, caseId: l.caseId, job: l.job, outcome: 'queued' }));
    }
    return runRetry(this.store, letters, (items) => this.processBatch(items));
  }

  /** Lease holder only: runs the retries other processes asked for (none: one range read). */
  private async retryTick(): Promise<void> {
    if (!this.active || this.stopped || this.retrying) return;
    this.retrying = true;
    try {
      await runRequestedRetries(this.store, (items) => this.processBatch(items));
    } catch (err) {
      if (!isStoreDown(err)) this.opts.log?.(`workflow: dead letter retry: ${String(err)}`);
    } finally {
      this.retrying = false;
    }
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
        const limit = this.opts.deviceTraffic?.busy()
          ? BUSY_BATCH
          : this.behindFeed
            ? BACKLOG_BATCH
            : BATCH;
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
        this.behindFeed = body.results.length >= limit;
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
   * Runs the registered jobs on a batch of changed cases (each case once), one after the
   * other and independently: each gets the cases it applies to, and one job failing on a
   * case never keeps another from running on it. Reads the batch's dead letters with one
   * `_all_docs`; writes every job's case fields with one `_bulk_docs` (one update per case)
   * and the letters with one more. A job that fails on a case is that case's dead letter;
   * store outages propagate (the batch is retried from the durable checkpoint; every job is
   * idempotent).
   */
  processBatch(items: Array<{ doc: StoredCase; seq: string }>): Promise<void> {
    return this.serial(() => this.runBatch(items));
  }

  private async runBatch(items: Array<{ doc: StoredCase; seq: string }>): Promise<void> {
    if (items.length === 0) return;
    const ctx: JobContext = {
      store: this.store,
      ref: await this.ref.get(),
      now: hubNow(),
      followUpDays: this.opts.followUpDays,
    };
    const docs = items.map((i) => i.doc);
    const letters = await this.readLetters(docs.map((d) => d.id));
    const failures = new Map<string, Map<string, unknown>>();
    const fail = (caseId: string, job: string, err: unknown) => {
      if (isStoreDown(err)) throw err;
      const m = failures.get(caseId) ?? new Map<string, unknown>();
      m.set(job, err);
      failures.set(caseId, m);
    };
    /** Per case: the fields to set and the jobs that asked for them. */
    const patches = new Map<string, { patch: CasePatch; jobs: string[] }>();

    for (const job of this.jobs) {
      const mine = docs.filter((d) => job.appliesTo(d));
      if (mine.length === 0) continue;
      let result: JobResult;
      try {
        result = await job.run(mine, ctx);
      } catch (err) {
        for (const d of mine) fail(d.id, job.name, err);
        continue;
      }
      for (const [caseId, err] of result.failures ?? []) fail(caseId, job.name, err);
      for (const [caseId, patch] of result.patches ?? []) {
        const entry = patches.get(caseId) ?? { patch: {}, jobs: [] };
        Object.assign(entry.patch, patch);
        entry.jobs.push(job.name);
        patches.set(caseId, entry);
      }
    }
    await this.writePatches(docs, patches, fail);
    await this.writeLetters(items, letters, failures);
  }

  /** One `_bulk_docs` with every patched case; a write error is each contributing job's. */
  private async writePatches(
    docs: StoredCase[],
    patches: Map<string, { patch: CasePatch; jobs: string[] }>,
    fail: (caseId: string, job: string, err: unknown) => void,
  ): Promise<void> {
    if (patches.size === 0) return;
    const at = hubNowIso();
    const updates = docs
      .filter((d) => patches.has(d.id))
      .map((d) => ({ ...d, ...patches.get(d.id)!.patch, updatedAt: at }));
    const answers = await withStoreRetry(() =>
      this.store.db<StoredCase>('cases').bulk({ docs: updates }),
    );
    rememberWrites(updates as unknown as Array<Record<string, unknown>>, answers);
    for (const a of answers) {
      // 409: a push landed meanwhile; its change comes later in the feed and is handled then.
      if (!a.error || a.error === 'conflict') continue;
      const err = new Error(`${a.error}: ${a.reason ?? ''}`);
      for (const job of patches.get(a.id)?.jobs ?? []) fail(a.id, job, err);
    }
  }

  /** Records the batch's failures and resolves open letters of jobs that now succeeded. */
  private async writeLetters(
    items: Array<{ doc: StoredCase; seq: string }>,
    letters: Map<string, DeadLetterDoc>,
    failures: Map<string, Map<string, unknown>>,
  ): Promise<void> {
    const letterDocs: DeadLetterDoc[] = [];
    const at = hubNowIso();
    for (const { doc, seq } of items) {
      for (const job of this.letterJobs) {
        const existing = letters.get(letterId(doc.id, job)) ?? null;
        const err = failures.get(doc.id)?.get(job);
        if (err !== undefined) {
          letterDocs.push(failedLetter(existing, doc.id, job, seq, err, at));
        } else if (existing && !existing.resolved) {
          letterDocs.push({ ...existing, resolved: true, lastAt: at });
        }
      }
    }
    if (letterDocs.length === 0) return;
    const answers = await withStoreRetry(() =>
      this.store.db<DeadLetterDoc>('hub').bulk({ docs: letterDocs }),
    );
    // A letter changed meanwhile (rare: one processor holds the lease): one at a time.
    for (const a of answers) {
      if (a.error !== 'conflict') continue;
      const d = letterDocs.find((l) => l._id === a.id)!;
      const err = failures.get(d.caseId)?.get(d.job);
      if (err === undefined) await resolveDeadLetter(this.store, d.caseId, d.job);
      else await recordDeadLetter(this.store, d.caseId, d.job, d.seq, err);
    }
  }

  /**
   * Recomputes the cases a calendar change concerns (provisional deadlines, open dead
   * letters) when the calendar differs from the one the last recomputation used. Returns the
   * number of cases run through the jobs (0 when the calendar is unchanged).
   */
  async recheckCalendar(): Promise<number> {
    const ref = await this.ref.get();
    const mark = await readCalendarMark(this.store);
    if (mark?.key === calendarKey(ref)) return 0;
    const docs = await casesToRecompute(this.store);
    for (let i = 0; i < docs.length; i += BATCH) {
      await this.processBatch(docs.slice(i, i + BATCH).map((doc) => ({ doc, seq: 'calendar' })));
    }
    await writeCalendarMark(this.store, ref);
    this.calendarStatusCache = null;
    if (docs.length > 0) {
      this.opts.log?.(
        `workflow: 节假日表已更新（${ref.calendar.years.join('、')} 年），重新计算了 ${docs.length} 件暂估期限或出错的办件`,
      );
    }
    return docs.length;
  }

  /** Runs work one piece at a time (feed batches and calendar rechecks write the same cases). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  private async readLetters(caseIds: string[]): Promise<Map<string, DeadLetterDoc>> {
    let keys = caseIds.flatMap((id) => this.letterJobs.map((job) => letterId(id, job)));
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

  /** Periodic deadline scan (and on demand from the admin API). */
  async scanDeadlines(): Promise<number> {
    const ref = await this.ref.get();
    // One equality query per running status: a `$in` is no index range (pouchdb-find, Mango),
    // so it read every case of the county through the status index.
    const found = await Promise.all(
      DEADLINE_CLOCK_STATUSES.map((status) =>
        withStoreRetry(() =>
          this.store.db<StoredCase>('cases').find({ selector: { status }, limit: 100_000 }),
        ),
      ),
    );
    const now = hubNow();
    const due = found.flatMap((f) => f.docs).flatMap((doc) => warningRecord(doc, ref, now) ?? []);
    let raised = 0;
    for (let i = 0; i < due.length; i += SCAN_RAISE_CHUNK) {
      const result = await writeWarnings(this.store, due.slice(i, i + SCAN_RAISE_CHUNK));
      raised += result.raised;
      for (const [caseId, err] of result.refused)
        await recordDeadLetter(this.store, caseId, deadlineWarningsJob.name, 'scan', err);
    }
    // Major projects' 督办 (projects/projectWarnings.ts): latest starts pass with time too.
    try {
      raised += (await superviseProjects(this.store, ref)).raised;
    } catch (err) {
      if (isStoreDown(err)) throw err;
      this.opts.log?.(`project supervision scan failed: ${String(err)}`);
    }
    return raised;
  }

  /**
   * The calendar's state for IT (years covered, the November warning, cases with provisional
   * deadlines), for /api/health details or an IT screen. The provisional count is a query over
   * accepted cases, so the answer is reused for a minute (and refreshed after a recheck).
   */
  async calendarStatus(): Promise<HubCalendarStatus> {
    const now = Date.now();
    if (!this.calendarStatusCache || now - this.calendarStatusCache.at > CALENDAR_STATUS_MS) {
      const value = hubCalendarStatus(this.store, await this.ref.get());
      this.calendarStatusCache = { at: now, value };
      value.catch(() => {
        if (this.calendarStatusCache?.value === value) this.calendarStatusCache = null;
      });
    }
    return this.calendarStatusCache.value;
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
