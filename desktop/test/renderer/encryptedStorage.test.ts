import { afterEach, describe, expect, it } from 'vitest';
import {
  createRxDatabase,
  type RxCollection,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageInstance,
} from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedKeyEncryptionCryptoJsStorage } from 'rxdb/plugins/encryption-crypto-js';
import type { CaseDoc } from '@sibantong/shared';
import { caseDoc, ev } from './caseFixtures';
import { openDatabase, type AppDatabase } from '../../src/renderer/db/database';
import { caseSchema } from '../../src/renderer/db/schemas';
import { storedSchema } from '../../src/renderer/db/encryptedStorage';
import { withLocalFields } from '../../src/renderer/db/localFields';

const KEY = 'test-data-key-0123456789abcdef';
let open: AppDatabase[] = [];

afterEach(async () => {
  for (const db of open) if (!db.closed) await db.close();
  open = [];
});

type Raw = Record<string, unknown>;

/** The Dexie storage under every wrapper: what IndexedDB really holds. */
function rawInstance(collection: {
  storageInstance: unknown;
}): RxStorageInstance<Raw, unknown, unknown> {
  let inst = collection.storageInstance as { originalStorageInstance?: unknown };
  while (inst.originalStorageInstance) inst = inst.originalStorageInstance as typeof inst;
  return inst as unknown as RxStorageInstance<Raw, unknown, unknown>;
}

async function rawDoc(db: AppDatabase, id: string): Promise<Raw> {
  const [doc] = await rawInstance(db.cases).findDocumentsById([id], false);
  if (!doc) throw new Error(`no stored ${id}`);
  return doc as Raw;
}

