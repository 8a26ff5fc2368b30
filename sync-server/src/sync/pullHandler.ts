/**
 * GET /api/sync/:collection/pull — reads the store's `_changes` from the client's checkpoint
 * and keeps what the caller may see. The checkpoint is the store's own sequence, which cannot
 * skip a document written concurrently (a timestamp can), and it advances across documents
 * the caller may not see, so it never stalls.
 */
import { SYNC_COLLECTIONS } from '@sibantong/shared';
import type { CaseDoc, PullCheckpoint, PullResponse } from '@sibantong/shared';
import type { AuthContext } from '../auth/session.js';
import type { RefSnapshot } from '../domain/refData.js';
import { canSeeRecord, scopeVerdict, type ScopedRecord } from '../domain/scope.js';
import { badRequest } from '../http/apiError.js';
import { withStoreRetry, type DbKey, type Store } from '../store/store.js';

/**
 * Pulled collections: the shared SYNC_COLLECTIONS plus `supervision` (预警/督办 records, whose
 * schema shared already defines), offered additively until the shared list names it.
 */
export const HUB_COLLECTIONS = [...SYNC_COLLECTIONS, 'supervision'] as const;
export type HubCollection = (typeof HUB_COLLECTIONS)[number];

export function isHubCollection(value: string): value is HubCollection {
  return (HUB_COLLECTIONS as readonly string[]).includes(value);
}

const DB_OF: Readonly<Record<HubCollection, DbKey>> = {
  supervision: 'supervision',
  cases: 'cases',
  matters: 'matters',
  orgUnits: 'orgUnits',
  calendars: 'calendars',
  tickets: 'tickets',
};

export const MAX_PULL_LIMIT = 1000;
const INNER_BATCH = 200;
/** Bounded work per request: a user with a small scope in a huge county still gets an answer. */
const MAX_INNER_BATCHES = 25;

interface ChangeRow {
  id: string;
  seq: unknown;
  deleted?: boolean;
  doc?: Record<string, unknown>;
}

export function parseCheckpoint(raw: string | undefined): PullCheckpoint | null {
  if (raw === undefined || raw === '' || raw === 'null') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badRequest('INVALID_CHECKPOINT', '同步检查点格式不正确');
  }
  if (parsed === null) return null;
  if (
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    typeof (parsed as PullCheckpoint).seq !== 'string' ||
    (parsed as PullCheckpoint).seq.length > 2000 ||
    Object.keys(parsed).length !== 1
  ) {
    throw badRequest('INVALID_CHECKPOINT', '同步检查点格式不正确');
  }
  const seq = (parsed as PullCheckpoint).seq;
  // Embedded store sequences are integers, CouchDB's are `<n>-<opaque>`: refuse anything else
  // before it reaches the store.
  if (!/^(0|[1-9][0-9]{0,15})$/.test(seq) && !/^[0-9]+-[A-Za-z0-9_-]+$/.test(seq)) {
    throw badRequest('INVALID_CHECKPOINT', '同步检查点格式不正确');
  }
  return { seq };
}

/** Document as the client stores it: CouchDB's `_id`/`_rev` stripped, `id` set. */
export function toClientDoc<T>(input: object): T {
  const doc = input as Record<string, unknown>;
  const { _id, _rev, _revisions, _conflicts, hubScope, ...rest } = doc;
  void _rev;
  void hubScope;
  void _revisions;
  void _conflicts;
  return { ...rest, id: typeof rest.id === 'string' ? rest.id : _id } as T;
}

function removalOf(doc: Record<string, unknown>): Record<string, unknown> {
  return {
    id: typeof doc.id === 'string' ? doc.id : doc._id,
    _deleted: true,
    updatedAt: doc.updatedAt,
  };
}

export async function pull(
  store: Store,
  ref: RefSnapshot,
  ctx: AuthContext,
  collection: HubCollection,
  checkpoint: PullCheckpoint | null,
  limit: number,
): Promise<PullResponse> {
  const db = store.db(DB_OF[collection]);
  const documents: unknown[] = [];
  let since: string = checkpoint?.seq ?? '0';
  for (let round = 0; round < MAX_INNER_BATCHES; round += 1) {
    const body = (await withStoreRetry(() =>
      db.changes({ since, include_docs: true, limit: INNER_BATCH }),
    )) as unknown as { results: ChangeRow[]; last_seq: unknown };
    for (const row of body.results) {
      since = String(row.seq);
      if (row.id.startsWith('_design/') || !row.doc) continue;
      if (row.deleted) {
        // The hub never deletes replicated documents; a deletion by hand still reaches clients.
        documents.push({ id: row.id, _deleted: true });
      } else if (collection === 'cases') {
        const verdict = scopeVerdict(ctx.user, row.doc as unknown as CaseDoc, ref.org);
        if (verdict === 'visible') documents.push(toClientDoc(row.doc));
        else if (verdict === 'removal') documents.push(removalOf(row.doc));
      } else if (collection === 'tickets' || collection === 'supervision') {
        const rec = row.doc as unknown as ScopedRecord;
        if (canSeeRecord(ctx.user, rec, ref.org)) documents.push(toClientDoc(row.doc));
      } else {
        documents.push(toClientDoc(row.doc));
      }
      if (documents.length >= limit) {
        return { documents, checkpoint: { seq: since } };
      }
    }
    if (body.results.length === 0) {
      since = body.last_seq === undefined || body.last_seq === null ? since : String(body.last_seq);
    }
    if (body.results.length < INNER_BATCH) break;
  }
  return { documents, checkpoint: { seq: since } };
}
