/** The pull scope index on its own: feed order, latest entry only, keys, checkpoints. */
import { describe, expect, it, vi } from 'vitest';
import { CaseScopeIndex, DELETION_KEY } from '../src/sync/caseIndex.js';

const doc = (id: string, village: string, extra: Record<string, unknown> = {}) => ({
  _id: id,
  id,
  originUnitId: village,
  holderUnitId: village,
  townId: 'town-dq',
  assistingDeptIds: [],
  formerUnitIds: [],
  events: [],
  ...extra,
});

describe('case scope index', () => {
  it('walks a key in feed order, keeps only each case’s latest change, resumes after a position', () => {
    const index = new CaseScopeIndex(true);
    expect(index.posOf('0')).toBeUndefined(); // not warm yet: callers scan
    index.apply(
      [
        { id: 'a', seq: 1, doc: doc('a', 'village-dq-01') },
        { id: 'b', seq: 2, doc: doc('b', 'village-dq-02') },
        { id: '_design/x', seq: 3 },
        { id: 'c', seq: 4, doc: doc('c', 'village-dq-01') },
        { id: 'a', seq: 5, doc: doc('a', 'village-dq-01') },
      ],
      5,
    );
    index.markWarm();
    const walk = index.walk(['u:village-dq-01'], 0, 10);
    expect(walk.entries.map((e) => [e.id, e.seq])).toEqual([
      ['c', '4'],
      ['a', '5'],
    ]);
    expect(walk).toMatchObject({ exhausted: true, headSeq: '5' });
    // A bounded walk stops before the head; resuming from the last entry continues.
    const first = index.walk(['u:village-dq-01'], 0, 1);
    expect(first.exhausted).toBe(false);
    expect(
      index.walk(['u:village-dq-01'], first.entries[0]!.pos, 10).entries.map((e) => e.id),
    ).toEqual(['a']);
    expect(index.posOf('3')).toBe(3);
    expect(index.posOf('6')).toBeUndefined(); // beyond what the index has read
  });

  it('files a moved case under its former village and a deletion under every caller', () => {
    const index = new CaseScopeIndex(true);
    index.apply(
      [
        { id: 'm', seq: 1, doc: doc('m', 'village-dq-02', { formerUnitIds: ['village-dq-01'] }) },
        { id: 'd', seq: 2, deleted: true, doc: null },
      ],
      2,
    );
    index.markWarm();
    expect(index.walk(['u:village-dq-01'], 0, 10).entries.map((e) => e.id)).toEqual(['m']);
    expect(index.walk(['u:village-xh-01', DELETION_KEY], 0, 10).entries).toEqual([
      { id: 'd', seq: '2', pos: 2, deleted: true },
    ]);
  });

  it('numbers opaque CouchDB sequences itself and knows only those it read', () => {
    const index = new CaseScopeIndex(false);
    index.apply(
      [
        { id: 'a', seq: '1-g1AAAA', doc: doc('a', 'village-dq-01') },
        { id: 'b', seq: '2-g1AAAB', doc: doc('b', 'village-dq-01') },
      ],
      '2-g1AAAB',
    );
    index.markWarm();
    const from = index.posOf('1-g1AAAA');
    expect(from).toBeDefined();
    expect(index.walk(['u:village-dq-01'], from!, 10).entries.map((e) => e.id)).toEqual(['b']);
    expect(index.posOf('7-g1unknown')).toBeUndefined();
  });

  it('hands out the revision each change wrote, and says which cases it has never seen', () => {
    const index = new CaseScopeIndex(true);
    expect(index.mayExist('a')).toBe(true); // warming: it cannot tell yet
    index.apply(
      [
        { id: 'a', seq: 1, doc: doc('a', 'village-dq-01'), changes: [{ rev: '1-x' }] },
        { id: 'a', seq: 2, doc: doc('a', 'village-dq-01'), changes: [{ rev: '2-y' }] },
        { id: 'g', seq: 3, deleted: true, doc: null, changes: [{ rev: '2-z' }] },
      ],
      3,
    );
    index.markWarm();
    expect(index.walk(['u:village-dq-01'], 0, 10).entries).toEqual([
      { id: 'a', seq: '2', pos: 2, deleted: false, rev: '2-y' },
    ]);
    expect(index.mayExist('a')).toBe(true);
    expect(index.mayExist('g')).toBe(true); // deleted: the store still holds its tombstone
    expect(index.mayExist('never')).toBe(false);
  });

  it('does not hand a device again a change a cluster’s feed replays under a new sequence', async () => {
    const index = new CaseScopeIndex(false);
    index.apply(
      [
        { id: 'a', seq: '1-g1A', doc: doc('a', 'village-dq-01'), changes: [{ rev: '1-x' }] },
        { id: 'm', seq: '2-g1B', deleted: true, doc: null, changes: [{ rev: '3-r' }] },
      ],
      '2-g1B',
    );
    index.markWarm();
    const checkpoint = index.posOf('2-g1B')!;
    // Another copy of the shard: the same two revisions again, then a real change of 'a'.
    index.apply(
      [
        { id: 'm', seq: '3-g1C', deleted: true, doc: null, changes: [{ rev: '3-r' }] },
        { id: 'a', seq: '4-g1D', doc: doc('a', 'village-dq-01'), changes: [{ rev: '1-x' }] },
      ],
      '4-g1D',
    );
    const keys = ['u:village-dq-01', DELETION_KEY];
    expect(index.walk(keys, checkpoint, 10).entries).toEqual([]);
    // Read there all the same: a pull waiting for the feed's rows after the checkpoint returns.
    expect(await index.reachIds(['a', 'm'], checkpoint, 50)).toBe(true);
    index.apply(
      [{ id: 'a', seq: '5-g1E', doc: doc('a', 'village-dq-01'), changes: [{ rev: '2-y' }] }],
      '5-g1E',
    );
    expect(index.walk(keys, checkpoint, 10).entries.map((e) => [e.id, e.rev])).toEqual([
      ['a', '2-y'],
    ]);
  });

  it('says whether it has read a revision this hub wrote, or a later one', async () => {
    const index = new CaseScopeIndex(false);
    index.apply(
      [{ id: 'a', seq: '1-g1A', doc: doc('a', 'village-dq-01'), changes: [{ rev: '2-x' }] }],
      '1-g1A',
    );
    expect(index.holds('a', '1-w')).toBe(true);
    expect(index.holds('a', '2-x')).toBe(true);
    expect(index.holds('a', '3-y')).toBe(false);
    expect(index.holds('b', '1-z')).toBe(false);
    expect(await index.reachRevs([{ id: 'a', rev: '3-y' }], 30)).toBe(false);
    const waiting = index.reachRevs([{ id: 'a', rev: '3-y' }], 5_000);
    index.apply(
      [{ id: 'a', seq: '2-g1B', doc: doc('a', 'village-dq-01'), changes: [{ rev: '3-y' }] }],
      '2-g1B',
    );
    expect(await waiting).toBe(true);
  });

  it('after dropping superseded entries, still walks, resumes and answers exactly as a fresh read would', async () => {
    // CouchDB mode, with sequences as long as CouchDB's: a few cases changed tens of thousands
    // of times (the index compacts once superseded entries outnumber live ones).
    const opaque = (n: number) => `${n}-g1AAAAB${'x'.repeat(100)}${n.toString(36)}`;
    const index = new CaseScopeIndex(false);
    const villages = ['village-dq-01', 'village-dq-02'];
    const latest = new Map<string, { n: number; village: string; rev: string }>();
    let n = 0;
    for (let batch = 0; batch < 60; batch += 1) {
      const rows = [];
      for (let k = 0; k < 500; k += 1) {
        n += 1;
        // 40 cases written once, amid the churn of 10 cases that change all the time.
        const id = n > 5000 && n <= 5040 ? `case-${n}` : `hot-${n % 10}`;
        const village = villages[(n >> 3) % 2]!;
        const rev = `${n}-${n.toString(16).padStart(32, '0')}`;
        latest.set(id, { n, village, rev });
        rows.push({ id, seq: opaque(n), changes: [{ rev }], doc: doc(id, village) });
      }
      index.apply(rows, opaque(n));
    }
    index.markWarm();
    expect(index.size).toBe(50);
    for (const village of villages) {
      const expected = [...latest]
        .filter(([, v]) => v.village === village)
        .sort((a, b) => a[1].n - b[1].n)
        .map(([id, v]) => ({ id, seq: opaque(v.n), rev: v.rev }));
      const walk = index.walk([`u:${village}`], 0, 1000);
      expect(walk.exhausted).toBe(true);
      expect(walk.entries.map(({ id, seq, rev }) => ({ id, seq, rev }))).toEqual(expected);
      // Resuming from a checkpoint handed out mid-way gives the rest.
      const half = index.walk([`u:${village}`], 0, 5);
      const from = index.posOf(half.entries[4]!.seq)!;
      expect(index.walk([`u:${village}`], from, 1000).entries.map((e) => e.id)).toEqual(
        expected.slice(5).map((e) => e.id),
      );
    }
    expect(index.holds('case-5007', latest.get('case-5007')!.rev)).toBe(true);
    expect(index.holds('case-5007', `${n + 1}-x`)).toBe(false);
    expect(await index.reachIds(['case-5007'], 0, 10)).toBe(true);
    expect(await index.reachIds(['case-5007'], index.headPos, 10)).toBe(false);
  });

  it('remembers where its head was a few seconds ago, and a case’s latest position', () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-05T08:00:00Z'), toFake: ['Date'] });
    try {
      const index = new CaseScopeIndex(false);
      const t0 = Date.now();
      index.apply([{ id: 'a', seq: '1-x', doc: doc('a', 'village-dq-01') }], '1-x');
      vi.setSystemTime(t0 + 3000);
      index.apply(
        [
          { id: 'b', seq: '2-x', doc: doc('b', 'village-dq-01') },
          { id: 'a', seq: '3-x', doc: doc('a', 'village-dq-01') },
        ],
        '3-x',
      );
      expect(index.headPosAt(t0 - 1)).toBe(0); // before anything was read
      expect(index.headPosAt(t0 + 1000)).toBe(1);
      expect(index.headPosAt(t0 + 3000)).toBe(3);
      expect(index.latestPos('a')).toBe(3);
      expect(index.latestPos('b')).toBe(2);
      expect(index.latestPos('z')).toBeUndefined();
      // A minute later the oldest head is still answered for a minute ago, not forgotten.
      vi.setSystemTime(t0 + 70_000);
      index.apply([{ id: 'c', seq: '4-x', doc: doc('c', 'village-dq-01') }], '4-x');
      expect(index.headPosAt(t0 + 10_000)).toBe(3);
      expect(index.headPosAt(Date.now())).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });
});
