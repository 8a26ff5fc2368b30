/**
 * Follows the `_changes` feed (longpoll) of each replicated database from "now" and tells
 * listeners what changed. It drives the live stream and cache invalidation; it is not a
 * durable consumer (the workflow processor keeps its own checkpoint).
 */
import type { HubCollection } from './pullHandler.js';
import { type DbKey, type Store } from '../store/store.js';

export interface ChangeNotice {
  collection: HubCollection;
  id: string;
  /** The document (cases and tickets only: the stream needs it to decide scope). */
  doc: Record<string, unknown> | null;
}

type Listener = (n: ChangeNotice) => void;

const FOLLOWED: ReadonlyArray<{ collection: HubCollection; db: DbKey; docs: boolean }> = [
  { collection: 'cases', db: 'cases', docs: true },
  { collection: 'tickets', db: 'tickets', docs: true },
  { collection: 'supervision', db: 'supervision', docs: true },
  { collection: 'matters', db: 'matters', docs: false },
  { collection: 'orgUnits', db: 'orgUnits', docs: false },
  { collection: 'calendars', db: 'calendars', docs: false },
];

interface ChangesBody {
  results: Array<{ id: string; seq: unknown; doc?: Record<string, unknown>; deleted?: boolean }>;
  last_seq: unknown;
}

export class ChangeFollower {
  private readonly listeners = new Set<Listener>();
  private stopped = false;

  constructor(private readonly store: Store) {}

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    for (const f of FOLLOWED) void this.follow(f.collection, f.db, f.docs);
  }

  /** Stops after the current longpoll returns (at most its timeout); nothing waits on it. */
  stop(): void {
    this.stopped = true;
  }

  private async follow(collection: HubCollection, db: DbKey, docs: boolean): Promise<void> {
    let since: string = 'now';
    let delay = 200;
    while (!this.stopped) {
      try {
        const body = (await this.store.db(db).changes({
          since,
          feed: 'longpoll',
          timeout: 20_000,
          include_docs: docs,
          limit: 500,
        })) as unknown as ChangesBody;
        delay = 200;
        since = String(body.last_seq);
        for (const row of body.results) {
          if (row.id.startsWith('_design/')) continue;
          const notice: ChangeNotice = { collection, id: row.id, doc: row.doc ?? null };
          for (const l of this.listeners) {
            try {
              l(notice);
            } catch {
              // one broken listener must not stop the feed for the others
            }
          }
        }
      } catch {
        if (this.stopped) return;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
      }
    }
  }
}
