/**
 * Materials as files (issue 16): scans, photos and PDFs attached to a case's materials, at any
 * level (village, town, centre, department). One set of rules for the desktop (before it
 * stores a file) and the hub (before it keeps one): size and type limits, with the type read
 * from the file's own first bytes (a renamed .exe is not a PDF), and the metadata's schema.
 * The file travels and is stored apart from the case events, so large files never hold up
 * the event sync (docs/materials.md).
 */
import { makeDocValidator } from '../schemas/schemaValidator.js';
import * as compiled from '../schemas/compiledValidators.js';
import type { Result } from '../errors/domainError.js';

/** One attached file may not exceed this (a scanned page is ≈ 300 KB; a long PDF a few MB). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export const ATTACHMENT_TYPE_LABELS_ZH: Readonly<Record<AttachmentType, string>> = {
  'image/jpeg': 'JPEG 图片',
  'image/png': 'PNG 图片',
  'application/pdf': 'PDF 文件',
};

/** Stable codes of the attachment refusals (desktop and hub). */
export const ATTACHMENT_CODES = {
  ATTACHMENT_TOO_LARGE: '附件过大',
  ATTACHMENT_TYPE_NOT_ALLOWED: '附件类型不允许',
  ATTACHMENT_OUT_OF_SCOPE: '无权为该办件添加或查看附件',
  ATTACHMENT_INVALID: '附件信息不完整或格式不正确',
  ATTACHMENT_CASE_UNKNOWN: '中心尚未收到该办件，附件稍后自动上传',
  ATTACHMENT_NOT_FOUND: '附件不存在或您无权查看',
} as const;
export type AttachmentCode = keyof typeof ATTACHMENT_CODES;

/** Who attached the file, as the hub stamps it from the session (never from the body). */
export interface AttachmentActor {
  userId: string;
  name: string;
  orgUnitId: string;
}

/** What is known of an attached file, without its bytes. */
export interface AttachmentMeta {
  id: string;
  caseId: string;
  /** The material line it belongs to; null: a file of the case (e.g. a department's reply). */
  materialId: string | null;
  /** The material's name as the case listed it ('' for a file of the case). */
  materialName: string;
  fileName: string;
  mimeType: AttachmentType;
  size: number;
  /** SHA-256 of the bytes, hex: the hub checks it, the desktop dedupes by it. */
  sha256: string;
  attachedBy: AttachmentActor;
  /** Device time of the attachment (the hub adds its own `hubTime`). */
  attachedAt: string;
  deviceId: string;
  hubTime?: string;
}

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;

export const attachmentMetaSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'caseId',
    'materialId',
    'materialName',
    'fileName',
    'mimeType',
    'size',
    'sha256',
    'attachedBy',
    'attachedAt',
    'deviceId',
  ],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9:_.-]{1,160}$' },
    caseId: text(140),
    materialId: { type: ['string', 'null'], maxLength: 140 },
    materialName: { type: 'string', maxLength: 200 },
    fileName: text(200),
    mimeType: { type: 'string', enum: [...ATTACHMENT_TYPES] },
    size: { type: 'integer', minimum: 1 },
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    attachedBy: {
      type: 'object',
      additionalProperties: false,
      required: ['userId', 'name', 'orgUnitId'],
      properties: { userId: text(100), name: text(100), orgUnitId: text(100) },
    },
    attachedAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T', maxLength: 40 },
    deviceId: text(140),
    hubTime: { type: 'string', maxLength: 40 },
  },
} as const;

export const checkAttachmentMeta = makeDocValidator<AttachmentMeta>(
  compiled.attachmentMeta,
  '附件信息',
);

/** The type a file really is, from its first bytes (null: none we accept). */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return null;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * The file itself: not empty, within the size limit, and of an allowed type that matches the
 * declared one. The Chinese message says what the user can do about it.
 */
export function checkAttachmentFile(
  bytes: Uint8Array,
  declared: string | null = null,
): Result<AttachmentType> {
  if (bytes.length === 0)
    return { ok: false, code: 'ATTACHMENT_INVALID', messageZh: '文件是空的，请重新扫描或选择' };
  if (bytes.length > MAX_ATTACHMENT_BYTES)
    return {
      ok: false,
      code: 'ATTACHMENT_TOO_LARGE',
      messageZh: `附件过大（${mb(bytes.length)}），单个文件不能超过 ${mb(MAX_ATTACHMENT_BYTES)}；请降低扫描分辨率或分页扫描`,
    };
  const type = sniffAttachmentType(bytes);
  if (!type || (declared !== null && declared !== type))
    return {
      ok: false,
      code: 'ATTACHMENT_TYPE_NOT_ALLOWED',
      messageZh: '只能添加 JPEG、PNG 图片或 PDF 文件（按文件内容判断，改扩展名无效）',
    };
  return { ok: true, value: type };
}

/** URL paths of the hub's attachment routes. */
export const ATTACHMENTS_PATH = '/api/attachments';
export const caseAttachmentsPath = (caseId: string) =>
  `/api/cases/${encodeURIComponent(caseId)}/attachments`;
export const attachmentContentPath = (id: string) =>
  `${ATTACHMENTS_PATH}/${encodeURIComponent(id)}/content`;

/** Body of POST /api/attachments: the metadata and the bytes in base64. */
export interface AttachmentUpload {
  meta: AttachmentMeta;
  dataBase64: string;
}
