import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupeEvents, deriveCaseState } from '../../src/case/caseMachine.js';
import { CASE_EVENT_TYPES, type CaseDoc, type CaseEvent } from '../../src/case/caseTypes.js';
import { mergeCaseDocs, mergeHistories } from '../../src/case/mergeHistories.js';
import {
  agent,
  CASE_ID,
  caseDocOf,
  deptZrzy,
  fullJourney,
  helper,
  helper2,
  PAYLOADS,
  townLead,
} from './fixtures.js';

const JOURNEY = fullJourney().events;
const HUB_TIMES = [
  '2026-03-02T04:00:00.000Z',
  '2026-03-02T05:00:00.000Z',
  '2026-03-02T06:00:00.000Z',
];

/** The journey plus random concurrent edits by several actors. */
const poolArb: fc.Arbitrary<CaseEvent[]> = fc
  .array(
    fc.record({
      type: fc.constantFrom(...CASE_EVENT_TYPES),
      actor: fc.constantFrom(helper, helper2, townLead, agent, deptZrzy),
      lamport: fc.integer({ min: 1, max: 14 }),
    }),
    { maxLength: 10 },
  )
  .map((noise) => [
    ...JOURNEY,
    ...noise.map(
      ({ type, actor, lamport }, i) =>
        ({
          id: `noise:${i}`,
          caseId: CASE_ID,
          type,
          lamport,
          actor,
          deviceId: 'noise',
          deviceTime: '2026-03-02T03:00:00.000Z',
          payload: PAYLOADS[type],
        }) as CaseEvent,
    ),
  ]);

/** A replica: some of the pool, some events stamped by the hub, rarely a clashing copy. */
const replicaArb = (pool: CaseEvent[]): fc.Arbitrary<CaseEvent[]> =>
  fc
    .array(
      fc.record({
        keep: fc.boolean(),
        hubTime: fc.option(fc.constantFrom(...HUB_TIMES), { nil: undefined }),
        clash: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      }),
      { minLength: pool.length, maxLength: pool.length },
    )
    .map((choices) =>
      pool.flatMap((event, i) => {
        const choice = choices[i]!;
        if (!choice.keep) return [];
        let copy: CaseEvent = choice.hubTime ? { ...event, hubTime: choice.hubTime } : event;
        if (choice.clash) copy = { ...copy, deviceTime: '2026-03-09T00:00:00.000Z' };
        return [copy];
      }),
    );

const threeReplicas = poolArb.chain((pool) =>
  fc.tuple(replicaArb(pool), replicaArb(pool), replicaArb(pool)),
);

const merge = (a: CaseEvent[], b: CaseEvent[]) => mergeHistories(a, b).events;
const ids = (events: readonly CaseEvent[]) => events.map((event) => event.id).sort();

