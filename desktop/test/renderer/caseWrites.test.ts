import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chinaDate,
  DEMO_COUNTY,
  DEMO_MATTERS,
  matterToDoc,
  SEED_CALENDAR_YEARS,
  type Actor,
  type CaseDoc,
} from '@sibantong/shared';
import { openDatabase, type AppDatabase } from '../../src/renderer/db/database';
import {
  appendCaseEvents,
  insertCase,
  LocalWriteRefused,
  makeEvent,
} from '../../src/renderer/db/caseWrites';
import {
  buildNewCase,
  type AcceptInput,
  type MaterialLine,
} from '../../src/renderer/features/village/acceptCase';
import { toCatalogueMatter, type CatalogueMatter } from '../../src/renderer/hooks/useReference';

/**
 * Every local write of case events passes the hub's own checks first (db/caseWrites.ts): a
 * refusal carries the hub's Chinese message and leaves the database exactly as it was.
 */
const clerk: Actor = {
  userId: 'u-v-dq01',
  name: '李秀英',
  role: 'village_helper',
  orgUnitId: 'village-dq-01',
};
const writer = { actor: clerk, deviceId: 'dev-w1' };
let db: AppDatabase;
let matter: CatalogueMatter;

beforeEach(async () => {
  localStorage.clear();
  db = await openDatabase(`dev-w-${Date.now()}`, 'k-0123456789abcdef');
  const docs = DEMO_MATTERS.map((m) => matterToDoc(m, '2026-11-01T00:00:00.000Z', DEMO_COUNTY));
  await db.orgUnits.bulkInsert(DEMO_COUNTY.map((u) => ({ ...u })));
  await db.matters.bulkInsert(docs);
  await db.calendars.bulkInsert(SEED_CALENDAR_YEARS.map((t) => ({ id: String(t.year), ...t })));
  matter = docs
    .map(toCatalogueMatter)
    .find(
      (m) =>
        m.villageMode === 'accept_and_forward' &&
        m.materials.some((x) => x.necessity === 'deferrable'),
    )!;
});
afterEach(async () => {
  await db.close();
});

function materials(defer: boolean): MaterialLine[] {
  let done = false;
  return matter.materials.map((x) => {
    const d = defer && !done && x.necessity === 'deferrable';
    done ||= d;
    return {
      materialId: x.id,
      name: x.name,
      necessity: x.necessity,
      originals: 1,
      copies: 0,
      state: d ? 'deferred' : 'received',
    };
  });
}

async function newCase(
  over: Partial<AcceptInput> = {},
  mode: 'accept' | 'inform' = 'accept',
): Promise<CaseDoc> {
  await new Promise((r) => setTimeout(r, 3));
  return buildNewCase(
    {
      matter,
      applicantKind: 'person',
      name: '王小明',
      idNumber: '11010519491231002X',
      phone: '010-01234567',
      legalRepresentative: '',
      byAgent: false,
      agentName: '',
      agentIdNumber: '',
      agentPhone: '',
      agentLetterSigned: false,
      materials: materials(false),
      commitmentDate: null,
      commitmentSigned: false,
      promisedDue: null,
      ...over,
    },
    mode,
    { actor: clerk, deviceId: writer.deviceId, townId: 'town-dq', provisionalNo: 'DQ01-W-0001' },
  );
}

async function refusalOf(p: Promise<unknown>): Promise<LocalWriteRefused> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(LocalWriteRefused);
  return e as LocalWriteRefused;
}

describe(
  'local writes pass the hub’s checks before anything is stored',
  { timeout: 20_000 },
  () => {
    it('stores a case the hub would accept', async () => {
      const doc = await newCase();
      await insertCase(db, doc, writer);
      const stored = await db.cases.findOne(doc.id).exec();
      expect(stored?.status).toBe('accepted');
      expect(stored?.toJSON().applicant.phone).toBe('010-01234567');
    });

    it('refuses a 容缺 due date of today with the hub’s message, and stores nothing', async () => {
      const doc = await newCase({
        materials: materials(true),
        commitmentDate: chinaDate(new Date()),
        commitmentSigned: true,
      });
      const e = await refusalOf(insertCase(db, doc, writer));
      expect(e.code).toBe('INVALID_PAYLOAD');
      expect(e.messageZh).toBe('容缺补交期限须晚于受理日期');
      expect(await db.cases.count().exec()).toBe(0);
    });

    it('refuses a 容缺 due date past the promised time on the synced calendar', async () => {
      const doc = await newCase({
        materials: materials(true),
        commitmentDate: chinaDate(new Date(Date.now() + 400 * 86_400_000)),
        commitmentSigned: true,
      });
      const e = await refusalOf(insertCase(db, doc, writer));
      expect(e.messageZh).toMatch(/容缺/);
      expect(await db.cases.count().exec()).toBe(0);
    });

    it('refuses a case whose "masked" ID is the full number (the shared schema)', async () => {
      const doc = await newCase();
      const e = await refusalOf(
        insertCase(db, { ...doc, applicantIdMasked: doc.applicant.idNumber }, writer),
      );
      expect(e.code).toBe('CASE_SCHEMA_INVALID');
      expect(e.messageZh).toContain('applicantIdMasked');
      expect(await db.cases.count().exec()).toBe(0);
    });

    it('refuses an event the rules do not allow on a stored case and leaves it unchanged', async () => {
      const doc = await newCase();
      await insertCase(db, doc, writer);
      // The case is at the town now: the village may not conclude it.
      const e = await refusalOf(
        appendCaseEvents(db, doc.id, writer, (current) => [
          makeEvent(
            current,
            'conclude',
            { outcome: 'approved', opinion: '准予', deliverAtUnitId: clerk.orgUnitId },
            clerk,
            writer.deviceId,
          ),
        ]),
      );
      expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
      const stored = (await db.cases.findOne(doc.id).exec())!.toJSON() as CaseDoc;
      expect(stored.events.map((x) => x.type)).toEqual(['receive', 'accept', 'forward']);
    });

    it('appends what the rules allow, on top of the case as stored', async () => {
      // 一次性告知: the case stays at the village, which may write to it.
      const missing = materials(false).map((m, i) =>
        i === 0 ? { ...m, state: 'missing' as const } : m,
      );
      const doc = await newCase({ materials: missing }, 'inform');
      await insertCase(db, doc, writer);
      const after = await appendCaseEvents(db, doc.id, writer, (current) => [
        makeEvent(current, 'log', { text: '已电话告知申请人' }, clerk, writer.deviceId),
      ]);
      expect(after.events.map((x) => x.type)).toEqual(['receive', 'inform_missing', 'log']);
      const stored = (await db.cases.findOne(doc.id).exec())!.toJSON() as CaseDoc;
      expect(stored.events).toHaveLength(3);
    });
  },
);
