/**
 * The scope index's entries (caseIndex.ts) in columns of numbers and one byte arena, instead of
 * an object and three strings per case.
 *
 * Why: a county hub holds an entry per case for as long as it runs. As objects, a million cases
 * on CouchDB were ~440 MB of small objects and strings (its sequences are ~110 characters), and
 * every full garbage collection of the hub marked all of them: at a million cases a collection
 * cost ~1.5 s of CPU, and the cockpit request it met took a second longer (bench/findings.md,
 * fifteenth stop). Typed arrays and a byte arena are a handful of objects the collector never
 * looks inside; what is left per case is its id (a Map key, needed as a string anyway).
 */

/** Text kept in one growing buffer; a value is its offset and byte length. */
class Arena {
  private buf = Buffer.allocUnsafe(1 << 16);
  private used = 0;

  put(text: string): [offset: number, length: number] {
    const need = Buffer.byteLength(text, 'utf8');
    if (this.used + need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + need));
      this.buf.copy(next, 0, 0, this.used);
      this.buf = next;
    }
    const offset = this.used;
    this.buf.write(text, offset, 'utf8');
    this.used += need;
    return [offset, need];
  }

  get(offset: number, length: number): string {
    return this.buf.toString('utf8', offset, offset + length);
  }

  get bytes(): number {
    return this.used;
  }
}

function grown<T extends Float64Array | Uint32Array | Uint8Array>(a: T, size: number): T {
  const next = new (a.constructor as new (n: number) => T)(size);
  next.set(a);
  return next;
}

/** No sequence kept: the entry's sequence is its position (the embedded store's integers). */
const NO_TEXT = 0xffffffff;

export class EntryTable {
  private cap = 1024;
  private n = 0;
  private pos = new Float64Array(this.cap);
  private seen = new Float64Array(this.cap);
  private flags = new Uint8Array(this.cap);
  private seqAt = new Float64Array(this.cap);
  private seqLen = new Uint32Array(this.cap);
  private revAt = new Float64Array(this.cap);
  private revLen = new Uint32Array(this.cap);
  private ids: string[] = [];
  private arena = new Arena();

  get count(): number {
    return this.n;
  }

  /**
   * A new entry; its number. `seq` null: the sequence is the position itself (not stored).
   * `rev` absent when the feed did not say.
   */
  add(id: string, pos: number, seq: string | null, rev: string | undefined, deleted: boolean) {
    if (this.n === this.cap) this.grow();
    const i = this.n;
    this.n += 1;
    this.ids.push(id);
    this.pos[i] = pos;
    this.seen[i] = 0;
    this.flags[i] = deleted ? 1 : 0;
    if (seq === null) this.seqLen[i] = NO_TEXT;
    else [this.seqAt[i], this.seqLen[i]] = this.arena.put(seq);
    if (rev === undefined) this.revLen[i] = NO_TEXT;
    else [this.revAt[i], this.revLen[i]] = this.arena.put(rev);
    return i;
  }

  private grow(): void {
    this.cap *= 2;
    this.pos = grown(this.pos, this.cap);
    this.seen = grown(this.seen, this.cap);
    this.flags = grown(this.flags, this.cap);
    this.seqAt = grown(this.seqAt, this.cap);
    this.seqLen = grown(this.seqLen, this.cap);
    this.revAt = grown(this.revAt, this.cap);
    this.revLen = grown(this.revLen, this.cap);
  }

  id(i: number): string {
    return this.ids[i]!;
  }

  posOf(i: number): number {
    return this.pos[i]!;
  }

  /** Position of the latest replay of the entry's change (0: none). */
  seenPos(i: number): number {
    return this.seen[i]!;
  }

  setSeenPos(i: number, pos: number): void {
    this.seen[i] = pos;
  }

  deleted(i: number): boolean {
    return this.flags[i] === 1;
  }

  seq(i: number): string {
    const len = this.seqLen[i]!;
    return len === NO_TEXT ? String(this.pos[i]) : this.arena.get(this.seqAt[i]!, len);
  }

  rev(i: number): string | undefined {
    const len = this.revLen[i]!;
    return len === NO_TEXT ? undefined : this.arena.get(this.revAt[i]!, len);
  }

  /**
   * A table of the entries `keep` keeps, in the same order, and each old number's new one (-1:
   * dropped). The old table's arena holds superseded texts too; the new one only live ones.
   */
  compacted(keep: (i: number) => boolean): { table: EntryTable; renumber: Int32Array } {
    const table = new EntryTable();
    const renumber = new Int32Array(this.n).fill(-1);
    for (let i = 0; i < this.n; i += 1) {
      if (!keep(i)) continue;
      const seqLen = this.seqLen[i]!;
      const j = table.add(
        this.ids[i]!,
        this.pos[i]!,
        seqLen === NO_TEXT ? null : this.arena.get(this.seqAt[i]!, seqLen),
        this.rev(i),
        this.flags[i] === 1,
      );
      table.seen[j] = this.seen[i]!;
      renumber[i] = j;
    }
    return { table, renumber };
  }
}

/** A growing list of entry numbers (a scope key's entries, in feed order). */
export class EntryList {
  private a = new Uint32Array(4);
  length = 0;

  push(i: number): void {
    if (this.length === this.a.length) this.a = grown(this.a, this.a.length * 2);
    this.a[this.length] = i;
    this.length += 1;
  }

  at(k: number): number {
    return this.a[k]!;
  }
}
