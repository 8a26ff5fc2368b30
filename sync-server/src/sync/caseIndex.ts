/**
 * In-memory scope index of the `cases` feed, so that a pull reads only the documents its
 * caller could possibly get instead of the whole county's `_changes`.
 *
 * Fed by the hub's one change follower (changeFollower.ts), which reads the `cases` feed from
 * the beginning at start ("warming") and then follows it live. For every change the index
 * keeps the document's latest entry only (position in the feed, store sequence, id) under
 * each of the document's scope keys (shared `caseScopeKeys`: its units, departments asked to
 * assist, former units, the county key). A pull from a checkpoint the index knows walks the
 * entries of the caller's keys (shared `actorScopeKeys`) after that position, in feed order;
 * the caller of `walk` reads those documents and applies the authoritative scope rule.
 *
 * Positions: on the embedded store a sequence is an integer in commit order, and is its own
 * position. On CouchDB sequences are opaque: the index numbers the changes it reads and
 * remembers which sequence it gave which number (bounded; an older checkpoint falls back to
 * the `_changes` scan).
 */
import { caseScopeKeys, type KeyedCase } from '@sibantong/shared/org/scopeKeys';
import { hubNowIso } from '../clock.js';
import { EntryList, EntryTable } from './entryTable.js';

/** Key every actor holds: a deletion (by hand, never by the hub) reaches every device. */
export const DELETION_KEY = '!deleted';

export interface IndexRow {
  id: string;
  seq: unknown;
  deleted?: boolean;
  doc?: Record<string, unknown> | null;
  changes?: Array<{ rev?: string }>;
}

export interface WalkResult {
  /** Live entries of the keys after the position, in feed order, at most `max`. */
  entries: Array<{ id: string; seq: string; pos: number; deleted: boolean; rev?: string }>;
  /** True when the walk reached the index head: nothing more for these keys (yet). */
  exhausted: boolean;
  headSeq: string;
  headPos: number;
}

const MAX_REMEMBERED_SEQS = 500_000;

/** The generation of a revision (`3-abc…` → 3). */
export function revGeneration(rev: string): number {
  const n = Number.parseInt(rev, 10);
  return Number.isFinite(n) ? n : 0;
}

function numericPrefix(seq: string): number {
  const m = /^([0-9]+)/.exec(seq);
  return m ? Number(m[1]) : -1;
}

export class CaseScopeIndex {
  /** Every entry read (superseded ones until the next compaction): entryTable.ts says why. */
  private table = new EntryTable();
  /** Case id → its latest entry. */
  private readonly byId = new Map<string, number>();
  private byKey = new Map<string, EntryList>();
  /** CouchDB mode: sequence → position of every change read (bounded, oldest dropped). */
  private readonly seqPos = new Map<string, number>();
  private dead = 0;
  private nextPos = 1;
  private head: { pos: number; seq: string } = { pos: 0, seq: '0' };
  private warm = false;
  /** Hub time of the start of the warm-up, and of its end (IT's health: admin/itConsole.ts). */
  readonly startedAt = hubNowIso();
  private warmAt: string | null = null;
  /** Real time (not the drill clock) of the end of the warm-up, as `headPosAt` counts. */
  private warmAtMs: number | null = null;
  private waiters: Array<() => void> = [];
  /** CouchDB: head positions by time over the last minute (placing other hubs' checkpoints). */
  private readonly heads: Array<{ at: number; pos: number }> = [];

  /** `numeric`: sequences are integers in commit order (the embedded store). */
  constructor(private readonly numeric: boolean) {}

  /** True once the index has read the feed up to where it was when the hub started. */
  get ready(): boolean {
    return this.warm;
  }

  markWarm(): void {
    if (!this.warm) {
      this.warmAt = hubNowIso();
      this.warmAtMs = Date.now();
    }
    this.warm = true;
  }

  /** Real time (ms) the warm-up ended, null while warming. */
  get warmSince(): number | null {
    return this.warmAtMs;
  }

  get readyAt(): string | null {
    return this.warmAt;
  }

  get headSeq(): string {
    return this.head.seq;
  }

