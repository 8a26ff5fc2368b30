/**
 * Attaching a file on this PC, offline or not: the shared checks first (size, type read from
 * the bytes), then the bytes and the record are stored encrypted and the record waits for
 * upload (attachmentSync.ts). A refused file is never stored; the form shows why.
 */
import {
  DomainError,
  checkAttachmentFile,
  type AttachmentMeta,
  type SessionUser,
} from '@sibantong/shared';
import type { AppDatabase } from './database';
import { attachmentStoreOf, type LocalAttachment } from './attachmentsCollection';
import { nextCounter } from './caseWrites';

export interface NewAttachment {
  caseId: string;
  materialId: string | null;
  materialName: string;
  fileName: string;
  bytes: Uint8Array;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Stores a new attachment (throws DomainError with the shared code when refused). */
export async function attachFile(
  db: AppDatabase,
  a: NewAttachment,
  user: SessionUser,
  deviceId: string,
  now: Date = new Date(),
): Promise<LocalAttachment> {
  const store = attachmentStoreOf(db);
  if (!store) throw new DomainError('LOCAL_SCHEMA_UNSUPPORTED', '本机附件库未打开');
  const checked = checkAttachmentFile(a.bytes);
  if (!checked.ok) throw new DomainError(checked.code, checked.messageZh);
  const meta: AttachmentMeta = {
    id: `${deviceId}:att:${nextCounter()}`.replace(/[^A-Za-z0-9:_.-]/g, '_'),
    caseId: a.caseId,
    materialId: a.materialId,
    materialName: a.materialName,
    fileName: a.fileName.slice(0, 200) || '扫描件',
    mimeType: checked.value,
    size: a.bytes.length,
    sha256: await sha256Hex(a.bytes),
    attachedBy: { userId: user.userId, name: user.name, orgUnitId: user.orgUnitId },
    attachedAt: now.toISOString(),
    deviceId,
  };
  // The bytes first: a listed file always has its content on this PC.
  await store.attachmentFiles.insert({ id: meta.id, data: toBase64(a.bytes) });
  const doc = await store.attachments.insert({
    ...meta,
    upload: 'pending',
    refusedCode: '',
    refusedMessage: '',
  });
  return doc.toJSON() as LocalAttachment;
}
