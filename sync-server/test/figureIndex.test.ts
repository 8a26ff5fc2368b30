/**
 * The hub's own figure index (figureIndex.ts, figureTally.ts): each version of a case is
 * counted as its difference from the version counted before, so following every version of a
 * case leaves the same counts and the same drill-down lists as reading its last version alone —
 * also when a late event moves a fact to another day, when the case moves to another town and
 * when it stops running.
 */
import { describe, expect, it } from 'vitest';
import {
  caseEntries,
  decodeRows,
  docEntries,
  encodeRows,
  type Row,
} from '../src/figures/figureIndex.js';
import { diffDoc, segmentChanges, Tally } from '../src/figures/figureTally.js';

const ev = (type: string, hubTime: string, payload: unknown = {}) => ({
  type,
  hubTime,
  deviceTime: hubTime,
  deviceId: 'dev-1',
  payload,
});

const caseDoc = (over: Record<string, unknown>, events: unknown[]) => ({
  _id: 'c1',
  id: 'c1',
  townId: 'town-a',
  originUnitId: 'village-a1',
  holderUnitId: 'village-a1',
  matterCode: 'M1',
  status: 'accepted',
  deadlines: { promisedDue: '2026-11-25' },
  formerUnitIds: [],
  events,
  ...over,
});

/** What the hub keeps: each case's entries, the counts by target, the drill-down lists. */
interface Index {
  states: Map<string, Record<string, string>>;
  counts: Map<string, Map<string, number>>;
  lists: Map<string, Map<string, string>>;
}

function count(index: Index, version: { _id: string }): void {
  const tally = new Tally();
  const before = index.states.get(version._id);
  const c = diffDoc(tally, version._id, version._id, before, docEntries('cases', version));
  if (!c) return;
  for (const [target, rows] of tally.changed()) {
    const counts = index.counts.get(target) ?? new Map<string, number>();
    for (const [row, n] of rows) {
      const v = (counts.get(row) ?? 0) + n;
      expect(v).toBeGreaterThanOrEqual(0);
      if (v === 0) counts.delete(row);
      else counts.set(row, v);
    }
    if (counts.size > 0) index.counts.set(target, counts);
    else index.counts.delete(target);
  }
  for (const [target, entries] of segmentChanges([c])) {
    const list = index.lists.get(target) ?? new Map<string, string>();
    for (const [id, entry] of entries) {
      if (entry) list.set(id, entry);
      else list.delete(id);
    }
    if (list.size > 0) index.lists.set(target, list);
    else index.lists.delete(target);
  }
  index.states.set(version._id, c.entries);
}

const empty = (): Index => ({ states: new Map(), counts: new Map(), lists: new Map() });

function followed(versions: Array<{ _id: string }>): Index {
  const index = empty();
  for (const v of versions) count(index, v);
  return index;
}

function readOnce(doc: { _id: string }): Index {
  const index = empty();
  count(index, doc);
  return index;
}

describe('the figure index', () => {
  it('keeps rows exactly through its encoding: repeated rows, empty values, odd characters', () => {
    const rows: Row[] = [
      ['all', 'received', ''],
      ['village', 'received', 'v1'],
      ['all', 'rate4', ''],
      ['all', 'rate4', ''],
      ['matter', 'received', 'M\t1%\n'],
      ['~span', '2026-11-20', ''],
    ];
    const back: Row[] = [];
    decodeRows(encodeRows(rows), (d, f, v) => back.push([d, f, v]));
    const key = (r: Row) => r.join('|');
    expect(back.map(key).sort()).toEqual(rows.map(key).sort());
  });

  it('files a case under each scope and day it counts on, its running state by scope', () => {
    const doc = caseDoc({}, [
      ev('receive', '2026-11-19T01:00:00.000Z'),
      ev('accept', '2026-11-20T02:00:00.000Z'),
    ]);
    const { days, due } = caseEntries(doc);
    expect([...days.keys()].sort()).toEqual([
      'county\u00002026-11-19',
      'county\u00002026-11-20',
      'town-a\u00002026-11-19',
      'town-a\u00002026-11-20',
    ]);
    const rows: string[] = [];
    decodeRows(due.get('county')!, (d, day, v) => rows.push(`${d} ${day} ${v}`));
    expect(rows.sort()).toEqual([
      'all 2026-11-25 ',
      'matter 2026-11-25 M1',
      'town 2026-11-25 town-a',
      'village 2026-11-25 village-a1',
    ]);
  });

  it('after every version of a case, holds what its last version alone would', () => {
    const v1 = caseDoc({}, [
      ev('receive', '2026-11-19T01:00:00.000Z'),
      ev('accept', '2026-12-03T02:00:00.000Z'),
    ]);
    // A late accept that sorts first: "accepted" leaves 12-03 for 11-20.
    const v2 = caseDoc({}, [
      ev('receive', '2026-11-19T01:00:00.000Z'),
      ev('accept', '2026-11-20T02:00:00.000Z'),
      ev('accept', '2026-12-03T02:00:00.000Z'),
    ]);
    // Moved to a village of another town: nothing may stay under town-a.
    const v3 = caseDoc(
      { townId: 'town-b', originUnitId: 'village-b1', formerUnitIds: ['town-a', 'village-a1'] },
      v2.events,
    );
    // Concluded: no longer running, so no promised-date rows anywhere.
    const v4 = caseDoc(
      {
        townId: 'town-b',
        originUnitId: 'village-b1',
        formerUnitIds: ['town-a', 'village-a1'],
        status: 'concluded',
      },
      [...v2.events, ev('conclude', '2026-12-04T03:00:00.000Z')],
    );
    for (const versions of [
      [v1, v2],
      [v1, v2, v3],
      [v1, v3],
      [v1, v2, v3, v4],
    ]) {
      const last = versions[versions.length - 1]!;
      expect(followed(versions)).toEqual(readOnce(last));
    }
    const after = followed([v1, v2, v3]);
    expect([...after.counts.keys()].filter((t) => t.includes('town-a'))).toEqual([]);
    expect([...after.lists.keys()].filter((t) => t.includes('town-a'))).toEqual([]);
    expect(after.lists.get('d:town-b:2026-11-20')?.has('c1')).toBe(true);
    const done = followed([v1, v2, v3, v4]);
    expect([...done.counts.keys()].some((t) => t.startsWith('u:'))).toBe(false);
    expect([...done.lists.keys()].some((t) => t.startsWith('u:'))).toBe(false);
  });
});
