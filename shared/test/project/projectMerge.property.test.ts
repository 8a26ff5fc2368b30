/**
 * Concurrent offline edits: replicas of one project, each edited on its own device by a team
 * member (or an outsider), merge to the same document in any order and keep every event;
 * every member's log entry and plan item survives into the derived state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deriveProjectState,
  mergeProjectDocs,
  projectDocOf,
  type ProjectDoc,
  type ProjectEvent,
} from '../../src/project/index.js';
import type { Actor } from '../../src/org/orgTypes.js';
import { baseHistory, centre, deptZj, deptZrzy, Device, townDq, villageDq01 } from './fixtures.js';

const MEMBERS: readonly Actor[] = [centre, townDq, villageDq01, deptZrzy];
const OUTSIDER = deptZj;

type Edit =
  | { kind: 'log'; text: string; day: number }
  | { kind: 'plan'; day: number }
  | { kind: 'review' }
  | { kind: 'mode'; joint: boolean }
  | { kind: 'duration'; days: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('log' as const),
    text: fc.string({ minLength: 1, maxLength: 8 }),
    day: fc.integer({ min: 1, max: 28 }),
  }),
  fc.record({ kind: fc.constant('plan' as const), day: fc.integer({ min: 1, max: 28 }) }),
  fc.record({ kind: fc.constant('review' as const) }),
  fc.record({ kind: fc.constant('mode' as const), joint: fc.boolean() }),
  fc.record({ kind: fc.constant('duration' as const), days: fc.integer({ min: 0, max: 30 }) }),
);

const replicaArb = fc.record({
  actor: fc.constantFrom(...MEMBERS, OUTSIDER),
  edits: fc.array(editArb, { maxLength: 6 }),
  /**
   * Events of the shared base this replica had seen before going offline (at least the team:
   * a device offers only what its user may do as far as it knows).
   */
  seen: fc.integer({ min: 2, max: 4 }),
});

const day = (d: number) => `2026-03-${String(d).padStart(2, '0')}`;

/** One replica: the base it had seen plus its offline edits, as a document. */
function replica(
  index: number,
  spec: { actor: Actor; edits: Edit[]; seen: number },
  base: ProjectEvent[],
): ProjectDoc {
  const device = new Device(`dev-${index}`, spec.actor, base.slice(0, spec.seen));
  const items: string[] = [];
  // A device names only matters it has seen listed.
  const knowsA = spec.seen >= 3;
  const knowsB = spec.seen >= 4;
  for (const [i, edit] of spec.edits.entries()) {
    const at = `2026-03-10T0${i % 10}:00:00.000Z`;
    switch (edit.kind) {
      case 'log':
        device.write(
          'log_entry',
          { date: day(edit.day), matterKey: knowsA ? 'A' : null, done: `日志${edit.text}` },
          at,
        );
        break;
      case 'plan': {
        const itemId = `item-${index}-${i}`;
        items.push(itemId);
        device.write(
          'plan_item',
          {
            itemId,
            weekOf: '2026-03-09',
            text: '推进事项',
            matterKey: null,
            responsibleUserId: spec.actor.userId,
            responsibleName: spec.actor.name,
            dueDate: day(edit.day),
          },
          at,
        );
        break;
      }
      case 'review':
        if (items.length > 0)
          device.write('plan_review', { itemId: items[items.length - 1]!, outcome: 'done' }, at);
        break;
      case 'mode':
        if (knowsB)
          device.write(
            'set_mode',
            { matterKey: 'B', modes: edit.joint ? ['joint'] : ['deferred'] },
            at,
          );
        break;
      case 'duration':
        if (knowsA) device.write('set_duration', { matterKey: 'A', durationDays: edit.days }, at);
        break;
    }
  }
  return projectDocOf('project-test-1', device.history, `2026-03-10T0${index}:00:00.000Z`);
}

const replicasArb = fc.array(replicaArb, { minLength: 3, maxLength: 3 });
const BASE = baseHistory();

describe('merging concurrent offline project edits', () => {
  it('is commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(replicasArb, (specs) => {
        const [a, b, c] = specs.map((s, i) => replica(i, s, BASE)) as [
          ProjectDoc,
          ProjectDoc,
          ProjectDoc,
        ];
        expect(mergeProjectDocs(a, b)).toEqual(mergeProjectDocs(b, a));
        expect(mergeProjectDocs(mergeProjectDocs(a, b), c)).toEqual(
          mergeProjectDocs(a, mergeProjectDocs(b, c)),
        );
        expect(mergeProjectDocs(a, a)).toEqual(mergeProjectDocs(a, mergeProjectDocs(a, a)));
        const ab = mergeProjectDocs(a, b);
        expect(mergeProjectDocs(ab, ab)).toEqual(ab);
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it("loses nothing: every event is kept, every member's log entry and plan item is applied", () => {
    fc.assert(
      fc.property(replicasArb, (specs) => {
        const docs = specs.map((s, i) => replica(i, s, BASE));
        const merged = docs.reduce(mergeProjectDocs);
        const ids = new Set(merged.events.map((e) => e.id));
        for (const doc of docs) for (const e of doc.events) expect(ids.has(e.id)).toBe(true);
        const state = deriveProjectState(merged.events);
        const applied = new Set(state.appliedEventIds);
        docs.forEach((doc, i) => {
          const member = MEMBERS.includes(specs[i]!.actor);
          for (const e of doc.events) {
            if (e.type !== 'log_entry' && e.type !== 'plan_item' && e.type !== 'plan_review')
              continue;
            // Members' entries never clash with anyone's; an outsider's stay in the history, void.
            expect(applied.has(e.id), `${e.type} by ${e.actor.userId}`).toBe(member);
          }
        });
        const logs = docs.flatMap((d, i) =>
          MEMBERS.includes(specs[i]!.actor) ? d.events.filter((e) => e.type === 'log_entry') : [],
        );
        expect(state.log.map((l) => l.eventId).sort()).toEqual(logs.map((e) => e.id).sort());
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('keeps both log entries two members wrote offline on the same day', () => {
    const town = new Device('dev-town', townDq, BASE);
    const dept = new Device('dev-dept', deptZrzy, BASE);
    town.write('log_entry', { date: '2026-03-05', matterKey: 'A', done: '陪同踏勘' });
    dept.write('log_entry', { date: '2026-03-05', matterKey: 'A', done: '预审红线' });
    const merged = mergeProjectDocs(
      projectDocOf('project-test-1', town.history, '2026-03-05T08:00:00.000Z'),
      projectDocOf('project-test-1', dept.history, '2026-03-05T09:00:00.000Z'),
    );
    const log = deriveProjectState(merged.events).log;
    expect(log.map((l) => [l.by.name, l.done])).toEqual(
      expect.arrayContaining([
        ['赵敏', '陪同踏勘'],
        ['吴国平', '预审红线'],
      ]),
    );
    expect(log).toHaveLength(2);
  });
});
