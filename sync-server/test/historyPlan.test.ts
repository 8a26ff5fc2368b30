/**
 * The demo history (`seed-demo --history`) as planned from the demo county: deterministic for
 * a seed, every event legal by the hub's own rules, and every path the cockpit shows present
 * (all four levels, 即办, 容缺, 一次告知, overdue, 差评).
 */
import { describe, expect, it } from 'vitest';
import { DEMO_COUNTY } from '@sibantong/shared';
import { DEFAULT_HISTORY, planHistory, villageMatters } from '../src/seed/historyPlan.js';
import { demoRef } from './helpers/demoRef.js';

const NOW = Date.parse('2026-11-20T06:00:00.000Z');

describe('demo history plan', () => {
  it('is the same for the same seed and day, different for another seed', async () => {
    const ref = demoRef();
    const opts = { ...DEFAULT_HISTORY, days: 30, nowMs: NOW };
    const a = await planHistory(ref, opts, null);
    const b = await planHistory(ref, opts, null);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = await planHistory(ref, { ...opts, seed: 99 }, null);
    expect(JSON.stringify(c.cases.map((x) => x.doc.events))).not.toBe(
      JSON.stringify(a.cases.map((x) => x.doc.events)),
    );
  });

  it('covers every village, every matter, all four levels and the cockpit’s cases', async () => {
    const ref = demoRef();
    const plan = await planHistory(ref, { ...DEFAULT_HISTORY, nowMs: NOW }, null);
    expect(plan.refused).toEqual([]);
    const docs = plan.cases.map((c) => c.doc);
    const villages = DEMO_COUNTY.filter((u) => u.level === 'village').map((u) => u.id);
    expect(new Set(docs.map((d) => d.originUnitId))).toEqual(new Set(villages));
    expect(new Set(docs.map((d) => d.matterCode))).toEqual(
      new Set(villageMatters(ref).map((m) => String(m.code ?? m.id))),
    );
    const has = (pred: (d: (typeof docs)[number]) => boolean) => docs.filter(pred).length;
    const types = (d: (typeof docs)[number]) => d.events.map((e) => e.type);
    expect(has((d) => types(d).includes('forward'))).toBeGreaterThan(50);
    expect(has((d) => types(d).includes('escalate'))).toBeGreaterThan(10);
    expect(has((d) => types(d).includes('assistance_reply'))).toBeGreaterThan(5);
    expect(has((d) => types(d).includes('inform_missing'))).toBeGreaterThan(5);
    expect(has((d) => types(d).includes('refuse'))).toBeGreaterThan(0);
    expect(has((d) => types(d).includes('withdraw'))).toBeGreaterThan(0);
    expect(
      has((d) => d.events.some((e) => e.type === 'accept' && e.payload.deferred !== undefined)),
    ).toBeGreaterThan(20);
    // 即办: concluded at the window minutes after acceptance.
    expect(
      has((d) => d.status === 'evaluated' && d.deadlines?.startDate === d.deadlines?.promisedDue),
    ).toBeGreaterThan(50);
    // Running and past their promised date on the last day.
    expect(
      has(
        (d) =>
          ['accepted', 'accepted_deferred', 'processing'].includes(d.status) &&
          (d.deadlines?.promisedDue ?? '9999') < '2026-11-20',
      ),
    ).toBeGreaterThan(0);
    expect(plan.cases.flatMap((c) => c.badRatings).length).toBeGreaterThan(10);
    // Nothing after "now": every hub time lies in the past.
    for (const d of docs)
      for (const e of d.events) expect(Date.parse(e.hubTime!)).toBeLessThanOrEqual(NOW);
  });
});
