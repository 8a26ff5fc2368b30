import { describe, expect, it } from 'vitest';
import { deriveCaseState, initialCaseState } from '../../src/case/index.js';
import { allowedActions, mayAct } from '../../src/org/permissions.js';
import {
  agent,
  deptZj,
  deptZrzy,
  fullJourney,
  helper,
  helper2,
  itAdmin,
  Journey,
  org,
  supervisor,
  townLead,
} from '../case/fixtures.js';

const stateAt = (n: number) => deriveCaseState(fullJourney().events.slice(0, n));

describe('allowedActions', () => {
  it('offers receive only on an empty case, to window roles', () => {
    expect(allowedActions(helper, initialCaseState(), org)).toEqual(['receive']);
    expect(allowedActions(deptZj, initialCaseState(), org)).toEqual([]);
  });

  it('offers the village helper the window actions on a fresh case', () => {
    expect(allowedActions(helper, stateAt(1), org)).toEqual([
      'inform_missing',
      'supplement',
      'accept',
      'refuse',
      'forward',
      'claim',
      'withdraw',
      'log',
    ]);
    expect(allowedActions(helper2, stateAt(1), org)).toEqual([]);
    expect(allowedActions(townLead, stateAt(1), org)).toEqual([]);
  });

  it('follows the case up the levels', () => {
    expect(allowedActions(townLead, stateAt(3), org)).toEqual([
      'supplement',
      'escalate',
      'claim',
      'return_for_correction',
      'suspend',
      'extend',
      'withdraw',
      'terminate',
      'log',
    ]);
    expect(allowedActions(helper, stateAt(3), org)).toEqual(['supplement', 'withdraw']);
    expect(mayAct(agent, 'request_assistance', stateAt(6), org)).toBe(true);
    expect(mayAct(agent, 'forward', stateAt(6), org)).toBe(false);
    expect(mayAct(agent, 'escalate', stateAt(6), org)).toBe(false);
  });

  it('lets only the requested department reply', () => {
    expect(allowedActions(deptZrzy, stateAt(7), org)).toEqual(['assistance_reply']);
    expect(allowedActions(deptZj, stateAt(7), org)).toEqual([]);
    expect(allowedActions(deptZrzy, stateAt(8), org)).toEqual([]);
  });

  it('brings delivery and rating back to the village', () => {
    expect(allowedActions(helper, stateAt(10), org)).toEqual(['deliver_result', 'log']);
    expect(allowedActions(helper, stateAt(11), org)).toEqual(['rate', 'log']);
    expect(allowedActions(helper, stateAt(12), org)).toEqual([]);
  });

  it('gives supervisors and IT no case actions', () => {
    for (let n = 0; n <= 12; n += 1) {
      expect(allowedActions(supervisor, stateAt(n), org)).toEqual([]);
      expect(allowedActions(itAdmin, stateAt(n), org)).toEqual([]);
    }
  });

  it('offers return only where a lower unit handed the case up', () => {
    const escalatedDirect = deriveCaseState(
      new Journey().add(townLead, 'receive').add(townLead, 'escalate').events,
    );
    expect(mayAct(agent, 'return_for_correction', escalatedDirect, org)).toBe(true);
    const atTownWindow = deriveCaseState(new Journey().add(townLead, 'receive').events);
    expect(mayAct(townLead, 'return_for_correction', atTownWindow, org)).toBe(false);
  });
});
