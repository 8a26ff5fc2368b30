import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, deriveCaseState } from '../../src/case/caseMachine.js';
import { initialCaseState, type CaseState } from '../../src/case/caseState.js';
import { CASE_EVENT_TYPES, type CaseEvent } from '../../src/case/caseTypes.js';
import type { Result } from '../../src/errors/domainError.js';
import { fullJourney, helper } from './fixtures.js';

describe('derivation is total', () => {
  it('never throws on garbage from a foreign replica, and never applies it wrongly', () => {
    const garbage = fc.record({
      id: fc.string(),
      caseId: fc.constantFrom('case-1', 'case-2'),
      type: fc.oneof(fc.constantFrom(...CASE_EVENT_TYPES), fc.string()),
      lamport: fc.oneof(fc.integer({ min: -2, max: 20 }), fc.double(), fc.constant(null)),
      actor: fc.oneof(fc.constant(helper), fc.constant(null), fc.anything()),
      deviceId: fc.string(),
      deviceTime: fc.oneof(fc.constant('2026-03-02T02:00:00.000Z'), fc.string()),
      payload: fc.oneof(fc.anything(), fc.dictionary(fc.string(), fc.anything())),
    });
    fc.assert(
      fc.property(fc.array(garbage, { maxLength: 12 }), (noise) => {
        const events = [...fullJourney().events, ...(noise as unknown as CaseEvent[])];
        const state = deriveCaseState(events);
        expect(state.appliedEventIds.length + state.voidEventIds.length).toBe(
          new Set(events.map((event) => event.id)).size,
        );
      }),
    );
  });

  it('returns a result typed as the shared Result', () => {
    const [receive] = fullJourney().events;
    const result: Result<CaseState> = applyEvent(initialCaseState(), receive!);
    expect(result.ok).toBe(true);
  });
});
