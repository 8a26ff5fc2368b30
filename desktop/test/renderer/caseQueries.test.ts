import { afterEach, describe, expect, it } from 'vitest';
import { createRxDatabase, type RxCollection, type RxJsonSchema } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedKeyEncryptionCryptoJsStorage } from 'rxdb/plugins/encryption-crypto-js';
import type { CaseDoc, CaseStatus } from '@sibantong/shared';
import { caseDoc, ev } from './caseFixtures';
import { openDatabase, type AppDatabase } from '../../src/renderer/db/database';
import {
  allOpen,
  answeredBy,
  awaitingHubDeadline,
  dueCases,
  hubDue,
  heldOpen,
  badlyRated,
  byStatuses,
  heldByStatuses,
  OPEN_STATUSES,
  PENDING_UPLOAD,
  searchQueries,
  townElsewhere,
  touchedSince,
  type CaseQuery,
} from '../../src/renderer/db/caseQueries';

const KEY = 'test-data-key-0123456789abcdef';
let open: AppDatabase[] = [];

afterEach(async () => {
  for (const db of open) await db.close();
  open = [];
});

async function ids(db: AppDatabase, queries: CaseQuery[]): Promise<string[]> {
  const all = new Set<string>();
  for (const q of queries) for (const d of await db.cases.find(q).exec()) all.add(d.id);
  return [...all].sort();
}

async function explainIndex(db: AppDatabase, q: CaseQuery): Promise<string[]> {
  // The query planner's choice: proves the list reads an index range, not the whole table.
  const plan = (
    db.cases.find(q) as unknown as { getPreparedQuery(): { queryPlan: { index: string[] } } }
  ).getPreparedQuery().queryPlan;
  return plan.index;
}

