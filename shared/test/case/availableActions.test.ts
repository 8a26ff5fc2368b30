import { describe, expect, it } from 'vitest';
import {
  availableActions,
  deriveCaseState,
  returnTargetOf,
  validateNewEvents,
  type ActionOffer,
} from '../../src/case/index.js';
import type { Actor } from '../../src/org/orgTypes.js';
import {
  agent,
  deferredAccept,
  deptZrzy,
  helper,
  helper2,
  Journey,
  org,
  PAYLOADS,
  townLead,
} from './fixtures.js';

const offers = (j: Journey, actor: Actor, today = '2026-03-05'): ActionOffer[] =>
  availableActions({ state: deriveCaseState(j.events), actor, org, today });
const enabled = (list: ActionOffer[]) => list.filter((o) => o.enabled).map((o) => o.type);
const find = (list: ActionOffer[], type: string) => list.find((o) => o.type === type);

describe('availableActions', () => {
  it('shows 办结 disabled with the outstanding 容缺 items and due date, enabled once supplied', () => {
    const j = new Journey()
      .add(helper, 'receive')
      .add(helper, 'accept', deferredAccept('2026-03-10'));
    const conclude = find(offers(j, helper), 'conclude');
    expect(conclude?.enabled).toBe(false);
    expect(conclude?.reasonZh).toContain('材料m2');
    expect(conclude?.reasonZh).toContain('2026-03-10');
    // Someone who could never conclude here is not told about it at all.
    expect(find(offers(j, helper2), 'conclude')).toBeUndefined();
    expect(find(offers(j, deptZrzy), 'conclude')).toBeUndefined();
    j.add(helper, 'supplement');
    expect(find(offers(j, helper), 'conclude')).toEqual({ type: 'conclude', enabled: true });
  });

  it('does not offer 终止 before the 容缺 due date, and the hub agrees', () => {
    const j = new Journey()
      .add(helper, 'receive')
      .add(helper, 'accept', deferredAccept('2026-03-10'));
    const early = find(offers(j, helper, '2026-03-10'), 'terminate');
    expect(early?.enabled).toBe(false);
    expect(early?.reasonZh).toContain('未过');
    const refused = validateNewEvents(j.events, [j.make(helper, 'terminate')], { org });
    expect(refused.ok).toBe(false);
    expect(find(offers(j, helper, '2026-03-11'), 'terminate')?.enabled).toBe(true);
  });

  it('disables 领办 for the person who already claimed, not for a colleague', () => {
    const j = new Journey().add(helper, 'receive').add(helper, 'forward').add(townLead, 'claim');
    expect(find(offers(j, townLead), 'claim')).toMatchObject({
      enabled: false,
      reasonZh: '您已领办本件，无需再次领办',
    });
    const fresh = new Journey().add(helper, 'receive').add(helper, 'forward');
    expect(find(offers(fresh, townLead), 'claim')?.enabled).toBe(true);
  });

  it('offers 退回 to a lower unit that held the case, and after a move to the new origin only', () => {
    const j = new Journey().add(helper, 'receive').add(helper, 'forward');
    const state = deriveCaseState(j.events);
    expect(returnTargetOf(state, org)).toBe('village-dq-01');
    const back = find(offers(j, townLead), 'return_for_correction');
    expect(back).toEqual({
      type: 'return_for_correction',
      enabled: true,
      toUnitId: 'village-dq-01',
    });
    // The hub accepts the 退回 exactly as offered.
    const event = j.make(townLead, 'return_for_correction', {
      toUnitId: back?.toUnitId ?? '',
      reason: '材料不清晰',
    });
    expect(validateNewEvents(j.events, [event], { org }).ok).toBe(true);

    // The hub moved the case to 东桥二村: the village it left is never offered.
    const where = { caseOriginUnitId: 'village-dq-02', caseFormerUnitIds: ['village-dq-01'] };
    const moved = availableActions({
      state,
      actor: townLead,
      org,
      today: '2026-03-05',
      where,
    }).find((o) => o.type === 'return_for_correction');
    expect(moved?.toUnitId).toBe('village-dq-02');
    const toNew = j.make(townLead, 'return_for_correction', {
      toUnitId: 'village-dq-02',
      reason: '材料不清晰',
    });
    expect(validateNewEvents(j.events, [toNew], { org, ...where }).ok).toBe(true);
    const toOld = j.make(townLead, 'return_for_correction', {
      toUnitId: 'village-dq-01',
      reason: '材料不清晰',
    });
    expect(validateNewEvents(j.events, [toOld], { org, ...where }).ok).toBe(false);
  });

  it('offers the centre no 退回 target outside its direct lower units', () => {
    const j = new Journey().add(helper, 'receive').add(helper, 'forward').add(townLead, 'escalate');
    expect(find(offers(j, agent), 'return_for_correction')?.toUnitId).toBe('town-dq');
    // The origin window keeps only what the applicant does there (the fixture's 材料m2 is missing).
    expect(enabled(offers(j, helper))).toEqual(['supplement', 'withdraw']);
    const complete = new Journey()
      .add(helper, 'receive', { ...PAYLOADS.receive, materials: [PAYLOADS.receive.materials[0]!] })
      .add(helper, 'forward');
    // Nothing missing: nothing to hand in.
    expect(enabled(offers(complete, townLead))).not.toContain('supplement');
  });

  it('every enabled action with its offered target is accepted by validateNewEvents', () => {
    const j = new Journey()
      .add(helper, 'receive')
      .add(helper, 'accept')
      .add(helper, 'forward')
      .add(townLead, 'escalate');
    for (const offer of offers(j, agent).filter((o) => o.enabled)) {
      if (offer.type === 'assign' || offer.type === 'request_assistance') continue;
      const payload =
        offer.type === 'return_for_correction'
          ? { toUnitId: offer.toUnitId ?? '', reason: '退回' }
          : PAYLOADS[offer.type];
      const event = j.make(agent, offer.type, payload as never);
      expect(validateNewEvents(j.events, [event], { org }).ok, offer.type).toBe(true);
    }
  });
});
