/**
 * The workflow's job registry and runner on a real store (the embedded store the hub uses,
 * and CouchDB when COUCHDB_URL is set): every job module registered once, and jobs running
 * independently — a deadline job that throws is a dead letter of its own while the official
 * number is still bound, and the letter resolves when the job succeeds again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainError, SEED_CALENDAR_YEARS, type CaseDoc } from '@sibantong/shared';
import { setClockOffset } from '../src/clock.js';
import { RefData } from '../src/domain/refData.js';
import type { Store } from '../src/store/store.js';
import { letterId } from '../src/workflow/deadLetters.js';
import { WORKFLOW_JOBS, type WorkflowJob } from '../src/workflow/jobs/index.js';
import { caseDeadlinesJob } from '../src/workflow/jobs/caseDeadlines.js';
import {
  deadlineWarningsJob,
  resolveWarningsOf,
  type SupervisionRecord,
} from '../src/workflow/jobs/deadlineWarnings.js';
import { officialNumberJob } from '../src/workflow/jobs/officialNumber.js';
import { WorkflowProcessor } from '../src/workflow/processor.js';
import type { DeadLetterDoc } from '../src/workflow/workflowDocs.js';
import { MATTER_LEGAL_AID, newCase, villageAuthor, withEvent } from './helpers/cases.js';
import { storeModes } from './helpers/hubProcess.js';
import { openTestStore, type TestStore } from './helpers/testStore.js';

const JOBS_DIR = fileURLToPath(new URL('../src/workflow/jobs/', import.meta.url));

describe('workflow job registry', () => {
  it('registers every job module exactly once, under distinct names', async () => {
    const names = WORKFLOW_JOBS.map((j) => j.name);
    expect(new Set(names).size).toBe(names.length);
    const modules = readdirSync(JOBS_DIR).filter(
      (f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'jobTypes.ts',
    );
    expect(modules.length).toBe(WORKFLOW_JOBS.length);
    for (const file of modules) {
      const mod = (await import(path.join(JOBS_DIR, file))) as Record<string, unknown>;
      const jobs = Object.values(mod).filter(
        (v): v is WorkflowJob =>
          typeof v === 'object' && v !== null && 'appliesTo' in v && 'run' in v && 'name' in v,
      );
      expect(jobs, file).toHaveLength(1);
      expect(
        WORKFLOW_JOBS.filter((j) => j === jobs[0]),
        file,
      ).toHaveLength(1);
    }
    expect(names).toEqual(
      expect.arrayContaining(['officialNumber', 'caseDeadlines', 'deadlineWarnings']),
    );
  });

  it('refuses a job registered twice', () => {
    const store = {} as Store;
    expect(
      () =>
        new WorkflowProcessor(store, new RefData(store), {
          followUpDays: 5,
          warningIntervalMs: 60_000,
          jobs: [officialNumberJob, caseDeadlinesJob, officialNumberJob],
        }),
    ).toThrow(/registered twice/);
  });
});

describe.each(storeModes())('workflow runner on the %s store', (mode) => {
  let opened: TestStore;
  let store: Store;

  beforeAll(async () => {
    opened = await openTestStore(mode, 'jobs');
    store = opened.store;
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
  });

  async function stored(doc: CaseDoc): Promise<CaseDoc & { _id: string; _rev: string }> {
    const db = store.db<CaseDoc>('cases');
    await db.insert({ _id: doc.id, ...doc });
    return (await db.get(doc.id)) as CaseDoc & { _id: string; _rev: string };
  }

  async function letter(caseId: string, job: string): Promise<DeadLetterDoc | null> {
    return store
      .db<DeadLetterDoc>('hub')
      .get(letterId(caseId, job))
      .catch(() => null);
  }

  it('binds the official number although the deadline job throws, and letters only that job', async () => {
    let broken = true;
    const flakyDeadlines: WorkflowJob = {
      name: 'caseDeadlines',
      appliesTo: () => true,
      run: (docs, ctx) => {
        if (broken) throw new DomainError('CALENDAR_INVALID', '节假日表损坏（测试）');
        return caseDeadlinesJob.run(docs, ctx);
      },
    };
    const processor = new WorkflowProcessor(store, new RefData(store), {
      followUpDays: 5,
      warningIntervalMs: 60_000,
      jobs: [flakyDeadlines, officialNumberJob],
    });
    const v = villageAuthor();
    const a = await stored(withEvent(v, await newCase(v), 'accept', {}));
    const b = await stored(await newCase(v));
    await processor.processBatch([
      { doc: a, seq: '1' },
      { doc: b, seq: '2' },
    ]);

    const [afterA, afterB] = await Promise.all(
      [a, b].map((d) => store.db<CaseDoc>('cases').get(d.id)),
    );
    expect(afterA!.officialNo).toMatch(/^XX-\d{4}-\d{6}$/);
    expect(afterB!.officialNo).toMatch(/^XX-\d{4}-\d{6}$/);
    expect(afterA!.officialNo).not.toBe(afterB!.officialNo);
    expect(await letter(a.id, 'caseDeadlines')).toMatchObject({
      code: 'CALENDAR_INVALID',
      resolved: false,
      attempts: 1,
    });
    expect(await letter(a.id, 'officialNumber')).toBeNull();

    // The job works again: the next change of the case runs it and resolves the letter; the
    // number, already bound, stays.
    broken = false;
    const again = (await store.db<CaseDoc>('cases').get(a.id)) as CaseDoc & {
      _id: string;
      _rev: string;
    };
    await processor.processBatch([{ doc: again, seq: '3' }]);
    expect(await letter(a.id, 'caseDeadlines')).toMatchObject({ resolved: true });
    const final = await store.db<CaseDoc>('cases').get(a.id);
    expect(final.officialNo).toBe(afterA!.officialNo);
  });

  it('writes every job’s fields of a case in one update', async () => {
    const processor = new WorkflowProcessor(store, new RefData(store), {
      followUpDays: 5,
      warningIntervalMs: 60_000,
      jobs: [officialNumberJob, caseDeadlinesJob],
    });
    await store
      .db('matters')
      .insert({ _id: MATTER_LEGAL_AID, code: MATTER_LEGAL_AID, legalDays: 7, promisedDays: 3 });
    const v = villageAuthor();
    const doc = await stored(withEvent(v, await newCase(v), 'accept', {}));
    await processor.processBatch([{ doc, seq: '1' }]);
    const after = await store.db<CaseDoc>('cases').get(doc.id);
    expect(after.officialNo).toBeTruthy();
    // This store holds no calendar at all: the deadline is provisional (weekends only), not
    // an error, and it does not stop the number.
    expect(after.deadlines).toMatchObject({ legalDue: expect.any(String), provisional: true });
    expect(Number(after._rev!.split('-')[0])).toBe(2);
  });

  it('raises the due records of a batch with one write, once however often it runs', async () => {
    const v = villageAuthor();
    // Wednesday 2026-11-04 in China: due soon through Friday the 6th, overdue before the 4th.
    const now = new Date('2026-11-04T02:00:00Z');
    const withDue = (doc: CaseDoc, promisedDue: string): CaseDoc => ({
      ...doc,
      deadlines: {
        startDate: '2026-11-02',
        legalDue: '2026-11-20',
        promisedDue,
        computedAt: '2026-11-02T02:00:00.000Z',
      },
    });
    const accepted = async () => withEvent(v, await newCase(v), 'accept', {});
    const soon = withDue(await accepted(), '2026-11-05');
    const late = withDue(await accepted(), '2026-11-02');
    const far = withDue(await accepted(), '2026-12-18');
    const done = withDue(
      withEvent(v, await accepted(), 'conclude', { outcome: 'approved', opinion: '符合条件' }),
      '2026-11-05',
    );
    const ctx = { store, ref: await new RefData(store).get(), now, followUpDays: 5 };
    const batch = [soon, late, far, done];
    const first = await deadlineWarningsJob.run(batch, ctx);
    const again = await deadlineWarningsJob.run(batch, ctx);
    expect(first.failures?.size ?? 0).toBe(0);
    expect(again.failures?.size ?? 0).toBe(0);

    const ids = batch.map((d) => d.id);
    const records = (
      await store.db<SupervisionRecord>('supervision').list({
        include_docs: true,
        startkey: 'sv:',
        endkey: 'sv:\ufff0',
      })
    ).rows
      .map((r) => r.doc!)
      .filter((d) => ids.includes(d.caseId));
    expect(records.map((r) => [r.caseId, r.kind, r.dueDate, r._rev?.slice(0, 2)]).sort()).toEqual(
      [
        [soon.id, 'due_soon', '2026-11-05', '1-'],
        [late.id, 'overdue', '2026-11-02', '1-'],
      ].sort(),
    );
    expect(records.every((r) => r.resolved === false && r.unitId === soon.holderUnitId)).toBe(true);
  });

  it('resolves the open 督办 records of every case whose clock stopped in a batch, and no other', async () => {
    const v = villageAuthor();
    const accepted = async () => withEvent(v, await newCase(v), 'accept', {});
    const concluded = await Promise.all(
      [0, 1, 2].map(async () =>
        withEvent(v, await accepted(), 'conclude', { outcome: 'approved', opinion: '符合条件' }),
      ),
    );
    const running = await accepted();
    const record = (caseId: string, kind: 'due_soon' | 'overdue', dueDate: string) => {
      const id = `sv:${kind}:${dueDate}:${caseId}`;
      return {
        _id: id,
        id,
        caseId,
        kind,
        dueDate,
        issuedAt: '2026-11-02T02:00:00.000Z',
        unitId: 'village-dq-01',
        resolved: false,
        note: '请督办',
        hubScope: ['village-dq-01'],
      };
    };
    // Each concluded case: a record of its first promised date and one of a later date (an
    // extension); the first case also has one resolved long ago, whose note must stay.
    const docs = concluded.flatMap((c) => [
      record(c.id, 'due_soon', '2026-11-03'),
      record(c.id, 'overdue', '2026-11-10'),
    ]);
    docs.push({ ...record(concluded[0]!.id, 'overdue', '2026-10-01'), resolved: true, note: '旧' });
    docs.push(record(running.id, 'overdue', '2026-11-10'));
    // Records of other cases, which a lookup of these cases must neither read nor touch.
    for (let i = 0; i < 50; i += 1) docs.push(record(`other-${i}`, 'overdue', '2026-11-10'));
    const db = store.db<(typeof docs)[number]>('supervision');
    await db.bulk({ docs });

    expect(await resolveWarningsOf(store, [...concluded, running])).toBe(6);

    const after = await db.list({ include_docs: true, startkey: 'sv:', endkey: 'sv:\ufff0' });
    const byId = new Map(after.rows.map((r) => [r.id, r.doc!]));
    for (const c of concluded)
      for (const id of [`sv:due_soon:2026-11-03:${c.id}`, `sv:overdue:2026-11-10:${c.id}`])
        expect(byId.get(id)).toMatchObject({
          resolved: true,
          note: '办件已办结或终止，预警自动解除',
        });
    expect(byId.get(`sv:overdue:2026-10-01:${concluded[0]!.id}`)).toMatchObject({ note: '旧' });
    expect(byId.get(`sv:overdue:2026-11-10:${running.id}`)).toMatchObject({ resolved: false });
    const others = [...byId.values()].filter((d) => d.caseId.startsWith('other-'));
    expect(others).toHaveLength(50);
    expect(others.every((d) => !d.resolved && d._rev?.startsWith('1-'))).toBe(true);
    // Nothing left to resolve: a second pass writes nothing.
    expect(await resolveWarningsOf(store, concluded)).toBe(0);
  });

  it('recomputes provisional deadlines once the calendar has the year, also with no hub running then', async () => {
    // Hub time fixed in March 2026; this store holds no calendar, so the deadline is provisional.
    setClockOffset(Date.parse('2026-03-02T02:00:00Z') - Date.now());
    try {
      const processor = new WorkflowProcessor(store, new RefData(store), {
        followUpDays: 5,
        warningIntervalMs: 60_000,
      });
      const v = villageAuthor();
      const accepted = withEvent(v, await newCase(v), 'accept', {});
      // As the hub stamped it on receipt (hub time): accepted on 2026-03-02, China date.
      const doc = await stored({
        ...accepted,
        events: accepted.events.map((e) => ({ ...e, hubTime: '2026-03-02T02:00:00.000Z' })),
      });
      await processor.processBatch([{ doc, seq: '1' }]);
      const before = await store.db<CaseDoc>('cases').get(doc.id);
      expect(before.deadlines).toMatchObject({ provisional: true });
      // Marked, so an import finds it without scanning every case.
      expect(await store.db('hub').get(`provisional:${doc.id}`)).toMatchObject({ caseId: doc.id });
      const status = await processor.calendarStatus();
      expect(status).toMatchObject({ years: [], warning: { code: 'CALENDAR_YEAR_MISSING' } });
      expect(status.provisionalCases).toBeGreaterThanOrEqual(1);

      // IT imports the years (here: written straight into the store, as `calendar import`
      // does, with no processor running); a processor that starts afterwards catches up.
      for (const table of SEED_CALENDAR_YEARS) {
        await store
          .db('calendars')
          .insert({ _id: String(table.year), id: String(table.year), ...table });
      }
      const later = new WorkflowProcessor(store, new RefData(store), {
        followUpDays: 5,
        warningIntervalMs: 60_000,
      });
      expect(await later.recheckCalendar()).toBeGreaterThanOrEqual(1);
      const after = await store.db<CaseDoc>('cases').get(doc.id);
      expect(after.deadlines).toMatchObject({ provisional: false, startDate: '2026-03-02' });
      expect(after.officialNo).toBe(before.officialNo);
      await expect(store.db('hub').get(`provisional:${doc.id}`)).rejects.toMatchObject({
        statusCode: 404,
      });
      // Same calendar again: nothing to do.
      expect(await later.recheckCalendar()).toBe(0);
      expect(await later.calendarStatus()).toMatchObject({ years: [2025, 2026] });
    } finally {
      setClockOffset(0);
    }
  });
});