  /** Position of the head: `headSeq` and `headPos` read together name one point of the feed. */
  get headPos(): number {
    return this.head.pos;
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * False only when the case is certainly not in the part of the feed read so far (a push
   * may then skip reading it, see pushHandler.ts); true while warming.
   */
  mayExist(id: string): boolean {
    return !this.warm || this.byId.has(id);
  }

  /** Position of a checkpoint the index can resume from, or undefined (scan instead). */
  posOf(seq: string): number | undefined {
    if (!this.warm) return undefined;
    if (seq === '0') return 0;
    if (this.numeric) {
      if (!/^[0-9]{1,16}$/.test(seq)) return undefined;
      const n = Number(seq);
      return n <= this.head.pos ? n : undefined;
    }
    return this.seqPos.get(seq);
  }

  /**
   * CouchDB: the head's position as it was at time `at` (ms since the epoch); 0 when that is
   * before the last minute, which this index does not remember (and always on the embedded
   * store, whose checkpoints are their own positions).
   */
  headPosAt(at: number): number {
    let pos = 0;
    for (const h of this.heads) {
      if (h.at > at) break;
      pos = h.pos;
    }
    return pos;
  }

  /** Position of a case's latest entry, if the index has read any change of it. */
  latestPos(id: string): number | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.table.posOf(i);
  }

  /** Applies a batch of the feed (in order) and the batch's `last_seq`. */
  apply(rows: readonly IndexRow[], lastSeq: unknown): void {
    const t = this.table;
    for (const row of rows) {
      const seq = String(row.seq);
      const pos = this.positionFor(seq);
      if (pos === undefined) continue; // already applied (a replayed stretch)
      this.head = { pos, seq };
      if (row.id.startsWith('_design/')) continue;
      const deleted = row.deleted === true;
      const rev = row.changes?.[0]?.rev;
      const previous = this.byId.get(row.id);
      if (
        previous !== undefined &&
        rev &&
        t.rev(previous) === rev &&
        t.deleted(previous) === deleted
      ) {
        // The same revision again under another sequence: a cluster's feed replaying a shard.
        // A new entry would send every device that already has it the same change again.
        t.setSeenPos(previous, pos);
        continue;
      }
      if (previous !== undefined) this.dead += 1;
      // The embedded store's sequence is the position itself: not stored twice.
      const i = t.add(row.id, pos, this.numeric ? null : seq, rev || undefined, deleted);
      this.byId.set(row.id, i);
      const keys =
        deleted || !row.doc ? [DELETION_KEY] : caseScopeKeys(row.doc as unknown as KeyedCase);
      for (const k of keys) {
        let list = this.byKey.get(k);
        if (!list) this.byKey.set(k, (list = new EntryList()));
        list.push(i);
      }
    }
    if (lastSeq !== undefined && lastSeq !== null) {
      const seq = String(lastSeq);
      if (this.numeric) {
        const n = Number(seq);
        if (/^[0-9]{1,16}$/.test(seq) && n >= this.head.pos) this.head = { pos: n, seq };
      } else if (!this.seqPos.has(seq)) {
        this.remember(seq, this.head.pos);
        this.head = { pos: this.head.pos, seq };
      }
    }
    // Only CouchDB's checkpoints are placed by time (foreignCheckpoint.ts); the embedded
    // store's apply, on every pull's path, keeps no such record.
    if (!this.numeric) this.noteHead();
    if (this.dead > 10_000 && this.dead > this.byId.size) this.compact();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private noteHead(): void {
    const now = Date.now();
    const last = this.heads.at(-1);
    if (last?.pos === this.head.pos) return;
    this.heads.push({ at: now, pos: this.head.pos });
    // Kept: the last head older than a minute, so `headPosAt` still answers for a minute ago.
    let drop = 0;
    while (drop + 1 < this.heads.length && this.heads[drop + 1]!.at < now - 60_000) drop += 1;
    if (drop > 0) this.heads.splice(0, drop);
  }

  private positionFor(seq: string): number | undefined {
    if (this.numeric) {
      const n = Number(seq);
      if (!/^[0-9]{1,16}$/.test(seq)) throw new Error(`unexpected sequence ${seq}`);
      return n > this.head.pos ? n : undefined;
    }
    if (this.seqPos.has(seq)) return undefined;
    const pos = this.nextPos;
    this.nextPos += 1;
    this.remember(seq, pos);
    return pos;
  }

  private remember(seq: string, pos: number): void {
    this.seqPos.set(seq, pos);
    if (this.seqPos.size > MAX_REMEMBERED_SEQS) {
      const oldest = this.seqPos.keys().next().value;
      if (oldest !== undefined) this.seqPos.delete(oldest);
    }
  }

  /** True when entry `i` is its case's latest. */
  private live(i: number): boolean {
    return this.byId.get(this.table.id(i)) === i;
  }

  /** Drops superseded entries: from the table, and from the key lists. */
  private compact(): void {
    const { table, renumber } = this.table.compacted((i) => this.live(i));
    const byKey = new Map<string, EntryList>();
    for (const [k, list] of this.byKey) {
      const kept = new EntryList();
      for (let j = 0; j < list.length; j += 1) {
        const i = renumber[list.at(j)]!;
        if (i >= 0) kept.push(i);
      }
      if (kept.length > 0) byKey.set(k, kept);
    }
    for (const [id, i] of this.byId) this.byId.set(id, renumber[i]!);
    this.table = table;
    this.byKey = byKey;
    this.dead = 0;
  }

  /** Live entries of any of `keys` with a position after `afterPos`, merged in feed order. */
  walk(keys: readonly string[], afterPos: number, max: number): WalkResult {
    const t = this.table;
    const lists: Array<{ list: EntryList; i: number }> = [];
    for (const k of new Set(keys)) {
      const list = this.byKey.get(k);
      if (!list || list.length === 0) continue;
      // First entry after afterPos (lists are in feed order).
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (t.posOf(list.at(mid)) <= afterPos) lo = mid + 1;
        else hi = mid;
      }
      if (lo < list.length) lists.push({ list, i: lo });
    }
    const entries: WalkResult['entries'] = [];
    let lastPos = afterPos;
    for (;;) {
      let best: { list: EntryList; i: number } | null = null;
      let bestPos = Infinity;
      for (const l of lists) {
        if (l.i >= l.list.length) continue;
        const p = t.posOf(l.list.at(l.i));
        if (p < bestPos) [best, bestPos] = [l, p];
      }
      if (!best) break;
      const e = best.list.at(best.i);
      best.i += 1;
      // The same entry sits under several keys; superseded entries are skipped.
      if (bestPos === lastPos || !this.live(e)) continue;
      if (entries.length >= max) {
        return { entries, exhausted: false, headSeq: this.head.seq, headPos: this.head.pos };
      }
      lastPos = bestPos;
      const rev = t.rev(e);
      entries.push({
        id: t.id(e),
        seq: t.seq(e),
        pos: bestPos,
        deleted: t.deleted(e),
        ...(rev ? { rev } : {}),
      });
    }
    return { entries, exhausted: true, headSeq: this.head.seq, headPos: this.head.pos };
  }

