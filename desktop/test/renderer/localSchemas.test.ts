import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createRxDatabase, type RxCollection, type RxJsonSchema } from 'rxdb';
import { checkSchema } from 'rxdb/plugins/dev-mode';
import {
  DEMO_COUNTY,
  DEMO_MATTERS,
  REPLICATED_COLLECTIONS,
  SEED_CALENDAR_YEARS,
  matterToDoc,
  type CaseDoc,
} from '@sibantong/shared';
import { openDatabase, productStorage, type AppDatabase } from '../../src/renderer/db/database';
import {
  calendarSchema,
  caseSchema,
  matterSchema,
  orgUnitSchema,
  ticketSchema,
} from '../../src/renderer/db/schemas';
import { LOCAL_CASE_FIELDS } from '../../src/renderer/db/localFields';
import { caseDoc, ev } from './caseFixtures';

/**
 * The client's RxDB schemas are the shared schemas (the objects the hub validates pushes with)
 * plus local index fields: the claim of docs/decisions.md. A schema change without a version
 * bump would make RxDB refuse to open existing databases (DB6), so each version's hash is
 * pinned here; and the step from the previous versions keeps every document.
 */
type Props = Record<string, unknown>;
const local = {
  cases: caseSchema,
  matters: matterSchema,
  orgUnits: orgUnitSchema,
  calendars: calendarSchema,
  tickets: ticketSchema,
} as const;

describe('local schemas are built from the shared ones', () => {
  it.each(Object.keys(local) as (keyof typeof local)[])(
    '%s: same properties and required fields as shared, plus local ones only',
    (name) => {
      const shared = REPLICATED_COLLECTIONS[name] as unknown as {
        properties: Props;
        required: string[];
      };
      const mine = local[name] as unknown as { properties: Props; required: string[] };
      for (const [field, def] of Object.entries(shared.properties)) {
        // The one local narrowing: the name's index key is 100 characters (see schemas.ts).
        if (name === 'cases' && field === 'applicantName')
          expect(mine.properties[field]).toEqual({ ...(def as object), maxLength: 100 });
        else expect(mine.properties[field], field).toEqual(def);
      }
      const extra = Object.keys(mine.properties).filter((f) => !(f in shared.properties));
      expect(extra).toEqual(name === 'cases' ? [...LOCAL_CASE_FIELDS] : []);
      expect(mine.required).toEqual(expect.arrayContaining(shared.required));
    },
  );

  it.each(Object.keys(local) as (keyof typeof local)[])('%s passes RxDB’s own check', (name) => {
    expect(() => checkSchema(JSON.parse(JSON.stringify(local[name])) as never)).not.toThrow();
  });

  it('changes only with a new version (hashes pinned per version)', () => {
    const hash = (s: unknown) =>
      createHash('sha256').update(JSON.stringify(s)).digest('hex').slice(0, 16);
    const now = Object.fromEntries(
      Object.entries(local).map(([n, s]) => [n, `${s.version}:${hash(s)}`]),
    );
    // On a deliberate change: bump the version in schemas.ts, add a migration strategy that
    // keeps every document, extend the migration test below, then update this line.
    expect(now).toEqual(PINNED);
  });
});

const PINNED = {
  cases: '5:c5a03ac9fcf49723',
  matters: '1:4881e31a1d257601',
  orgUnits: '1:d3bb771ef3c777cf',
  calendars: '1:aebc382831a41f90',
  tickets: '1:4a3c0bd878bc2fdd',
};

let open: AppDatabase[] = [];
afterEach(async () => {
  for (const db of open) await db.close();
  open = [];
});

