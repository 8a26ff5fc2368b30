/**
 * Random offline interleavings (issue 13, issue 19 fault 3): a village forwarded a 容缺 case to
 * its town; then, offline, the town works the case while a PC of the village records whatever
 * it likes with a history that stops anywhere before or after the handoff. The pushes reach the
 * hub in any order, in any slices, with random device ids (so any id order). Whatever happens:
 * - the holder's own work is all accepted, and so is every supplement of materials;
 * - nothing else from the village is accepted: it cannot change deadlines, holder or outcome;
 * - the result does not depend on arrival order or device ids.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, deriveCaseState } from '../../src/case/caseMachine.js';
import type { CaseEvent, CaseEventType, EventPayloads } from '../../src/case/caseTypes.js';
import { createEvent } from '../../src/case/newEvent.js';
import { validateNewEvents } from '../../src/case/validateNewEvents.js';
import type { Actor } from '../../src/org/orgTypes.js';
import { deferredAccept, helper, material, org, PAYLOADS, townLead } from './fixtures.js';

const CASE = 'case-prop';
const TOWN_OPS = ['suspend', 'resume', 'extend', 'log', 'supplement', 'escalate'] as const;
const VILLAGE_OPS = [
  'supplement',
  'supplement_extra',
  'extend',
  'log',
  'suspend',
  'conclude',
  'return_for_correction',
  'accept',
  'terminate',
] as const;

function payloadOf(op: string): { type: CaseEventType; payload: EventPayloads[CaseEventType] } {
  switch (op) {
    case 'supplement':
      return { type: 'supplement', payload: { materials: [material('m2')] } };
    case 'supplement_extra':
      return { type: 'supplement', payload: { materials: [material('m3')] } };
    case 'extend':
      return { type: 'extend', payload: { reason: '复杂', extraDays: 7, approverName: '主任' } };
    case 'conclude':
      return { type: 'conclude', payload: { outcome: 'approved', opinion: '准予' } };
    default:
      return { type: op as CaseEventType, payload: PAYLOADS[op as CaseEventType] };
  }
}

class Device {
  private counter = 0;
  constructor(
    readonly id: string,
    readonly actor: Actor,
  ) {}
  make(op: string, seen: readonly CaseEvent[], at: number): CaseEvent {
    const { type, payload } = payloadOf(op);
    this.counter += 1;
    return createEvent({
      caseEvents: seen,
      caseId: CASE,
      type,
      payload,
      actor: this.actor,
      deviceId: this.id,
      counter: this.counter,
      now: new Date(Date.parse('2026-03-02T01:00:00Z') + at * 60_000),
    }) as CaseEvent;
  }
}

/** The stored history: village received, accepted under 容缺 (m2 due), forwarded; town claimed. */
function baseHistory(): CaseEvent[] {
  const dev = new Device('base-village', helper);
  const town = new Device('base-town', townLead);
  const events: CaseEvent[] = [];
  events.push(dev.make('receive', events, 0));
  const accept = createEvent({
    caseEvents: events,
    caseId: CASE,
    type: 'accept',
    payload: deferredAccept('2026-03-20'),
    actor: helper,
    deviceId: 'base-village',
    counter: 99,
    now: '2026-03-02T01:01:00Z',
  }) as CaseEvent;
  events.push(accept);
  events.push(dev.make('forward', events, 2));
  events.push(town.make('claim', events, 3));
  return events;
}

interface Push {
  by: Actor;
  deviceId: string;
  events: CaseEvent[];
}

/** Splits a device's events (in its own order) into 1–3 consecutive pushes. */
function slices(events: CaseEvent[], cuts: number[]): CaseEvent[][] {
  const points = [...new Set(cuts.map((c) => c % (events.length + 1)))].sort((a, b) => a - b);
  const out: CaseEvent[][] = [];
  let from = 0;
  for (const p of [...points, events.length]) {
    if (p > from) out.push(events.slice(from, p));
    from = Math.max(from, p);
  }
  return out;
}

