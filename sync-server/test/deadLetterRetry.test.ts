/**
 * IT's dead letter retry with two workflow processors on one store (two hub processes): the
 * one without the lease never runs jobs, it queues the retry; the lease holder runs it on its
 * next tick and removes the request — failing again while the cause stays, resolving the
 * letter once it is fixed. On the embedded store, and CouchDB when COUCHDB_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, type CaseDoc } from '@sibantong/shared';
import { deadLetterRows } from '../src/admin/itConsole.js';
import { RefData } from '../src/domain/refData.js';
import type { Store } from '../src/store/store.js';
import { letterId } from '../src/workflow/deadLetters.js';
import type { WorkflowJob } from '../src/workflow/jobs/index.js';
import { WorkflowProcessor } from '../src/workflow/processor.js';
import type { DeadLetterDoc } from '../src/workflow/workflowDocs.js';
import { newCase, villageAuthor } from './helpers/cases.js';
import { waitFor } from './helpers/client.js';
import { storeModes } from './helpers/hubProcess.js';
import { openTestStore, type TestStore } from './helpers/testStore.js';

describe.each(storeModes())('dead letter retry across processes on the %s store', (mode) => {
  let opened: TestStore;
  let store: Store;

  beforeAll(async () => {
    opened = await openTestStore(mode, 'retry');
    store = opened.store;
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
  });

  it('the process without the lease queues; the holder runs the retry and removes the request', async () => {
    let broken = true;
    const flaky: WorkflowJob = {
      name: 'caseDeadlines',
      appliesTo: () => true,
      run: async () => {
        if (broken) throw new DomainError('CALENDAR_INVALID', '节假日表损坏（测试）');
        return {};
      },
    };
    const make = () =>
      new WorkflowProcessor(store, new RefData(store), {
        followUpDays: 5,
        warningIntervalMs: 60_000,
        jobs: [flaky],
        log: () => undefined,
      });
    const holder = make();
    const other = make();
    holder.start();
    try {
      await waitFor(async () => holder.status().active, 15_000);
      other.start();
      const doc = await newCase(villageAuthor());
      await store.db<CaseDoc>('cases').insert({ _id: doc.id, ...doc });
      const id = letterId(doc.id, 'caseDeadlines');
      const letter = () => store.db<DeadLetterDoc>('hub').get(id);
      const first = await waitFor(() => letter().catch(() => null), 20_000);
      expect(first).toMatchObject({ code: 'CALENDAR_INVALID', resolved: false });
      expect(other.status().active).toBe(false);

      // Still broken: queued by the other process, run by the holder, fails again.
      expect(await other.retryDeadLetters([id])).toEqual([
        { id, caseId: doc.id, job: 'caseDeadlines', outcome: 'queued' },
      ]);
      expect((await deadLetterRows(store))[0]?.retryQueuedAt).toEqual(expect.any(String));
      await waitFor(async () => (await letter()).attempts > first.attempts, 20_000);
      await waitFor(async () => (await deadLetterRows(store))[0]?.retryQueuedAt === null, 10_000);
      expect((await letter()).resolved).toBe(false);

      // Fixed: the next queued retry resolves the letter.
      broken = false;
      await other.retryDeadLetters('all');
      await waitFor(async () => (await letter()).resolved, 20_000);
      expect(await deadLetterRows(store)).toEqual([]);
      await expect(other.retryDeadLetters([id])).rejects.toMatchObject({
        code: 'DEAD_LETTER_NOT_FOUND',
      });
    } finally {
      await other.stop();
      await holder.stop();
    }
  }, 90_000);
});
