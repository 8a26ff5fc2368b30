/**
 * Reading and writing a hub's databases document by document, in their stored (sealed) form,
 * with their revisions — shared by `backup`, `restore` and `migrate`.
 *
 * Why the changes feed and not `_all_docs`: it pages by sequence, so a document written while
 * the read runs shows up again at the end of the feed and the copy ends with every document at
 * least as new as when the copy started (a running hub may keep writing). Why the `hub`
 * database last: it holds the official-number counters; read after the cases, a counter is
 * never behind a number a copied case already carries, so a restored hub cannot hand the same
 * official number out twice.
 */
import type { ServerScope } from 'nano';
import { CHECKPOINT_ID, LEASE_ID } from '../workflow/workflowDocs.js';
import { AGGREGATES_STATE_ID, FIGURES_LEASE_ID, JOURNAL_ID } from '../figures/figureAggregates.js';

export interface RawDoc {
  _id: string;
  _rev: string;
  [k: string]: unknown;
}

/**
 * Documents that describe one store's position, not the county's data: the workflow's feed
 * checkpoint (a sequence of the old store, meaningless in the new one — the workflow re-reads
 * the feed from the start, its jobs are idempotent), the cockpit aggregates' feed positions
 * (without them the new hub rebuilds its aggregates from the views) and both leases (the
 * holder is a process of the old hub).
 */
const POSITION_DOCS = new Set([
  CHECKPOINT_ID,
  LEASE_ID,
  AGGREGATES_STATE_ID,
  JOURNAL_ID,
  FIGURES_LEASE_ID,
]);

export function isPositionDoc(suffix: string, id: string): boolean {
  return suffix === 'hub' && POSITION_DOCS.has(id);
}

/** The hub's databases under `prefix` (every one, also those added after this code), `hub` last. */
export async function hubDatabases(server: ServerScope, prefix: string): Promise<string[]> {
  const all = (await server.request({ path: '_all_dbs' })) as string[];
  const mine = all.filter((d) => d.startsWith(prefix)).map((d) => d.slice(prefix.length));
  return [...mine.filter((s) => s !== 'hub').sort(), ...mine.filter((s) => s === 'hub')];
}

/**
 * Every live document of `db` with its revision history (`_revisions`, so that writing it
 * elsewhere continues the same history instead of starting a conflicting branch) and inline
 * attachments, in feed order, page by page.
 */
export async function readDatabase(
  server: ServerScope,
  db: string,
  onPage: (docs: RawDoc[]) => Promise<void> | void,
  pageSize = 500,
): Promise<void> {
  let since: string = '0';
  for (;;) {
    const res = (await server.request({
      db,
      path: '_changes',
      qs: { since, limit: pageSize, style: 'main_only' },
    })) as {
      results: Array<{ id: string; deleted?: boolean; changes: Array<{ rev: string }> }>;
      last_seq: unknown;
    };
    const wanted = res.results
      .filter((r) => !r.deleted && !r.id.startsWith('_local/') && r.changes[0])
      .map((r) => ({ id: r.id, rev: r.changes[0]!.rev }));
    if (wanted.length > 0) {
      const got = (await server.request({
        db,
        path: '_bulk_get',
        method: 'POST',
        qs: { revs: true, attachments: true },
        body: { docs: wanted },
      })) as { results: Array<{ id: string; docs: Array<{ ok?: RawDoc; error?: unknown }> }> };
      const docs: RawDoc[] = [];
      for (const r of got.results) {
        const ok = r.docs.find((d) => d.ok)?.ok;
        // Missing: written over or deleted since the feed page was read; its newer version
        // is further on in the feed (a deletion needs no copy).
        if (ok && !ok._deleted) docs.push(ok);
      }
      if (docs.length > 0) await onPage(docs);
    }
    since = String(res.last_seq);
    if (res.results.length < pageSize) return;
  }
}

/** Writes documents with their revisions as they are (`new_edits: false`): idempotent. */
export async function writeDocs(server: ServerScope, db: string, docs: RawDoc[]): Promise<void> {
  if (docs.length === 0) return;
  const res = (await server.request({
    db,
    path: '_bulk_docs',
    method: 'POST',
    body: { docs, new_edits: false },
  })) as Array<{ error?: string; id?: string; reason?: string }>;
  const failed = Array.isArray(res) ? res.filter((r) => r.error) : [];
  if (failed.length > 0) {
    throw new Error(
      `写入 ${db} 失败：${failed
        .slice(0, 3)
        .map((f) => `${f.id} ${f.error} ${f.reason ?? ''}`)
        .join('; ')}`,
    );
  }
}

export async function createDatabase(server: ServerScope, db: string): Promise<void> {
  try {
    await server.request({ db, method: 'PUT' });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 412) throw err;
  }
}

export async function dropDatabase(server: ServerScope, db: string): Promise<void> {
  try {
    await server.request({ db, method: 'DELETE' });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
}

/** id → winning revision of every live document (design documents included). */
export async function revisionsOf(server: ServerScope, db: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let startkey: string | undefined;
  for (;;) {
    const res = (await server.request({
      db,
      path: '_all_docs',
      qs: { limit: 2001, ...(startkey === undefined ? {} : { startkey }) },
    })) as { rows: Array<{ id: string; value: { rev: string } }> };
    const rows = res.rows;
    const page = rows.length > 2000 ? rows.slice(0, 2000) : rows;
    for (const r of page) out.set(r.id, r.value.rev);
    if (rows.length <= 2000) return out;
    startkey = rows[2000]!.id;
  }
}
