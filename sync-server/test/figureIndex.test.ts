/**
 * The hub's own figure index (figureIndex.ts, figureAggregates.ts): a case's entries are
 * replaced, never added to, so following every version of a case leaves the same index as
 * reading its last version alone — also when a late event moves a fact to another day and when
 * the case moves to another town.
 */
import { describe, expect, it } from 'vitest';
import { IndexChanges, type Updates } from '../src/figures/figureAggregates.js';
import {
  caseEntries,
  decodeRows,
  dueShardOf,
  encodeRows,
  type Row,
} from '../src/figures/figureIndex.js';

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

type Index = Map<string, Map<string, string>>;

function apply(index: Index, updates: Updates): void {
  for (const [id, changes] of updates) {
    const doc = index.get(id) ?? new Map<string, string>();
    for (const [key, entry] of changes) {
      if (entry === null) doc.delete(key);
      else doc.set(key, entry);
    }
    if (doc.size > 0) index.set(id, doc);
    else index.delete(id);
  }
}

const TOWNS = new Set(['town-a', 'town-b']);

function followed(versions: Array<{ _id: string }>): Index {
  const index: Index = new Map();
  for (const v of versions) {
    const c = new IndexChanges();
    c.addCase(v, TOWNS, true);
    apply(index, c.updates);
  }
  return index;
}

function readOnce(doc: { _id: string }): Index {
  const index: Index = new Map();
  const c = new IndexChanges();
  c.addCase(doc, TOWNS, false);
  apply(index, c.updates);
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
    expect(dueShardOf('c1')).toMatch(/^[0-9a-f]{2}$/);
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
    expect([...after.keys()].filter((id) => id.includes('town-a'))).toEqual([]);
    expect([...after.keys()].some((id) => id.startsWith('figidx:town-b:2026-11-20'))).toBe(true);
    expect([...followed([v1, v2, v3, v4]).keys()].some((id) => id.startsWith('figdueidx:'))).toBe(
      false,
    );
  });
});
