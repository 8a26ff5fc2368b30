/**
 * Moves attached files between this PC and the hub, apart from the case replication: a file
 * goes up only once its case's events are all stamped by the hub (so the case events always
 * go first, and the hub can judge the file against the case it holds), one request per file,
 * oldest first, so a backlog of scans never holds up the case sync or new acceptances. A file
 * the hub refuses keeps its code and message on this PC and is not retried; an unreachable
 * hub ends the round (the next round comes on a timer or when a file is attached).
 */
import {
  ATTACHMENTS_PATH,
  attachmentContentPath,
  caseAttachmentsPath,
  type AttachmentMeta,
  type AttachmentUpload,
  type CaseDoc,
} from '@sibantong/shared';
import { HubError } from '../api/hubClient';
import { signedInFetch } from '../api/signedInFetch';
import type { DeviceConfig } from '../auth/deviceConfig';
import type { AppDatabase } from './database';
import { attachmentStoreOf, type AttachmentStore } from './attachmentsCollection';

/** Files uploaded per round at most (a round ends early when the hub cannot be reached). */
const ROUND_SIZE = 50;
const ROUND_INTERVAL_MS = 20_000;
/** A 10 MB file over a slow village line: a minute per request before giving up. */
const UPLOAD_TIMEOUT_MS = 60_000;

const stampedAtHub = (c: CaseDoc | null) => !!c && c.events.every((e) => e.hubTime);

/** Is this an answer to give up on for this file (a refusal), not a reason to retry? */
const isRefusal = (e: HubError) =>
  e.status >= 400 && e.status < 500 && e.status !== 401 && e.code !== 'ATTACHMENT_CASE_UNKNOWN';

export interface RoundResult {
  uploaded: number;
  refused: number;
  waiting: number;
  offline: boolean;
}

/** One round of uploads (exported for tests and the benchmark). */
export async function uploadRound(
  db: AppDatabase,
  cfg: DeviceConfig,
  max = ROUND_SIZE,
): Promise<RoundResult> {
  const out: RoundResult = { uploaded: 0, refused: 0, waiting: 0, offline: false };
  const store = attachmentStoreOf(db);
  if (!store) return out;
  const pending = await store.attachments
    .find({ selector: { upload: 'pending' }, sort: [{ upload: 'asc' }, { attachedAt: 'asc' }] })
    .exec();
  for (const doc of pending) {
    if (out.uploaded + out.refused >= max) break;
    const a = doc.toJSON() as unknown as AttachmentMeta;
    const c = await db.cases.findOne(a.caseId).exec();
    if (!stampedAtHub(c?.toJSON() as CaseDoc | null)) {
      out.waiting += 1;
      continue;
    }
    const file = await store.attachmentFiles.findOne(a.id).exec();
    if (!file) continue;
    const meta: AttachmentMeta = {
      id: a.id,
      caseId: a.caseId,
      materialId: a.materialId,
      materialName: a.materialName,
      fileName: a.fileName,
      mimeType: a.mimeType,
      size: a.size,
      sha256: a.sha256,
      attachedBy: a.attachedBy,
      attachedAt: a.attachedAt,
      deviceId: a.deviceId,
    };
    const body: AttachmentUpload = { meta, dataBase64: file.data };
    try {
      const r = await signedInFetch<{ meta: AttachmentMeta }>(cfg, ATTACHMENTS_PATH, {
        method: 'POST',
        body,
        timeoutMs: UPLOAD_TIMEOUT_MS,
      });
      await doc.incrementalPatch({ upload: 'uploaded', hubTime: r.meta.hubTime ?? '' });
      out.uploaded += 1;
    } catch (e) {
      if (!(e instanceof HubError)) throw e;
      if (isRefusal(e)) {
        await doc.incrementalPatch({
          upload: 'refused',
          refusedCode: e.code,
          refusedMessage: e.message,
        });
        out.refused += 1;
      } else if (e.code === 'ATTACHMENT_CASE_UNKNOWN') {
        out.waiting += 1;
      } else {
        out.offline = true;
        break;
      }
    }
  }
  return out;
}

let kickCurrent: () => void = () => {};
/** Starts an upload round now (after a file was attached), when the loop runs. */
export const kickAttachmentUploads = (): void => kickCurrent();

/** The upload loop of a logged-in session: a round now, on a timer and on `kick()`. */
export function startAttachmentSync(db: AppDatabase, cfg: DeviceConfig) {
  let running: Promise<unknown> | null = null;
  let again = false;
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = uploadRound(db, cfg)
      .catch(() => undefined)
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const timer = setInterval(run, ROUND_INTERVAL_MS);
  window.addEventListener('online', run);
  kickCurrent = run;
  run();
  return {
    kick: run,
    stop: () => {
      if (kickCurrent === run) kickCurrent = () => {};
      clearInterval(timer);
      window.removeEventListener('online', run);
    },
  };
}

/** Lists the hub's files of a case into this PC (as `remote` until opened). Online only. */
export async function fetchCaseAttachments(
  db: AppDatabase,
  cfg: DeviceConfig,
  caseId: string,
): Promise<number> {
  const store = attachmentStoreOf(db);
  if (!store) return 0;
  const r = await signedInFetch<{ attachments: AttachmentMeta[] }>(
    cfg,
    caseAttachmentsPath(caseId),
  );
  let added = 0;
  for (const m of r.attachments) {
    const known = await store.attachments.findOne(m.id).exec();
    if (known) {
      if (known.upload === 'pending') await known.incrementalPatch({ upload: 'uploaded' });
      continue;
    }
    await store.attachments.insert({ ...m, upload: 'remote', refusedCode: '', refusedMessage: '' });
    added += 1;
  }
  return added;
}

/** The bytes of a file (base64): from this PC, else fetched from the hub and kept here. */
export async function loadAttachmentData(
  store: AttachmentStore,
  cfg: DeviceConfig,
  id: string,
): Promise<string> {
  const local = await store.attachmentFiles.findOne(id).exec();
  if (local) return local.data;
  const r = await signedInFetch<{ mimeType: string; dataBase64: string }>(
    cfg,
    `${attachmentContentPath(id)}?as=base64`,
    { timeoutMs: UPLOAD_TIMEOUT_MS },
  );
  await store.attachmentFiles.upsert({ id, data: r.dataBase64 });
  return r.dataBase64;
}