/** The case schema as version 3 had it (a loose copy of the shared one), for the migration. */
const CASE_SCHEMA_V3 = {
  version: 3,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 120 },
    provisionalNo: { type: 'string', maxLength: 50 },
    officialNo: { type: ['string', 'null'] },
    matterCode: { type: 'string' },
    originUnitId: { type: 'string', maxLength: 100 },
    townId: { type: 'string', maxLength: 100 },
    holderUnitId: { type: 'string', maxLength: 100 },
    handlerUserId: { type: ['string', 'null'] },
    assistingDeptIds: { type: 'array', items: { type: 'string' } },
    status: { type: 'string', maxLength: 32 },
    applicantName: { type: 'string', maxLength: 100 },
    applicantIdDigest: { type: 'string', maxLength: 64 },
    applicantIdMasked: { type: 'string' },
    applicant: { type: 'object' },
    events: { type: 'array', items: { type: 'object' } },
    deadlines: { type: ['object', 'null'] },
    formerUnitIds: { type: 'array', items: { type: 'string' } },
    updatedAt: { type: 'string', maxLength: 40 },
    open: { type: 'boolean' },
    recency: { type: 'string', maxLength: 16 },
    due: { type: 'string', maxLength: 12 },
    officialKey: { type: 'string', maxLength: 60 },
  },
  required: [
    'id',
    'events',
    'provisionalNo',
    'originUnitId',
    'townId',
    'holderUnitId',
    'status',
    'applicantName',
    'applicantIdDigest',
    'updatedAt',
    'open',
    'recency',
    'due',
    'officialKey',
  ],
  indexes: [
    ['holderUnitId', 'open', 'recency'],
    ['holderUnitId', 'status', 'recency'],
    ['townId', 'open', 'recency'],
    ['status', 'recency'],
    ['open', 'recency'],
    ['open', 'due', 'recency'],
    ['originUnitId', 'recency'],
    'provisionalNo',
    'officialKey',
    'applicantName',
    'applicantIdDigest',
    'recency',
  ],
  encrypted: ['applicant'],
};
/** Reference collections before version 1: only the id was declared. */
const REF_SCHEMA_V0 = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 200 } },
  required: ['id'],
};

describe('migration to the shared schemas keeps every document', () => {
  it('opens a database as version 3 left it, with every case and reference document', async () => {
    const deviceId = `dev-s-${Date.now()}`;
    type Any = RxCollection<Record<string, unknown>>;
    const old = await createRxDatabase<Record<string, Any>>({
      name: `sibantong-${deviceId.toLowerCase().replace(/[^a-z0-9]/g, '')}`,
      storage: productStorage(),
      password: 'test-data-key-0123456789abcdef',
      multiInstance: false,
    });
    const ref = { schema: REF_SCHEMA_V0 as RxJsonSchema<Record<string, unknown>> };
    await old.addCollections({
      cases: { schema: CASE_SCHEMA_V3 as unknown as RxJsonSchema<Record<string, unknown>> },
      matters: ref,
      orgUnits: ref,
      calendars: ref,
      tickets: ref,
    });
    const withLocal = (d: CaseDoc) => ({
      ...d,
      open: true,
      recency: '0',
      due: '',
      officialKey: '',
    });
    // Among them documents the shared schema would refuse today (a phone of one digit, a
    // reference document with fields the schema does not know): kept all the same.
    await old.cases!.bulkInsert([
      withLocal(caseDoc('k1')),
      withLocal(caseDoc('k2', { status: 'processing', events: [ev('receive'), ev('accept')] })),
    ]);
    const matters = DEMO_MATTERS.slice(0, 3).map(
      (m) => ({ ...matterToDoc(m, '2026-11-01T00:00:00.000Z', DEMO_COUNTY) }) as Props,
    );
    await old.matters!.bulkInsert([
      ...matters,
      { id: 'legacy-matter', name: '旧事项', timeLimits: {} },
    ]);
    await old.orgUnits!.bulkInsert(DEMO_COUNTY.map((u) => ({ ...u })));
    await old.calendars!.bulkInsert(SEED_CALENDAR_YEARS.map((t) => ({ id: String(t.year), ...t })));
    await old.tickets!.bulkInsert([{ id: 't1', caseId: 'k1', status: 'open' }]);
    await old.close();

    const db = await openDatabase(deviceId, 'test-data-key-0123456789abcdef');
    open.push(db);
    expect(await db.cases.count().exec()).toBe(2);
    expect(await db.matters.count().exec()).toBe(4);
    expect(await db.orgUnits.count().exec()).toBe(DEMO_COUNTY.length);
    expect(await db.calendars.count().exec()).toBe(SEED_CALENDAR_YEARS.length);
    expect(await db.tickets.count().exec()).toBe(1);
    const k2 = (await db.cases.findOne('k2').exec())!.toJSON();
    expect(k2.applicant.name).toBe('张三');
    // The migration recomputed the local fields (k2 is accepted: awaiting the hub's date).
    expect((k2 as unknown as { due: string }).due).toBe('awaiting-hub');
    expect((await db.matters.findOne('legacy-matter').exec())?.toJSON()).toMatchObject({
      name: '旧事项',
    });
  });
});
