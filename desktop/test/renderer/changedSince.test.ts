import { describe, expect, it } from 'vitest';
import {
  fillWithDefaultSettings,
  getChangedDocumentsSinceQuery,
  now,
  prepareQuery,
  randomToken,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageDefaultCheckpoint,
  type RxStorageInstance,
} from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { exactChangedSinceStorage } from '../../src/renderer/db/changedSince';

interface Doc {
  id: string;
  n: number;
}
const schema = fillWithDefaultSettings<Doc>({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 40 }, n: { type: 'number' } },
  required: ['id', 'n'],
} as RxJsonSchema<Doc>);

type Instance = RxStorageInstance<Doc, unknown, unknown, RxStorageDefaultCheckpoint>;

async function open(): Promise<Instance> {
  return (await exactChangedSinceStorage(getRxStorageDexie()).createStorageInstance<Doc>({
    databaseInstanceToken: randomToken(10),
    databaseName: `changed-${randomToken(8)}`,
    collectionName: 'docs',
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
  })) as Instance;
}

const stored = (id: string, n: number, deleted = false): RxDocumentData<Doc> => ({
  id,
  n,
  _deleted: deleted,
  _attachments: {},
  _rev: `${n}-a`,
  _meta: { lwt: now() },
});

/** RxDB's own answer: its Mango query, planned and filtered as RxDB does without the range. */
async function byQuery(inst: Instance, limit: number, cp?: RxStorageDefaultCheckpoint) {
  const q = prepareQuery(schema, getChangedDocumentsSinceQuery(inst, limit, cp));
  return (await inst.query(q)).documents.map((d) => d.id);
}

describe('changes since a checkpoint, as one index range', () => {
  it('returns exactly what RxDB’s query returns, from every checkpoint, ties of write time included', async () => {
    const inst = await open();
    // One bulk write gives all its documents the same write time (a pull page does this).
    await inst.bulkWrite(
      Array.from({ length: 300 }, (_, i) => ({
        document: stored(`c${String(i).padStart(4, '0')}`, 1),
      })),
      'test',
    );
    await inst.bulkWrite(
      Array.from({ length: 50 }, (_, i) => ({ document: stored(`b${i}`, 1) })),
      'test',
    );
    // A deletion and an edit later: both are changes the upstream must see.
    const [c7] = await inst.findDocumentsById(['c0007'], false);
    await inst.bulkWrite([{ previous: c7, document: { ...stored('c0007', 2, true) } }], 'test');
    const [c9] = await inst.findDocumentsById(['c0009'], false);
    await inst.bulkWrite([{ previous: c9, document: { ...stored('c0009', 2) } }], 'test');

    const all: string[] = [];
    let cp: RxStorageDefaultCheckpoint | undefined;
    for (;;) {
      const page = await inst.getChangedDocumentsSince!(40, cp);
      expect(page.documents.map((d) => d.id)).toEqual(await byQuery(inst, 40, cp));
      if (page.documents.length === 0) {
        expect(page.checkpoint).toEqual(cp ?? { id: '', lwt: 0 });
        break;
      }
      all.push(...page.documents.map((d) => d.id));
      cp = page.checkpoint;
    }
    // Every document once, the deleted one included, the edited ones in their new place.
    expect(all).toHaveLength(350);
    expect(new Set(all).size).toBe(350);
    expect(all.slice(-2)).toEqual(['c0007', 'c0009']);
    // From a checkpoint in the middle of a tie: the rest of the tie, then later writes.
    const mid = await inst.getChangedDocumentsSince!(1000, { id: 'c0150', lwt: cp!.lwt - 1e9 });
    expect(mid.documents.map((d) => d.id)).toEqual(
      await byQuery(inst, 1000, { id: 'c0150', lwt: cp!.lwt - 1e9 }),
    );
    const [first] = (await inst.findDocumentsById(['c0150'], false)) as RxDocumentData<Doc>[];
    const inTie = await inst.getChangedDocumentsSince!(1000, {
      id: 'c0150',
      lwt: first!._meta.lwt,
    });
    expect(inTie.documents.map((d) => d.id)).toEqual(
      await byQuery(inst, 1000, { id: 'c0150', lwt: first!._meta.lwt }),
    );
    expect(inTie.documents[0]!.id).toBe('c0151');
    await inst.remove();
  });
});
