/**
 * Follows the `_changes` feed (longpoll) of each replicated database and tells listeners what
 * changed. It drives the live stream, cache invalidation and the pull scope index; it is not a
 * durable consumer (the workflow processor keeps its own checkpoint).
 *
 * The `projects` database (sync-server/src/projects/projectsDb.ts, provisioned on first use
 * rather than in the store's list of databases) is followed too, with its documents: the
 * stream decides from a project's team and site who to tell (stream.ts).
 *
 * Every feed is followed from "now", except `cases` when a scope index is given: that feed is
 * read from the beginning once ("warming", without telling listeners about changes older than
 * the hub's start) so the index knows every case, then followed live. The index is updated
 * before listeners hear of a change, so a device that pulls on a stream event finds it.
 */
import type { DocumentScope } from 'nano';
import { PROJECTS_COLLECTION } from '@sibantong/shared/project/index';
import type { HubCollection } from './pullHandler.js';
import type { CaseScopeIndex } from './caseIndex.js';
import { withStoreRetry, type DbKey, type Store } from '../store/store.js';
import { scopeProjection, takeWritten } from './writtenCases.js';
import { projectsDb } from '../projects/projectsDb.js';

/** What the follower follows: the pulled collections and the projects. */
export type FollowedCollection = HubCollection | typeof PROJECTS_COLLECTION;

export interface ChangeNotice {
  collection: FollowedCollection;
  id: string;
  /**
   * The document (tickets, supervision and projects), or for cases only its scope-relevant part
   * (writtenCases.ts \`ScopeProjection\`): the stream needs no more to decide who to tell.
   */
  doc: Record<string, unknown> | null;
}

type Listener = (n: ChangeNotice) => void;

/** Rows a read of the `cases` feed asks for (large: every round trip costs when behind). */
const PAGE = 2000;
/** Pages read at once while behind (embedded store only, see `followIndexed`). */
const PARALLEL_PAGES = 4;

const FOLLOWED: ReadonlyArray<{ collection: HubCollection; db: DbKey; docs: boolean }> = [
  { collection: 'cases', db: 'cases', docs: true },
  { collection: 'tickets', db: 'tickets', docs: true },
  { collection: 'supervision', db: 'supervision', docs: true },
  { collection: 'matters', db: 'matters', docs: false },
  { collection: 'orgUnits', db: 'orgUnits', docs: false },
  { collection: 'calendars', db: 'calendars', docs: false },
];

interface ChangesBody {
  results: Array<{
    id: string;
    seq: unknown;
    doc?: Record<string, unknown>;
    deleted?: boolean;
    changes?: Array<{ rev?: string }>;
  }>;
  last_seq: unknown;
}

