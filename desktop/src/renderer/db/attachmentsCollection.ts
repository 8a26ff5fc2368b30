/**
 * Attached files on this PC (docs/materials.md): two collections, so that listing a case's
 * files never decrypts their bytes.
 * - `attachments`: what is known of each file (shared AttachmentMeta) and where its upload
 *   stands: `pending` (attached here, not yet at the hub), `uploaded`, `refused` (the hub's
 *   code and message kept and shown), `remote` (attached elsewhere, listed from the hub).
 *   The file name is encrypted at rest (it may carry a citizen's name).
 * - `attachmentFiles`: the bytes (base64), encrypted at rest with the device's data key, the
 *   same AES-GCM field sealing as every case (encryptedStorage.ts). A remote file's bytes
 *   arrive when someone opens it, and stay for offline viewing.
 * Added after the database opens (App.tsx), like the project collections: 6 + 2 + 2 = 10 of
 * RxDB free's 13 per process.
 */
import type { RxCollection, RxJsonSchema } from 'rxdb';
import { attachmentMetaSchema, type AttachmentMeta } from '@sibantong/shared';
import type { AppDatabase } from './database';

export type UploadState = 'pending' | 'uploaded' | 'refused' | 'remote';

export interface LocalAttachment extends AttachmentMeta {
  upload: UploadState;
  /** The hub's refusal (code and Chinese message), when `upload` is `refused`. */
  refusedCode: string;
  refusedMessage: string;
}

export interface AttachmentFile {
  id: string;
  data: string;
}

const shared = JSON.parse(JSON.stringify(attachmentMetaSchema)) as {
  properties: Record<string, unknown>;
  required: string[];
};

export const attachmentSchema: RxJsonSchema<LocalAttachment> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    ...shared.properties,
    id: { type: 'string', maxLength: 160 },
    caseId: { type: 'string', maxLength: 140 },
    attachedAt: { type: 'string', maxLength: 40 },
    upload: { type: 'string', maxLength: 10 },
    refusedCode: { type: 'string' },
    refusedMessage: { type: 'string' },
  } as RxJsonSchema<LocalAttachment>['properties'],
  required: [...shared.required, 'upload'] as RxJsonSchema<LocalAttachment>['required'],
  indexes: [
    ['caseId', 'attachedAt'],
    ['upload', 'attachedAt'],
  ],
  encrypted: ['fileName'],
};

export const attachmentFileSchema: RxJsonSchema<AttachmentFile> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 160 }, data: { type: 'string' } },
  required: ['id', 'data'],
  encrypted: ['data'],
};

export interface AttachmentStore {
  attachments: RxCollection<LocalAttachment>;
  attachmentFiles: RxCollection<AttachmentFile>;
}

export function attachmentStoreOf(db: AppDatabase): AttachmentStore | null {
  const all = db.collections as unknown as Partial<AttachmentStore>;
  return all.attachments && all.attachmentFiles
    ? { attachments: all.attachments, attachmentFiles: all.attachmentFiles }
    : null;
}

/** Adds the attachment collections to an open database (idempotent); returns the database. */
export async function addAttachmentCollections(db: AppDatabase): Promise<AppDatabase> {
  if (attachmentStoreOf(db)) return db;
  await db.addCollections({
    attachments: { schema: attachmentSchema },
    attachmentFiles: { schema: attachmentFileSchema },
  } as unknown as Parameters<AppDatabase['addCollections']>[0]);
  return db;
}