const newDeviceId = (tag: string) =>
  `dev-enc-${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;

describe('citizens’ data at rest (AES-GCM field encryption)', () => {
  it('stores the applicant only as ciphertext and reads it back as plaintext', async () => {
    const db = await openDatabase(newDeviceId('a'), KEY);
    open.push(db);
    await db.cases.insert(caseDoc('e1'));
    const stored = await rawDoc(db, 'e1');
    expect(typeof stored.applicant).toBe('string');
    expect(stored.applicant as string).toMatch(/^g1:[A-Za-z0-9+/=]+$/);
    // Neither the ID number nor the phone appear anywhere in the stored document.
    const json = JSON.stringify(stored);
    expect(json).not.toContain('11010519491231002X');
    expect(json).not.toContain('"phone"');
    // Two writes of the same applicant are not recognisable as equal (random IV).
    await db.cases.insert(caseDoc('e2'));
    expect((await rawDoc(db, 'e2')).applicant).not.toBe(stored.applicant);

    const back = (await db.cases.findOne('e1').exec())!.toJSON() as CaseDoc;
    expect(back.applicant).toEqual(caseDoc('e1').applicant);
    // The fields lists query by stay in the clear (they are not personal identifiers).
    expect(stored.holderUnitId).toBe('v1');
  });

  it('survives an update, a reopen and a query after the memo is gone', async () => {
    const id = newDeviceId('b');
    let db = await openDatabase(id, KEY);
    open.push(db);
    await db.cases.insert(caseDoc('u1'));
    const doc = await db.cases.findOne('u1').exec();
    await doc!.incrementalModify((d) => ({
      ...d,
      applicant: { ...d.applicant, phone: '13800001111' },
      events: [...d.events, ev('accept')],
    }));
    await db.close();
    db = await openDatabase(id, KEY);
    open.push(db);
    const [found] = await db.cases.find({ selector: { holderUnitId: 'v1' } }).exec();
    expect((found!.toJSON() as CaseDoc).applicant).toMatchObject({ phone: '13800001111' });
    expect((found!.toJSON() as CaseDoc).events).toHaveLength(2);
  });

  it('refuses a stored value that was altered or moved to another case, with a coded error', async () => {
    const id = newDeviceId('c');
    let db = await openDatabase(id, KEY);
    open.push(db);
    await db.cases.bulkInsert([caseDoc('t1'), caseDoc('t2')]);
    const name = db.name;
    const t1 = await rawDoc(db, 't1');
    const t2 = await rawDoc(db, 't2');
    await db.close();
    // Someone edits the IndexedDB files while the app is closed: t1's (valid) ciphertext is
    // copied into t2, and one character of t1's own ciphertext is changed.
    const raw = await getRxStorageDexie().createStorageInstance<Raw>({
      databaseInstanceToken: 'tamper',
      databaseName: name,
      collectionName: 'cases',
      schema: storedSchema(caseSchema) as unknown as RxJsonSchema<RxDocumentData<Raw>>,
      options: {},
      multiInstance: false,
      devMode: false,
    });
    const c1 = t1.applicant as string;
    const flipped = `${c1.slice(0, 10)}${c1[10] === 'A' ? 'B' : 'A'}${c1.slice(11)}`;
    const rewrite = (doc: Raw, applicant: string) => ({
      previous: doc as RxDocumentData<Raw>,
      document: {
        ...doc,
        applicant,
        _rev: `9-${'f'.repeat(32)}`,
        _meta: { lwt: Date.now() },
      } as unknown as RxDocumentData<Raw>,
    });
    const res = await raw.bulkWrite([rewrite(t2, c1), rewrite(t1, flipped)], 'test');
    expect(res.error).toEqual([]);
    await raw.close();

    db = await openDatabase(id, KEY);
    open.push(db);
    for (const caseId of ['t1', 't2']) {
      const err = await db.cases
        .findOne(caseId)
        .exec()
        .then(
          () => null,
          (e: unknown) => e as { code?: string; messageZh?: string },
        );
      expect(err?.code).toBe('LOCAL_DATA_UNREADABLE');
      expect(err?.messageZh).toContain('无法解密');
    }
  });

  it('reads values written by the crypto-js scheme of earlier versions and rewrites them in the new form', async () => {
    const id = newDeviceId('d');
    const name = `sibantong-${id.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
    // A database as version 0.1 left it: same schema, RxDB's crypto-js wrapper.
    const old = await createRxDatabase<{ cases: RxCollection<CaseDoc> }>({
      name,
      storage: wrappedKeyEncryptionCryptoJsStorage({ storage: getRxStorageDexie() }),
      password: KEY,
      multiInstance: false,
    });
    await old.addCollections({ cases: { schema: caseSchema as RxJsonSchema<CaseDoc> } });
    await old.cases.bulkInsert([withLocalFields(caseDoc('l1')), withLocalFields(caseDoc('l2'))]);
    await old.close();

    const db = await openDatabase(id, KEY);
    open.push(db);
    expect((await rawDoc(db, 'l1')).applicant as string).toMatch(/^U2FsdGVkX1/);
    const l1 = await db.cases.findOne('l1').exec();
    expect((l1!.toJSON() as CaseDoc).applicant).toEqual(caseDoc('l1').applicant);
    await l1!.incrementalModify((d) => ({ ...d, events: [...d.events, ev('accept')] }));
    expect((await rawDoc(db, 'l1')).applicant as string).toMatch(/^g1:/);
    // The untouched case keeps its old form and is still readable.
    expect((await rawDoc(db, 'l2')).applicant as string).toMatch(/^U2FsdGVkX1/);
    expect(((await db.cases.findOne('l2').exec())!.toJSON() as CaseDoc).applicant.name).toBe(
      '张三',
    );
  });

  it('will not open the database with another key', async () => {
    const id = newDeviceId('e');
    const db = await openDatabase(id, KEY);
    await db.cases.insert(caseDoc('k1'));
    await db.close();
    await expect(openDatabase(id, 'another-key-0123456789abcdef')).rejects.toMatchObject({
      code: 'DB1',
    });
  });
});