export class ChangeFollower {
  private readonly listeners = new Set<Listener>();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly index: CaseScopeIndex | null = null,
  ) {}

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    for (const f of FOLLOWED) {
      if (f.collection === 'cases' && this.index) void this.followIndexed(f.collection, f.db);
      else void this.follow(f.collection, () => this.store.db(f.db), f.docs);
    }
    void this.follow(
      PROJECTS_COLLECTION,
      async () => (await projectsDb<object>(this.store)).db,
      true,
    );
  }

  /** Stops after the current longpoll returns (at most its timeout); nothing waits on it. */
  stop(): void {
    this.stopped = true;
  }

  /** `open` gives the database's handle; it is asked again after a failed read. */
  private async follow(
    collection: FollowedCollection,
    open: () => DocumentScope<object> | Promise<DocumentScope<object>>,
    docs: boolean,
  ): Promise<void> {
    let since: string = 'now';
    let delay = 200;
    let db: DocumentScope<object> | null = null;
    while (!this.stopped) {
      try {
        db ??= await open();
        const body = (await db.changes({
          since,
          feed: 'longpoll',
          timeout: 20_000,
          include_docs: docs,
          limit: 500,
        })) as unknown as ChangesBody;
        delay = 200;
        since = String(body.last_seq);
        for (const row of body.results) this.notify(collection, row);
      } catch {
        if (this.stopped) return;
        db = null;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
      }
    }
  }

  private notify(collection: FollowedCollection, row: ChangesBody['results'][number]): void {
    if (row.id.startsWith('_design/')) return;
    const notice: ChangeNotice = { collection, id: row.id, doc: row.doc ?? null };
    for (const l of this.listeners) {
      try {
        l(notice);
      } catch {
        // one broken listener must not stop the feed for the others
      }
    }
  }

  /**
   * Gives each change of the `cases` feed the scope-relevant part of its document: from what
   * this hub has just written (writtenCases.ts) or, for the rest, one `_all_docs` read. The
   * feed itself is read without documents.
   */
  private async attachScope(db: DbKey, rows: ChangesBody['results']): Promise<void> {
    const missing: string[] = [];
    for (const row of rows) {
      if (row.deleted || row.id.startsWith('_design/')) continue;
      const rev = row.changes?.[0]?.rev;
      const known = rev ? takeWritten(row.id, rev) : undefined;
      if (known) row.doc = known as unknown as Record<string, unknown>;
      else missing.push(row.id);
    }
    if (missing.length === 0) return;
    const read = await withStoreRetry(() =>
      this.store.db(db).fetch({ keys: missing }, { include_docs: true }),
    );
    const docs = new Map<string, Record<string, unknown>>();
    for (const r of read.rows) {
      const doc = 'doc' in r ? (r.doc as Record<string, unknown> | null) : null;
      if (doc) docs.set(r.key, doc);
    }
    for (const row of rows) {
      if (row.doc || row.deleted) continue;
      const doc = docs.get(row.id);
      // A newer revision than the change's is fine: its own change comes later in the feed.
      if (doc) row.doc = scopeProjection(doc) as unknown as Record<string, unknown>;
    }
  }

  /**
   * The `cases` feed from the beginning, through the scope index, then live.
   *
   * Behind (the last page came back full), on the embedded store, it reads several pages at
   * once. The store answers a feed read one row after another, each row waiting its turn
   * behind every other request, so one reader falls further behind the busier the store is
   * (in a reconnection storm: 5,000 rows in 20 s while devices push 1,000 cases a second),
   * and no device hears of a case the follower has not read. Its sequences are integers in
   * commit order, so pages can start `PAGE` apart: a full page of `PAGE` rows after `s` ends at
   * or past `s + PAGE`, where the next page starts, so together they skip nothing; a page is used
   * only after a full one (a page started past the end of the feed would answer its own start
   * as `last_seq`), and rows already read by the page before are dropped.
   */
  private async followIndexed(collection: HubCollection, db: DbKey): Promise<void> {
    const index = this.index!;
    const parallel = this.store.kind === 'embedded' ? PARALLEL_PAGES : 1;
    let startNum = -1;
    let since = '0';
    let behind = true;
    let delay = 200;
    while (!this.stopped) {
      try {
        if (startNum < 0) {
          const info = await withStoreRetry(() => this.store.db(db).info());
          startNum = seqNumber(String(info.update_seq));
        }
        const warm = index.ready;
        const first = since;
        const pages: Array<Promise<ChangesBody>> = Array.from(
          { length: behind ? parallel : 1 },
          (_, i) => {
            const read: Promise<ChangesBody> = this.store.db(db).changes({
              since: i === 0 ? first : String(seqNumber(first) + i * PAGE),
              ...(warm && !behind ? { feed: 'longpoll', timeout: 20_000 } : {}),
              limit: PAGE,
            }) as unknown as Promise<ChangesBody>;
            read.catch(() => undefined); // a later page may go unused; its error is not news
            return read;
          },
        );
        let full = false;
        for (const [i, page] of pages.entries()) {
          const body = await page;
          const done = seqNumber(since);
          const rows =
            i === 0 ? body.results : body.results.filter((r) => seqNumber(String(r.seq)) > done);
          await this.attachScope(db, rows);
          index.apply(rows, body.last_seq);
          since = String(body.last_seq);
          for (const row of rows) {
            // While warming, changes from before the hub started are history, not news.
            if (warm || seqNumber(String(row.seq)) > startNum) this.notify(collection, row);
          }
          full = body.results.length >= PAGE;
          if (!full) break;
        }
        delay = 200;
        behind = full;
        if (!warm && !full) index.markWarm();
      } catch {
        if (this.stopped) return;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
      }
    }
  }
}

/** Numeric part of a sequence (all of it on the embedded store, the prefix on CouchDB). */
function seqNumber(seq: string): number {
  const m = /^([0-9]+)/.exec(seq);
  return m ? Number(m[1]) : 0;
}
