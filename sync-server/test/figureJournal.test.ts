/**
 * The figure aggregates follow the store by exact differences (figureTally.ts), written down
 * before they are applied (figures:journal). Here a crash is put after every write a step makes
 * in turn — the write lands, the process goes on as if it had died there — and the follower,
 * starting over from what is stored, must end with every count equal to a count over the
 * stored cases and every drill-down list equal to what the cases say, on a real store (the
 * embedded store, and CouchDB when COUCHDB_URL is set). A drill-down list folded part-way must
 * read the same too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentScope } from 'nano';
import { RefData } from '../src/domain/refData.js';
import type { DbKey, Store } from '../src/store/store.js';
import {
  aggregateIdOf,
  aggregateRows,
  FigureAggregates,
  type Aggregate,
  type FigureAggregatesOptions,
} from '../src/figures/figureAggregates.js';
import { docEntries, dueTarget, type SegmentDoc } from '../src/figures/figureIndex.js';
import { fold, foldIfMany, MAX_SEGMENTS, segmentRange } from '../src/figures/figureSegments.js';
import { fetchDocs, readAggregates } from '../src/figures/figureStore.js';
import { Tally } from '../src/figures/figureTally.js';
import { storeModes } from './helpers/hubProcess.js';
import { openTestStore, type TestStore } from './helpers/testStore.js';

/** A crash after the n-th write to the hub database (counted from when it is armed). */
class Crashes {
  writes = 0;
  at: number | null = null;
  fired = 0;
  arm(n: number) {
    this.writes = 0;
    this.at = n;
  }
}