  /**
   * Resolves true once every one of `ids` has an entry after position `afterPos` (the index has
   * read a change of each that the store's feed holds after that point), false after `budgetMs`.
   */
  async reachIds(ids: readonly string[], afterPos: number, budgetMs: number): Promise<boolean> {
    const until = Date.now() + budgetMs;
    const pending = () =>
      ids.some((id) => {
        const i = this.byId.get(id);
        return i === undefined || Math.max(this.table.posOf(i), this.table.seenPos(i)) <= afterPos;
      });
    while (pending()) {
      if (!(await this.nextApply(until))) return false;
    }
    return true;
  }

  /**
   * True when the index has read revision `rev` of `id` or a later one (by the revision's
   * generation): what a pull needs before it answers, for a write this hub made.
   */
  holds(id: string, rev: string): boolean {
    const i = this.byId.get(id);
    const held = i === undefined ? undefined : this.table.rev(i);
    return held !== undefined && revGeneration(held) >= revGeneration(rev);
  }

  /** Resolves true once `holds` is true for every pair, false after `budgetMs`. */
  async reachRevs(
    writes: ReadonlyArray<{ id: string; rev: string }>,
    budgetMs: number,
  ): Promise<boolean> {
    const until = Date.now() + budgetMs;
    while (writes.some((w) => !this.holds(w.id, w.rev))) {
      if (!(await this.nextApply(until))) return false;
    }
    return true;
  }

  /** Waits for the next applied batch; false when `until` passes first. */
  private async nextApply(until: number): Promise<boolean> {
    const left = until - Date.now();
    if (left <= 0) return false;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, left);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
    return true;
  }

  /**
   * Resolves true once the index has read the feed at least up to `storeSeq` (the store's
   * `update_seq` taken by the caller), false after `budgetMs`. Exact on the embedded store
   * only, whose sequences are integers in commit order and whose `update_seq` is its last
   * feed row (CouchDB: `reachIds`, store/changesAfter.ts says why).
   */
  async reach(storeSeq: string, budgetMs: number): Promise<boolean> {
    const target = numericPrefix(storeSeq);
    const until = Date.now() + budgetMs;
    while (numericPrefix(this.head.seq) < target) {
      if (!(await this.nextApply(until))) return false;
    }
    return true;
  }
}