describe('indexed case queries (schema v2)', () => {
  it('answers each list with index ranges and returns the right rows', async () => {
    const db = await openDatabase(`dev-q-${Date.now()}`, KEY);
    open.push(db);
    const s = (status: CaseStatus) => ({ status });
    await db.cases.bulkInsert([
      caseDoc('c01', { updatedAt: '2026-11-01T01:00:00.000Z' }),
      caseDoc('c02', { ...s('correction_required'), updatedAt: '2026-11-02T01:00:00.000Z' }),
      caseDoc('c03', { ...s('concluded_approved'), updatedAt: '2026-11-03T01:00:00.000Z' }),
      caseDoc('c04', { ...s('result_delivered') }),
      caseDoc('c05', { ...s('processing'), holderUnitId: 't1' }),
      caseDoc('c06', { ...s('processing'), holderUnitId: 't1', handlerUserId: 'lead' }),
      caseDoc('c07', { ...s('processing'), holderUnitId: 'centre', assistingDeptIds: ['d1'] }),
      caseDoc('c08', {
        ...s('evaluated'),
        events: [
          ev('receive'),
          ev('assistance_reply', {}, { departmentId: 'd1' }),
          ev('rate', {}, { level: 5 }),
        ],
      }),
      caseDoc('c09', { ...s('evaluated'), events: [ev('receive'), ev('rate', {}, { level: 1 })] }),
      caseDoc('c10', {
        originUnitId: 'v2',
        holderUnitId: 'v2',
        townId: 't2',
        events: [ev('receive', { hubTime: undefined })],
        applicantName: '李四',
        updatedAt: '2026-11-20T01:00:00.000Z',
      }),
    ]);

    // 村居: held here, by status (holder+status+updatedAt index).
    expect(await ids(db, heldByStatuses('v1', ['correction_required']))).toEqual(['c02']);
    expect(
      await ids(
        db,
        heldByStatuses('v1', ['concluded_approved', 'concluded_denied', 'result_delivered']),
      ),
    ).toEqual(['c03', 'c04']);
    expect(await explainIndex(db, heldByStatuses('v1', ['correction_required'])[0]!)).toEqual([
      '_deleted',
      'holderUnitId',
      'status',
      'recency',
      'id',
    ]);
    // Open cases held by a unit: one index range whose order is the list's order, so the
    // storage stops after `limit` rows.
    expect(await ids(db, [heldOpen('t1')])).toEqual(['c05', 'c06']);
    const heldPlan = (
      db.cases.find(heldOpen('v1', 2)) as unknown as {
        getPreparedQuery(): { queryPlan: { index: string[]; sortSatisfiedByIndex: boolean } };
      }
    ).getPreparedQuery().queryPlan;
    expect(heldPlan.index).toEqual(['_deleted', 'holderUnitId', 'open', 'recency', 'id']);
    expect(heldPlan.sortSatisfiedByIndex).toBe(true);
    const heldPage = await db.cases.find(heldOpen('v1', 2)).exec();
    expect(heldPage.map((d) => d.id)).toEqual(['c02', 'c01']);
    expect(await ids(db, [allOpen()])).toEqual(['c01', 'c02', 'c05', 'c06', 'c07', 'c10']);
    // Touched today (index recency).
    expect(await ids(db, [touchedSince('2026-11-20')])).toEqual(['c10']);
    expect(await explainIndex(db, touchedSince('2026-11-20'))).toEqual([
      '_deleted',
      'recency',
      'id',
    ]);
    // 村居 今日收件: only the cases received at this village (index originUnitId+recency).
    expect(await ids(db, [touchedSince('2026-11-20', 'v2')])).toEqual(['c10']);
    expect(await ids(db, [touchedSince('2026-11-20', 'v1')])).toEqual([]);
    expect(await explainIndex(db, touchedSince('2026-11-20', 'v2'))).toEqual([
      '_deleted',
      'originUnitId',
      'recency',
      'id',
    ]);

    // 镇街: held by the town and open, split by handler; and the town's other open cases.
    const townHeld = await db.cases.find(heldByStatuses('t1', OPEN_STATUSES)[4]!).exec();
    expect(townHeld.map((d) => d.id).sort()).toEqual(['c05', 'c06']);
    expect(await ids(db, heldByStatuses('t1', OPEN_STATUSES))).toEqual(['c05', 'c06']);
    expect(await ids(db, [townElsewhere('t1')])).toEqual(['c01', 'c02', 'c07']);

    // 中心 and 部门.
    expect(await ids(db, heldByStatuses('centre', OPEN_STATUSES))).toEqual(['c07']);
    expect(
      await ids(
        db,
        byStatuses(OPEN_STATUSES, 50, { assistingDeptIds: { $elemMatch: { $eq: 'd1' } } }),
      ),
    ).toEqual(['c07']);
    expect(await ids(db, [answeredBy('d1')])).toEqual(['c08']);

    // 督办: open cases, counted from the status index; 差评.
    expect(await ids(db, byStatuses(OPEN_STATUSES))).toEqual([
      'c01',
      'c02',
      'c05',
      'c06',
      'c07',
      'c10',
    ]);
    let running = 0;
    for (const status of OPEN_STATUSES)
      running += await db.cases.count({ selector: { status } }).exec();
    expect(running).toBe(6);
    expect(await ids(db, [badlyRated()])).toEqual(['c08']);

    // Status bar: only cases with an event not yet stamped by the hub.
    expect(await ids(db, [PENDING_UPLOAD])).toEqual(['c10']);

    // Search: number prefix, name prefix, ID digest, official number, with status filter.
    expect(await ids(db, searchQueries('LS-V1-c0', undefined, 50, null))).toHaveLength(9);
    expect(await ids(db, searchQueries('ls-v1-', undefined, 50, null))).toHaveLength(10);
    expect(await ids(db, searchQueries('李', undefined, 50, null))).toEqual(['c10']);
    expect(await ids(db, searchQueries('张三', 'processing', 50, null))).toEqual([
      'c05',
      'c06',
      'c07',
    ]);
    expect(await ids(db, searchQueries('x', undefined, 50, ['a'.repeat(64)]))).toHaveLength(10);
    expect(await ids(db, searchQueries('', 'evaluated', 50, null))).toEqual(['c08', 'c09']);
    // Pages: the list reads `limit` rows, newest first.
    const first = await db.cases.find(searchQueries('', undefined, 3, null)[0]!).exec();
    expect(first.map((d) => d.id)).toEqual(['c10', 'c03', 'c02']);
    // Decryption still works for the rows read.
    expect(first[0]!.toJSON().applicant.name).toBe('张三');
  });

  it('reads overdue and due-soon cases as ranges of the promised date, with exact counts', async () => {
    const db = await openDatabase(`dev-due-${Date.now()}`, KEY);
    open.push(db);
    const dl = (promisedDue: string) => ({
      startDate: '2026-11-01',
      legalDue: promisedDue,
      promisedDue,
      computedAt: '2026-11-01T03:00:00.000Z',
    });
    const accepted = [ev('receive'), ev('accept')];
    await db.cases.bulkInsert([
      caseDoc('d1', { status: 'processing', events: accepted, deadlines: dl('2026-11-25') }),
      caseDoc('d2', { status: 'processing', events: accepted, deadlines: dl('2026-11-30') }),
      caseDoc('d3', { status: 'accepted', events: accepted, deadlines: dl('2026-12-01') }),
      caseDoc('d4', { status: 'accepted', events: accepted, deadlines: dl('2026-12-03') }),
      caseDoc('d5', { status: 'accepted', events: accepted, deadlines: dl('2026-12-20') }),
      // Finished: never due, whatever its date.
      caseDoc('d6', { status: 'result_delivered', events: accepted, deadlines: dl('2026-11-02') }),
      // Accepted here, not yet dated by the hub; and received only (no deadline runs).
      caseDoc('d7', {
        status: 'accepted',
        events: [ev('receive', { hubTime: undefined }), ev('accept', { hubTime: undefined })],
      }),
      caseDoc('d8', { status: 'received' }),
    ]);
    const overdue = dueCases({ before: '2026-12-01' });
    const soon = dueCases({ from: '2026-12-01', through: '2026-12-04' });
    expect((await db.cases.find(overdue).exec()).map((d) => d.id)).toEqual(['d1', 'd2']);
    expect((await db.cases.find(soon).exec()).map((d) => d.id)).toEqual(['d3', 'd4']);
    expect((await db.cases.find(awaitingHubDeadline()).exec()).map((d) => d.id)).toEqual(['d7']);
    // One index range, in the list's order: the storage stops after the page.
    const plan = (
      db.cases.find(overdue) as unknown as {
        getPreparedQuery(): { queryPlan: { index: string[]; sortSatisfiedByIndex: boolean } };
      }
    ).getPreparedQuery().queryPlan;
    expect(plan.index).toEqual(['_deleted', 'open', 'due', 'recency', 'id']);
    expect(plan.sortSatisfiedByIndex).toBe(true);
    // RxDB counts only selectors an index answers fully: these are.
    expect(await db.cases.count({ selector: hubDue({ before: '2026-12-01' }) }).exec()).toBe(2);
    expect(await db.cases.count({ selector: hubDue({ through: '2026-12-04' }) }).exec()).toBe(4);
    // The hub dates d7 later: it moves into the ranges on that write.
    const d7 = await db.cases.findOne('d7').exec();
    await d7!.incrementalPatch({ deadlines: dl('2026-11-28') });
    expect((await db.cases.find(overdue).exec()).map((d) => d.id)).toEqual(['d1', 'd7', 'd2']);
    expect(await db.cases.find(awaitingHubDeadline()).exec()).toEqual([]);
  });

  it('finds a case by its official number through an index (nullable officialNo is not indexable)', async () => {
    const db = await openDatabase(`dev-off-${Date.now()}`, KEY);
    open.push(db);
    await db.cases.bulkInsert([
      caseDoc('o1', { officialNo: 'SX-2026-000123' }),
      caseDoc('o2', { officialNo: 'SX-2026-000124' }),
      caseDoc('o3'),
    ]);
    expect(await ids(db, searchQueries('SX-2026-000123', undefined, 50, null))).toEqual(['o1']);
    expect(await ids(db, searchQueries('sx-2026-00012', undefined, 50, null))).toEqual([
      'o1',
      'o2',
    ]);
    const official = searchQueries('SX-2026-000123', undefined, 50, null).find(
      (q) => 'officialKey' in (q.selector ?? {}),
    )!;
    expect(await explainIndex(db, official)).toEqual(['_deleted', 'officialKey', 'id']);
    // The hub binds a number later: the case becomes findable by it on that write.
    await (await db.cases.findOne('o3').exec())!.incrementalPatch({ officialNo: 'SX-2026-000200' });
    expect(await ids(db, searchQueries('SX-2026-000200', undefined, 50, null))).toEqual(['o3']);
  });

  it('migrates a version-0 database (no indexes) without losing cases', async () => {
    const deviceId = `dev-m-${Date.now()}`;
    const v0 = await createRxDatabase<{ cases: RxCollection<CaseDoc> }>({
      name: `sibantong-${deviceId.toLowerCase().replace(/[^a-z0-9]/g, '')}`,
      storage: wrappedKeyEncryptionCryptoJsStorage({ storage: getRxStorageDexie() }),
      password: KEY,
      multiInstance: false,
    });
    const oldSchema = {
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: {
        id: { type: 'string', maxLength: 120 },
        applicant: { type: 'object' },
        events: { type: 'array', items: { type: 'object' } },
      },
      required: ['id', 'events'],
      encrypted: ['applicant'],
    } as unknown as RxJsonSchema<CaseDoc>;
    await v0.addCollections({ cases: { schema: oldSchema } });
    await v0.cases.bulkInsert([
      caseDoc('m1', { status: 'correction_required' }),
      caseDoc('m2', { events: [ev('receive', { hubTime: undefined })] }),
    ]);
    await v0.close();

    const db = await openDatabase(deviceId, KEY);
    open.push(db);
    expect(await db.cases.count().exec()).toBe(2);
    expect(await ids(db, heldByStatuses('v1', ['correction_required']))).toEqual(['m1']);
    // Version 2's derived fields were added by the migration (both cases are open).
    expect(await ids(db, [heldOpen('v1')])).toEqual(['m1', 'm2']);
    expect(await ids(db, [PENDING_UPLOAD])).toEqual(['m2']);
    const m1 = await db.cases.findOne('m1').exec();
    expect(m1?.toJSON().applicant.name).toBe('张三');
  });
});