/** The store as the follower sees it: every write to `hub` counted, one of them its last. */
function crashing(store: Store, crashes: Crashes): Store {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'db') {
        return (key: DbKey) => {
          const db = target.db(key);
          if (key !== 'hub') return db;
          return new Proxy(db, {
            get(d, p) {
              const v = Reflect.get(d, p) as unknown;
              if (typeof v !== 'function') return v;
              if (p !== 'bulk' && p !== 'insert') return v.bind(d);
              return async (...args: unknown[]) => {
                const r = (await v.apply(d, args)) as unknown;
                crashes.writes += 1;
                if (crashes.at !== null && crashes.writes === crashes.at) {
                  crashes.at = null;
                  crashes.fired += 1;
                  throw new Error('injected crash after a write that landed');
                }
                return r;
              };
            },
          }) as unknown as DocumentScope<never>;
        };
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

const TOWNS = ['town-a', 'town-b'];
const day = (n: number) => `2026-11-${String(10 + n).padStart(2, '0')}T02:00:00.000Z`;

function caseDoc(i: number, over: Record<string, unknown> = {}) {
  const town = TOWNS[i % 2]!;
  return {
    _id: `c${String(i).padStart(4, '0')}`,
    id: `c${String(i).padStart(4, '0')}`,
    townId: town,
    originUnitId: `${town}-v${i % 3}`,
    holderUnitId: `${town}-v${i % 3}`,
    matterCode: `M${i % 4}`,
    status: 'accepted',
    deadlines: { promisedDue: `2026-12-${String(1 + (i % 20)).padStart(2, '0')}` },
    formerUnitIds: [],
    events: [
      { type: 'receive', hubTime: day(i % 5), deviceTime: day(i % 5), deviceId: `d${i % 7}` },
      { type: 'accept', hubTime: day(i % 5), deviceTime: day(i % 5), deviceId: `d${i % 7}` },
    ],
    ...over,
  };
}

describe.each(storeModes())('figure aggregates through crashes on the %s store', (mode) => {
  let opened: TestStore;
  let store: Store;
  const crashes = new Crashes();

  beforeAll(async () => {
    opened = await openTestStore(mode, 'figj');
    store = opened.store;
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
  });

  async function storedCases(): Promise<Array<Record<string, unknown> & { _id: string }>> {
    const res = await store.db('cases').list({ include_docs: true });
    return res.rows.flatMap((r) =>
      r.doc && !r.id.startsWith('_design/')
        ? [r.doc as Record<string, unknown> & { _id: string }]
        : [],
    );
  }

  /** Differences between what is stored and a count over the stored cases (none: agreed). */
  async function disagreements(): Promise<string[]> {
    const cases = await storedCases();
    const truth = new Tally();
    const lists = new Map<string, Map<string, string>>();
    for (const doc of cases) {
      for (const [t, entry] of docEntries('cases', doc)) {
        truth.add(t, entry, 1);
        if (t.startsWith('r:')) continue;
        let l = lists.get(t);
        if (!l) lists.set(t, (l = new Map()));
        l.set(doc._id, entry);
      }
    }
    const out: string[] = [];
    // Each case's state is its entries now (what its next version is compared with).
    const states = await fetchDocs<{ _id: string; entries: Record<string, string> }>(
      store,
      cases.map((c) => `figdoc:cases:${c._id}`),
    );
    for (const doc of cases) {
      const now = Object.entries(Object.fromEntries(docEntries('cases', doc))).sort();
      const st = Object.entries(states.get(`figdoc:cases:${doc._id}`)?.entries ?? {}).sort();
      if (JSON.stringify(now) !== JSON.stringify(st)) out.push(`state ${doc._id}`);
    }
    const expected = new Map(truth.changed().map(([t, rows]) => [t, new Map(rows)]));
    for (const scope of ['county', ...TOWNS])
      expected.set(dueTarget(scope), expected.get(dueTarget(scope)) ?? new Map());
    const stored = await fetchDocs<Aggregate>(store, [...expected.keys()].map(aggregateIdOf));
    for (const [t, rows] of expected) {
      const doc = stored.get(aggregateIdOf(t));
      const got = doc ? aggregateRows(doc) : new Map<string, number>();
      if (JSON.stringify([...got].sort()) !== JSON.stringify([...rows].sort()))
        out.push(`counts ${t}`);
    }
    // No aggregate counts anything the cases do not.
    for (const d of await readAggregates<Aggregate>(store, 'figday:', 'figday:\uffff')) {
      const t = `d:${(d as { scope: string }).scope}:${(d as { day: string }).day}`;
      if (!expected.has(t) && aggregateRows(d).size > 0) out.push(`counts ${t} left over`);
    }
    for (const [t, entries] of lists) {
      const [a, b] = segmentRange(t);
      const got = fold(await readAggregates<SegmentDoc>(store, a, b));
      if (JSON.stringify([...got].sort()) !== JSON.stringify([...entries].sort()))
        out.push(`list ${t}`);
    }
    // No list keeps a case that no longer counts there.
    for (const s of await readAggregates<SegmentDoc>(store, 'figseg:', 'figseg:\uffff')) {
      const t = `d:${s._id.split(':').slice(1, -1).join(':')}`;
      if (lists.has(t)) continue;
      const [a, b] = segmentRange(t);
      if (fold(await readAggregates<SegmentDoc>(store, a, b)).size > 0)
        out.push(`list ${t} left over`);
    }
    return out;
  }

  /**
   * A follower started over from what is stored (as a hub process would be), run until every
   * count, list and state agrees with the cases or 60 s have passed, then stopped. What still
   * disagrees (none: agreed).
   */
  async function followUntilAgreed(
    s: Store,
    ref: RefData,
    opts?: FigureAggregatesOptions,
  ): Promise<string[]> {
    const follower = new FigureAggregates(s, ref, opts);
    follower.start();
    try {
      const deadline = Date.now() + 60_000;
      let last: string[] = [];
      while (Date.now() < deadline) {
        last = await disagreements();
        if (last.length === 0) return last;
        await new Promise((r) => setTimeout(r, 300));
      }
      return last;
    } finally {
      await follower.stop();
    }
  }

  it('ends every step with exact counts and lists, whichever write it crashed after', async () => {
    const ref = new RefData(store);
    const cases = store.db<Record<string, unknown>>('cases');
    let next = 0;
    const add = async (n: number) => {
      const docs = Array.from({ length: n }, () => caseDoc((next += 1)));
      await cases.bulk({ docs });
    };
    await add(60);
    // A first follower builds the aggregates, uncrashed.
    expect(await followUntilAgreed(crashing(store, crashes), ref)).toEqual([]);

    // Each round: new cases, cases moved to the other town, concluded, given a late event;
    // the follower crashes after its k-th write to `hub`, starts over and must agree.
    for (let k = 1; k <= 12; k += 1) {
      await add(8);
      const stored = (await storedCases()).filter((_, i) => i % 5 === k % 5).slice(0, 12);
      const changed = stored.map((doc, i) => {
        if (i % 3 === 0) {
          const town = doc.townId === 'town-a' ? 'town-b' : 'town-a';
          return {
            ...doc,
            townId: town,
            originUnitId: `${town}-v0`,
            formerUnitIds: [doc.townId, doc.originUnitId],
          };
        }
        const events = doc.events as Array<Record<string, unknown>>;
        if (i % 3 === 1) {
          return {
            ...doc,
            status: 'concluded',
            events: [
              ...events,
              { type: 'conclude', hubTime: day(6), deviceTime: day(6), deviceId: 'd1' },
            ],
          };
        }
        // A late accept that sorts first: the "accepted" fact moves to an earlier day.
        return {
          ...doc,
          events: [
            { type: 'accept', hubTime: day(0), deviceTime: day(0), deviceId: 'd2' },
            ...events,
          ],
        };
      });
      await cases.bulk({ docs: changed });
      crashes.arm(k);
      expect(
        await followUntilAgreed(crashing(store, crashes), ref),
        `crash after write ${k}`,
      ).toEqual([]);
    }
    // Most crash points were reached (a step makes about ten writes to `hub`).
    expect(crashes.fired).toBeGreaterThanOrEqual(8);
  }, 300_000);

  it('rebuilds when a stored count disagrees with the cases, and ends exact', async () => {
    const ref = new RefData(store);
    const cases = store.db<Record<string, unknown>>('cases');
    // Cases of their own (even numbers: all in town-a), beside the first test's if it ran.
    const docs = Array.from({ length: 10 }, (_, k) => caseDoc(5000 + 2 * k));
    await cases.bulk({ docs });
    const logs: string[] = [];
    const log = (m: string) => logs.push(m);
    expect(await followUntilAgreed(store, ref, { log })).toEqual([]);

    // A town's day loses its counts behind the follower's back (an older hub database restored
    // over the newer, a hand edit): its next difference there would take rows it no longer has.
    const target = [...docEntries('cases', docs[0]!).keys()].find((t) =>
      t.startsWith('d:town-a:'),
    )!;
    expect(target).toBeTruthy();
    const hub = store.db<Record<string, unknown>>('hub');
    const stored = (await fetchDocs<Aggregate>(store, [aggregateIdOf(target)])).get(
      aggregateIdOf(target),
    )!;
    expect(aggregateRows(stored).size).toBeGreaterThan(0);
    await hub.insert({ ...stored, facts: {}, spans: {} } as never);
    expect(await disagreements()).toContain(`counts ${target}`);

    // Every one of these cases moves to town-b: the step takes their rows from town-a's days.
    const current = (await storedCases()).filter((d) => docs.some((x) => x._id === d._id));
    await cases.bulk({
      docs: current.map((d) => ({
        ...d,
        townId: 'town-b',
        originUnitId: 'town-b-v0',
        formerUnitIds: ['town-a', d.originUnitId],
      })),
    });
    expect(await followUntilAgreed(store, ref, { log })).toEqual([]);
    const events = logs.map((m) => (JSON.parse(m) as { event: string }).event);
    const diverged = events.indexOf('figure_aggregates_diverged');
    expect(diverged, events.join(', ')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('figure_aggregates_built', diverged)).toBeGreaterThan(diverged);
  }, 120_000);

  it('reads the same list whichever write of a fold, written in parts, it stopped after', async () => {
    const hub = store.db<Record<string, unknown>>('hub');
    const segmentsOf = (a: string, n: number, from = 1): SegmentDoc[] =>
      Array.from({ length: n }, (_, k) => {
        const s = from + k;
        const entries: Record<string, string> = {};
        for (let c = 0; c < 6; c += 1) {
          const id = `k${(s * 7 + c * 3) % 25}`;
          // Every third one leaves the list.
          entries[id] = (s + c) % 3 === 0 ? '' : `1\treceived\tall\t${s}`;
        }
        return {
          _id: `${a}${String(s).padStart(10, '0')}`,
          type: 'figure_segment',
          version: 0,
          entries,
        };
      });
    // A fold writes its later parts, then its first part over the latest, then drops the older.
    for (const crashAt of [1, 2, 3, null]) {
      const target = `d:county:2026-10-0${crashAt ?? 9}`;
      const [a, b] = segmentRange(target);
      const segments = segmentsOf(a, MAX_SEGMENTS + 3);
      const expected = fold(segments);
      await hub.bulk({ docs: segments as never[] });
      if (crashAt !== null) {
        crashes.arm(crashAt);
        await expect(foldIfMany(crashing(store, crashes), target, 4)).rejects.toThrow(
          /injected crash/,
        );
        expect(
          fold(await readAggregates<SegmentDoc>(store, a, b)),
          `after write ${crashAt}`,
        ).toEqual(expected);
      }
      // Done again, whole (unless the crash came after its last write): the same list, in
      // parts of at most 4, one step's.
      await foldIfMany(store, target, 4);
      const left = await readAggregates<SegmentDoc>(store, a, b);
      expect(fold(left)).toEqual(expected);
      expect(left.every((d) => Object.keys(d.entries).length <= 4)).toBe(true);
      expect(new Set(left.map((d) => d._id.split('~')[0])).size).toBe(1);
      // Its removals are kept until the next fold, which has nothing older they could hide.
      const more = segmentsOf(a, MAX_SEGMENTS, 100).map((m, i) => ({
        ...m,
        entries: { [`n${i}`]: '1\treceived\tall\tx' },
      }));
      await hub.bulk({ docs: more as never[] });
      for (const m of more) expected.set(Object.keys(m.entries)[0]!, Object.values(m.entries)[0]!);
      expect(await foldIfMany(store, target, 4)).toBe(true);
      const last = await readAggregates<SegmentDoc>(store, a, b);
      expect(fold(last)).toEqual(expected);
      expect(last.flatMap((d) => Object.values(d.entries)).filter((e) => e === '')).toEqual([]);
    }
  });
});
