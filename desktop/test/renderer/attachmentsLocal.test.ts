/**
 * Attached files on the PC: the shared checks run before anything is stored (oversize and
 * wrong type refused with their codes, nothing written), the bytes and the file name are held
 * only as ciphertext in IndexedDB and read back intact, and a new file waits for upload.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RxStorageInstance } from 'rxdb';
import { MAX_ATTACHMENT_BYTES, type SessionUser } from '@sibantong/shared';
import { openDatabase, type AppDatabase } from '../../src/renderer/db/database';
import {
  addAttachmentCollections,
  attachmentStoreOf,
} from '../../src/renderer/db/attachmentsCollection';
import { attachFile, fromBase64 } from '../../src/renderer/db/attachmentWrites';

const KEY = 'test-data-key-0123456789abcdef';
const user = {
  userId: 'vh',
  name: '王帮办',
  role: 'village_helper',
  orgUnitId: 'v1',
} as SessionUser;
let db: AppDatabase | null = null;
afterEach(async () => {
  await db?.close();
  db = null;
});

type Raw = Record<string, unknown>;
function rawInstance(collection: { storageInstance: unknown }) {
  let inst = collection.storageInstance as { originalStorageInstance?: unknown };
  while (inst.originalStorageInstance) inst = inst.originalStorageInstance as typeof inst;
  return inst as unknown as RxStorageInstance<Raw, unknown, unknown>;
}

const jpeg = (n: number) => {
  const b = new Uint8Array(n).fill(0x41);
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b;
};

async function open() {
  db = await addAttachmentCollections(
    await openDatabase(`dev-att-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`, KEY),
  );
  return attachmentStoreOf(db)!;
}

describe('attachments on the PC', { timeout: 30_000 }, () => {
  it('stores a scan encrypted, reads it back intact, and queues it for upload', async () => {
    const store = await open();
    const bytes = jpeg(50_000);
    const a = await attachFile(
      db!,
      { caseId: 'k1', materialId: 'm1', materialName: '身份证', fileName: '张三身份证.jpg', bytes },
      user,
      'dev-1',
    );
    expect(a).toMatchObject({ upload: 'pending', mimeType: 'image/jpeg', size: 50_000 });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.attachedBy).toEqual({ userId: 'vh', name: '王帮办', orgUnitId: 'v1' });

    const [rawFile] = await rawInstance(store.attachmentFiles).findDocumentsById([a.id], false);
    const [rawMeta] = await rawInstance(store.attachments).findDocumentsById([a.id], false);
    const clearB64 = btoa(String.fromCharCode(...bytes.subarray(0, 3000)));
    expect(JSON.stringify(rawFile)).not.toContain(clearB64.slice(0, 400));
    expect(JSON.stringify(rawMeta)).not.toContain('张三身份证');
    const back = await store.attachmentFiles.findOne(a.id).exec();
    expect(fromBase64(back!.data)).toEqual(bytes);
  });

  it('refuses oversize and wrong-type files with their codes and stores nothing', async () => {
    const store = await open();
    const attach = (bytes: Uint8Array) =>
      attachFile(
        db!,
        { caseId: 'k1', materialId: null, materialName: '', fileName: 'x', bytes },
        user,
        'dev-1',
      );
    await expect(attach(jpeg(MAX_ATTACHMENT_BYTES + 1))).rejects.toMatchObject({
      code: 'ATTACHMENT_TOO_LARGE',
    });
    await expect(attach(new TextEncoder().encode('MZ not an image'))).rejects.toMatchObject({
      code: 'ATTACHMENT_TYPE_NOT_ALLOWED',
    });
    expect(await store.attachments.count().exec()).toBe(0);
    expect(await store.attachmentFiles.count().exec()).toBe(0);
  });
});
