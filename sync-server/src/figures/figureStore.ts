/**
 * Reading and writing the figures' own documents in the hub's `hub` database. The lease holder
 * (figureAggregates.ts) is their only writer, so a conflict only means a revision not known
 * yet: the document is written over it.
 */
import { statusOf, withStoreRetry, type Store } from '../store/store.js';

/** Documents with ids from `start` to `end` (inclusive), in id order. */
export async function readAggregates<D>(store: Store, start: string, end: string): Promise<D[]> {
  const res = await withStoreRetry(() =>
    store.db('hub').list({ startkey: start, endkey: end, include_docs: true }),
  );
  return res.rows.flatMap((r) => (r.doc ? [r.doc as D] : []));
}

/** Ids (and revisions) from `start` to `end`, without their documents. */
export async function listIds(
  store: Store,
  start: string,
  end: string,
): Promise<Array<{ id: string; rev: string }>> {
  const res = await withStoreRetry(() => store.db('hub').list({ startkey: start, endkey: end }));
  return (res.rows as Array<{ id: string; value: { rev: string } }>).map((r) => ({
    id: r.id,
    rev: r.value.rev,
  }));
}

/** Documents by id, as stored (absent and deleted ones left out). */
export async function fetchDocs<D extends { _id: string }>(
  store: Store,
  ids: readonly string[],
): Promise<Map<string, D>> {
  const out = new Map<string, D>();
  const db = store.db<Record<string, unknown>>('hub');
  for (let i = 0; i < ids.length; i += 500) {
    const keys = ids.slice(i, i + 500);
    const res = await withStoreRetry(() => db.fetch({ keys }));
    for (const row of res.rows as Array<{ key?: string; doc?: D | null }>) {
      if (row.key && row.doc) out.set(row.key, row.doc);
    }
  }
  return out;
}

export async function readDoc<D>(store: Store, id: string): Promise<D | null> {
  try {
    return (await withStoreRetry(() => store.db('hub').get(id))) as D;
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

type Doc = { _id: string; _rev?: string; _deleted?: boolean };

/** Writes documents over whatever revision is stored. */
export async function putAll<D extends Doc>(store: Store, docs: readonly D[]): Promise<void> {
  const db = store.db<Record<string, unknown>>('hub');
  for (let i = 0; i < docs.length; i += 500) {
    const chunk = docs.slice(i, i + 500);
    for (let attempt = 0; ; attempt += 1) {
      const revs = await withStoreRetry(() => db.fetch({ keys: chunk.map((d) => d._id) }));
      const revOf = new Map<string, string>();
      for (const row of revs.rows as Array<{
        key?: string;
        value?: { rev?: string; deleted?: boolean };
      }>) {
        // A deleted document (a rebuild drops them all first) is written anew without a
        // revision: CouchDB refuses its tombstone's revision as a conflict (PouchDB takes it).
        if (row.key && row.value?.rev && !row.value.deleted) revOf.set(row.key, row.value.rev);
      }
      const body = chunk.flatMap((d) => {
        const { _rev: _old, ...rest } = d;
        const rev = revOf.get(d._id);
        if (d._deleted && !rev) return []; // already gone
        return [rev ? { ...rest, _rev: rev } : rest];
      });
      if (body.length === 0) break;
      const answers = await withStoreRetry(() => db.bulk({ docs: body as never[] }));
      const failed = answers.filter((a) => a.error);
      if (failed.length === 0) break;
      if (attempt >= 3 || failed.some((a) => a.error !== 'conflict'))
        throw new Error(`figure aggregates: ${failed[0]!.id} ${failed[0]!.error}`);
    }
  }
}

/**
 * Writes documents carrying the revision they were read with (none: new); the few that
 * conflict (a write whose answer was lost, a replay) go through putAll. Ids are unique in a
 * call.
 */
export async function writeKnown<D extends Doc>(store: Store, docs: readonly D[]): Promise<void> {
  const db = store.db<Record<string, unknown>>('hub');
  const retry: D[] = [];
  for (let i = 0; i < docs.length; i += 500) {
    const chunk = docs.slice(i, i + 500);
    const answers = await withStoreRetry(() => db.bulk({ docs: chunk as never[] }));
    // By id: the embedded store does not always answer in the order it was asked.
    const byId = new Map(chunk.map((d) => [d._id, d]));
    for (const a of answers) {
      if (!a.error) continue;
      if (a.error !== 'conflict') throw new Error(`figure index: ${a.id} ${a.error}`);
      const doc = byId.get(a.id);
      if (doc) retry.push(doc);
    }
  }
  if (retry.length > 0) await putAll(store, retry);
}
