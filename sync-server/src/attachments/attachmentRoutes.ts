/**
 * Attachment routes (docs/materials.md), apart from the case sync so that files never hold up
 * case events:
 * - POST /api/attachments — one file with its metadata (JSON, bytes in base64). Judged against
 *   the case as the hub holds it at arrival: the uploader must see the case (shared `canSee`,
 *   the rule of every pull), the file must pass the shared size and type checks (type from
 *   the bytes) and its SHA-256. Who attached it is stamped from the session. Idempotent: the
 *   same id and bytes again answer 200.
 * - GET /api/cases/:caseId/attachments — the metadata of a case's files, for those who see it.
 * - GET /api/attachments/:id/content — the bytes, re-checked against the case's scope now
 *   (`?as=base64`: the same as JSON `{ mimeType, dataBase64 }`).
 * Refusals carry their own codes: ATTACHMENT_TOO_LARGE (413), ATTACHMENT_TYPE_NOT_ALLOWED
 * (415), ATTACHMENT_OUT_OF_SCOPE (403), ATTACHMENT_CASE_UNKNOWN (409: the case's events have
 * not arrived yet; the desktop retries), ATTACHMENT_INVALID (400), ATTACHMENT_NOT_FOUND (404,
 * also for a file outside the caller's scope, so its existence is not revealed).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  ATTACHMENT_CODES,
  ATTACHMENTS_PATH,
  MAX_ATTACHMENT_BYTES,
  canSee,
  checkAttachmentFile,
  checkAttachmentMeta,
  type Actor,
  type AttachmentCode,
  type AttachmentMeta,
  type AttachmentUpload,
  type CaseDoc,
} from '@sibantong/shared';
import type { Hub } from '../hub.js';
import { hubNowIso } from '../clock.js';
import { ApiHttpError } from '../http/apiError.js';
import { requireAuth } from '../http/authGuard.js';
import { isDocId } from '../store/docIds.js';
import { statusOf, withStoreRetry } from '../store/store.js';
import { attachmentsDb, caseKey, fileDocId, metaDocId } from './attachmentsDb.js';

const STATUS: Record<AttachmentCode, number> = {
  ATTACHMENT_TOO_LARGE: 413,
  ATTACHMENT_TYPE_NOT_ALLOWED: 415,
  ATTACHMENT_OUT_OF_SCOPE: 403,
  ATTACHMENT_INVALID: 400,
  ATTACHMENT_CASE_UNKNOWN: 409,
  ATTACHMENT_NOT_FOUND: 404,
};
const refuse = (code: AttachmentCode, message: string = ATTACHMENT_CODES[code]) =>
  new ApiHttpError(STATUS[code], code, message);

/** Room for a file twice the limit in base64, so an oversize file gets its own code. */
const ROUTE_BODY_LIMIT = Math.ceil((MAX_ATTACHMENT_BYTES * 2 * 4) / 3) + 64 * 1024;

interface MetaDoc extends AttachmentMeta {
  _id: string;
  _rev?: string;
  hubTime: string;
}
interface FileDoc {
  _id: string;
  caseId: string;
  mimeType: string;
  data: string;
}