const deviceId = fc.stringMatching(/^[0-9a-f]{6}$/);

describe('random offline interleavings at the hub', () => {
  it('accept all legitimate offline work and let no former holder change the case', () => {
    fc.assert(
      fc.property(
        deviceId,
        deviceId,
        fc.array(fc.constantFrom(...TOWN_OPS), { maxLength: 7 }),
        fc.array(
          fc.record({ op: fc.constantFrom(...VILLAGE_OPS), view: fc.integer({ min: 2, max: 4 }) }),
          { maxLength: 6 },
        ),
        fc.array(fc.nat(8), { maxLength: 2 }),
        fc.array(fc.nat(8), { maxLength: 2 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (townId, villageId, townOps, villageOps, townCuts, villageCuts, order) => {
          const base = baseHistory();
          const org2 = { org };

          // The town works on its own view, one legal step after another.
          const townDev = new Device(`t${townId}`, townLead);
          const townEvents: CaseEvent[] = [];
          let townState = deriveCaseState(base);
          for (const op of townOps) {
            const event = townDev.make(op, [...base, ...townEvents], 10 + townEvents.length);
            const step = applyEvent(townState, event, org2);
            if (!step.ok) continue;
            townState = step.value;
            townEvents.push(event);
          }

          // A PC of the village writes on a history cut before or after the handoff.
          const villageDev = new Device(`v${villageId}`, helper);
          const villageEvents: CaseEvent[] = [];
          for (const { op, view } of villageOps) {
            const seen = [...base.slice(0, view), ...villageEvents];
            villageEvents.push(villageDev.make(op, seen, 20 + villageEvents.length));
          }
          const isSupplement = (e: CaseEvent) => e.type === 'supplement';

          const queues: Push[][] = [
            slices(townEvents, townCuts).map((events) => ({
              by: townLead,
              deviceId: townDev.id,
              events,
            })),
            slices(villageEvents, villageCuts).map((events) => ({
              by: helper,
              deviceId: villageDev.id,
              events,
            })),
          ];
          let stored = [...base];
          let turn = 0;
          while (queues.some((q) => q.length > 0)) {
            const pick =
              queues[0]!.length === 0
                ? 1
                : queues[1]!.length === 0
                  ? 0
                  : order[turn % order.length]
                    ? 1
                    : 0;
            turn += 1;
            const push = queues[pick]!.shift()!;
            const verdict = validateNewEvents(stored, push.events, {
              org,
              caseId: CASE,
              pushedBy: push.by,
              deviceId: push.deviceId,
            });
            const accepted = verdict.ok ? verdict.value.added : verdict.accepted.added;
            stored = [...stored, ...accepted];
          }

          const storedIds = new Set(stored.map((e) => e.id));
          // The holder's work and every supplement are kept ...
          for (const e of townEvents) expect(storedIds.has(e.id)).toBe(true);
          for (const e of villageEvents.filter(isSupplement))
            expect(storedIds.has(e.id)).toBe(true);
          // ... and nothing else the village wrote.
          for (const e of villageEvents.filter((x) => !isSupplement(x))) {
            expect(storedIds.has(e.id)).toBe(false);
          }
          // So the case is what the town made of it, with the materials handed in.
          const final = deriveCaseState(stored);
          const expected = deriveCaseState([
            ...base,
            ...townEvents,
            ...villageEvents.filter(isSupplement),
          ]);
          expect(final.voidEventIds).toEqual([]);
          expect(final.holderUnitId).toBe(expected.holderUnitId);
          expect(final.extensionDaysTotal).toBe(
            townEvents.filter((e) => e.type === 'extend').length * 7,
          );
          expect(final.status).toBe(expected.status);
          expect(final.conclusion?.eventId ?? null).toBe(
            townEvents.find((e) => e.type === 'conclude')?.id ?? null,
          );
          expect(final.suspensions.length).toBe(
            townEvents.filter((e) => e.type === 'suspend').length,
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});
