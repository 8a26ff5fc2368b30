/**
 * What a changed case makes the embedded store's aggregates recompute (figureAggregates.ts):
 * a fact is dated by the first event of its type, so a late event that sorts first moves the
 * fact to another day, and the day it leaves must be recomputed too.
 */
import { describe, expect, it } from 'vitest';
import { earlierFactDays, emptyTouched, touchCase } from '../src/figures/figureAggregates.js';

const ev = (type: string, hubTime: string) => ({ type, hubTime, deviceTime: hubTime });

const caseDoc = (events: unknown[]) => ({
  _id: 'c1',
  id: 'c1',
  townId: 'town-dq',
  originUnitId: 'village-dq-01',
  holderUnitId: 'village-dq-01',
  matterCode: 'M1',
  status: 'accepted',
  formerUnitIds: [],
  events,
});

describe('days a changed case touches', () => {
  it('recomputes the day a fact leaves when a late event of its type sorts first', () => {
    // Accepted on 11-20 (China time); a second accept stored today sorts before it: the
    // "accepted" fact now counts on 12-03 and must leave 11-20.
    const doc = caseDoc([
      ev('receive', '2026-11-19T01:00:00.000Z'),
      ev('accept', '2026-12-03T02:00:00.000Z'),
      ev('accept', '2026-11-20T02:00:00.000Z'),
      ev('log', '2026-11-25T02:00:00.000Z'),
    ]);
    const t = emptyTouched();
    touchCase(t, doc, new Set(['town-dq']));
    expect([...t.caseDays].sort()).toEqual([
      'county\u00002026-11-19',
      'county\u00002026-11-20',
      'county\u00002026-12-03',
      'town-dq\u00002026-11-19',
      'town-dq\u00002026-11-20',
      'town-dq\u00002026-12-03',
    ]);
  });

  it('takes the day in China time, and only from the types that date a fact', () => {
    const days = earlierFactDays(
      caseDoc([
        ev('receive', '2026-11-30T17:00:00.000Z'), // 12-01 01:00 in China
        ev('log', '2026-11-10T02:00:00.000Z'),
        ev('rate', '2026-11-11T02:00:00.000Z'),
        { type: 'conclude', deviceTime: 'not a time' },
      ]),
    );
    expect([...days]).toEqual(['2026-12-01']);
  });
});