async function caseAtHub(hub: Hub, caseId: string): Promise<CaseDoc | null> {
  if (!isDocId(caseId)) return null;
  try {
    const doc = (await withStoreRetry(() => hub.store.db<CaseDoc>('cases').get(caseId))) as
      (CaseDoc & { _deleted?: boolean }) | null;
    return doc && !doc._deleted ? doc : null;
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

/** The case when `actor` may see it as the hub holds it now; else null. */
async function visibleCase(hub: Hub, actor: Actor, caseId: string): Promise<CaseDoc | null> {
  const doc = await caseAtHub(hub, caseId);
  if (!doc) return null;
  const ref = await hub.ref.get();
  return canSee(actor, doc, ref.org) ? doc : null;
}

const metaOf = (d: MetaDoc): AttachmentMeta => {
  const { _id, _rev, ...meta } = d;
  void _id;
  void _rev;
  return meta;
};

export function registerAttachmentRoutes(app: FastifyInstance, hub: Hub): void {
  app.post<{ Body: AttachmentUpload }>(
    ATTACHMENTS_PATH,
    {
      bodyLimit: ROUTE_BODY_LIMIT,
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['meta', 'dataBase64'],
          properties: {
            meta: { type: 'object' },
            dataBase64: { type: 'string', maxLength: ROUTE_BODY_LIMIT },
          },
        },
      },
    },
    async (request) => {
      const ctx = await requireAuth(hub.auth, request);
      const checked = checkAttachmentMeta(request.body.meta);
      if (!checked.ok) throw refuse('ATTACHMENT_INVALID', checked.messageZh);
      const bytes = Buffer.from(request.body.dataBase64, 'base64');
      const file = checkAttachmentFile(bytes, checked.value.mimeType);
      if (!file.ok) throw refuse(file.code as AttachmentCode, file.messageZh);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (sha256 !== checked.value.sha256 || bytes.length !== checked.value.size)
        throw refuse('ATTACHMENT_INVALID', '附件内容与其摘要或大小不符（传输中损坏），请重新上传');
      const caseDoc = await caseAtHub(hub, checked.value.caseId);
      if (!caseDoc) throw refuse('ATTACHMENT_CASE_UNKNOWN');
      const ref = await hub.ref.get();
      if (!canSee(ctx.user, caseDoc, ref.org)) throw refuse('ATTACHMENT_OUT_OF_SCOPE');

      const { db } = await attachmentsDb<MetaDoc | FileDoc>(hub.store);
      const meta: MetaDoc = {
        ...checked.value,
        // Who attached it is the session's user on this device, never what the body says.
        attachedBy: { userId: ctx.user.userId, name: ctx.user.name, orgUnitId: ctx.user.orgUnitId },
        _id: metaDocId(checked.value.caseId, checked.value.id),
        hubTime: hubNowIso(),
      };
      try {
        const existing = (await db.get(meta._id)) as MetaDoc;
        if (existing.sha256 !== meta.sha256)
          throw refuse('ATTACHMENT_INVALID', '附件编号已被另一文件使用');
        return { meta: metaOf(existing) };
      } catch (err) {
        if (err instanceof ApiHttpError) throw err;
        if (statusOf(err) !== 404) throw err;
      }
      // The bytes first: a listed file always has its content.
      await withStoreRetry(async () => {
        try {
          await db.insert({
            _id: fileDocId(meta.id),
            caseId: meta.caseId,
            mimeType: meta.mimeType,
            data: request.body.dataBase64,
          });
        } catch (err) {
          if (statusOf(err) !== 409) throw err;
        }
      });
      await withStoreRetry(async () => {
        try {
          await db.insert(meta);
        } catch (err) {
          if (statusOf(err) !== 409) throw err;
        }
      });
      return { meta: metaOf(meta) };
    },
  );

  app.get<{ Params: { caseId: string } }>(
    '/api/cases/:caseId/attachments',
    {
      schema: {
        params: {
          type: 'object',
          required: ['caseId'],
          properties: { caseId: { type: 'string', maxLength: 140 } },
        },
      },
    },
    async (request) => {
      const ctx = await requireAuth(hub.auth, request);
      const caseId = request.params.caseId;
      if (!(await visibleCase(hub, ctx.user, caseId))) throw refuse('ATTACHMENT_NOT_FOUND');
      const { db } = await attachmentsDb<MetaDoc>(hub.store);
      const key = caseKey(caseId);
      const res = await withStoreRetry(() =>
        db.list({ startkey: key, endkey: `${key}\ufff0`, include_docs: true }),
      );
      const metas = res.rows.flatMap((r) => (r.doc ? [metaOf(r.doc)] : []));
      return { attachments: metas.filter((m) => m.caseId === caseId) };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { as?: 'base64' } }>(
    `${ATTACHMENTS_PATH}/:id/content`,
    {
      schema: {
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', maxLength: 160 } },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { as: { type: 'string', enum: ['base64'] } },
        },
      },
    },
    async (request, reply) => {
      const ctx = await requireAuth(hub.auth, request);
      const { db } = await attachmentsDb<FileDoc>(hub.store);
      const id = fileDocId(request.params.id);
      if (!isDocId(id)) throw refuse('ATTACHMENT_NOT_FOUND');
      let file: FileDoc;
      try {
        file = await withStoreRetry(() => db.get(id));
      } catch (err) {
        if (statusOf(err) === 404) throw refuse('ATTACHMENT_NOT_FOUND');
        throw err;
      }
      // Scope as the case stands now: a case moved to another village takes its files along.
      if (!(await visibleCase(hub, ctx.user, file.caseId))) throw refuse('ATTACHMENT_NOT_FOUND');
      // `?as=base64`: JSON for the desktop's one JSON client (it stores the base64 as it comes).
      if (request.query.as === 'base64')
        return reply
          .header('cache-control', 'no-store')
          .send({ mimeType: file.mimeType, dataBase64: file.data });
      return reply
        .header('content-type', file.mimeType)
        .header('cache-control', 'no-store')
        .send(Buffer.from(file.data, 'base64'));
    },
  );
}