describe('mergeHistories', () => {
  it('is commutative', () => {
    fc.assert(
      fc.property(threeReplicas, ([a, b]) => {
        expect(merge(a, b)).toEqual(merge(b, a));
        const clashIds = (x: CaseEvent[], y: CaseEvent[]) =>
          mergeHistories(x, y)
            .clashes.map((clash) => clash.eventId)
            .sort();
        expect(clashIds(a, b)).toEqual(clashIds(b, a));
      }),
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(threeReplicas, ([a, b, c]) => {
        expect(merge(merge(a, b), c)).toEqual(merge(a, merge(b, c)));
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(threeReplicas, ([a, b]) => {
        expect(merge(a, a)).toEqual(dedupeEvents(a));
        const ab = merge(a, b);
        expect(merge(ab, ab)).toEqual(ab);
        expect(merge(ab, a)).toEqual(ab);
      }),
    );
  });

  it('loses no event and invents none', () => {
    fc.assert(
      fc.property(threeReplicas, ([a, b]) => {
        const union = [...new Set([...ids(a), ...ids(b)])].sort();
        expect(ids(merge(a, b))).toEqual(union);
      }),
    );
  });

  it('gives every replica the same derived state whatever the merge order', () => {
    fc.assert(
      fc.property(threeReplicas, ([a, b, c]) => {
        const one = deriveCaseState(merge(merge(a, b), c));
        const two = deriveCaseState(merge(c, merge(b, a)));
        const three = deriveCaseState(merge(merge(c, a), b));
        expect(two).toEqual(one);
        expect(three).toEqual(one);
      }),
    );
  });

  it('keeps the earliest hubTime and reports clashing content', () => {
    const [receive, accept] = JOURNEY;
    const late = { ...receive!, hubTime: HUB_TIMES[2] };
    const early = { ...receive!, hubTime: HUB_TIMES[0] };
    expect(merge([late], [early])[0]!.hubTime).toBe(HUB_TIMES[0]);
    expect(merge([late], [receive!])[0]!.hubTime).toBe(HUB_TIMES[2]);
    const forged = { ...accept!, payload: {} } as CaseEvent;
    const result = mergeHistories([receive!, accept!], [forged]);
    expect(result.events).toHaveLength(2);
    expect(result.clashes).toHaveLength(1);
    expect(result.clashes[0]!.eventId).toBe(accept!.id);
    expect([result.clashes[0]!.kept, result.clashes[0]!.discarded]).toContainEqual(forged);
  });
});

describe('mergeCaseDocs', () => {
  const docArb = (events: CaseEvent[]) =>
    fc
      .record({
        officialNo: fc.option(fc.constantFrom('SX-2026-0001', 'SX-2026-0002'), { nil: null }),
        formerUnitIds: fc.subarray(['village-dq-01', 'town-dq', 'county-sx']),
        updatedAt: fc.constantFrom(...HUB_TIMES),
        townId: fc.constantFrom('town-dq', 'town-xh'),
      })
      .map((fields) => caseDocOf(events, fields));

  const threeDocs = poolArb.chain((pool) =>
    fc.tuple(
      replicaArb(pool).chain(docArb),
      replicaArb(pool).chain(docArb),
      replicaArb(pool).chain(docArb),
    ),
  );
  const mergeDocs = (a: CaseDoc, b: CaseDoc) => mergeCaseDocs(a, b).doc;

  it('is commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(threeDocs, ([a, b, c]) => {
        expect(mergeDocs(a, b)).toEqual(mergeDocs(b, a));
        expect(mergeDocs(mergeDocs(a, b), c)).toEqual(mergeDocs(a, mergeDocs(b, c)));
        const ab = mergeDocs(a, b);
        expect(mergeDocs(ab, ab)).toEqual(ab);
      }),
    );
  });

  it('recomputes the derived fields and unites the rest', () => {
    const a = caseDocOf(JOURNEY.slice(0, 3), { formerUnitIds: ['village-dq-01'] });
    const b = caseDocOf([...JOURNEY.slice(0, 2), JOURNEY[3]!], {
      officialNo: 'SX-2026-0001',
      formerUnitIds: ['town-dq'],
      updatedAt: '2026-03-02T09:00:00.000Z',
    });
    const merged = mergeDocs(a, b);
    expect(merged).toMatchObject({
      officialNo: 'SX-2026-0001',
      formerUnitIds: ['town-dq', 'village-dq-01'],
      updatedAt: '2026-03-02T09:00:00.000Z',
      status: 'accepted_deferred',
      holderUnitId: 'town-dq',
      handlerUserId: 't.dq',
    });
    expect(merged.events.map((event) => event.id)).toEqual(
      JOURNEY.slice(0, 4).map((event) => event.id),
    );
  });

  it('refuses to merge two different cases', () => {
    expect(() => mergeCaseDocs(caseDocOf(JOURNEY), caseDocOf(JOURNEY, { id: 'case-2' }))).toThrow(
      /CASE_ID_MISMATCH/,
    );
  });
});
