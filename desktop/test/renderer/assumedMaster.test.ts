import { describe, expect, it } from 'vitest';
import type { CaseDoc, CaseEvent } from '@sibantong/shared';
import { assumedMasterOf } from '../../src/renderer/sync/assumedMaster';
import { Journey, caseDocOf, helper, townLead } from '../../../shared/test/case/fixtures';

const stamp = (events: CaseEvent[]): CaseEvent[] =>
  events.map((e) => ({ ...e, hubTime: '2026-03-02T02:00:00.000Z' }));

describe('the hub copy a push assumes', () => {
  it('keeps the copy RxDB recorded', () => {
    const j = new Journey().add(helper, 'receive');
    const recorded = caseDocOf(stamp(j.events));
    expect(assumedMasterOf(recorded, caseDocOf(j.events))).toBe(recorded);
  });

  it('is the hub-stamped history, with its own status and holder, when RxDB recorded none', () => {
    const j = new Journey().add(helper, 'receive').add(helper, 'accept').add(helper, 'forward');
    const fromHub = stamp(j.events);
    j.events.splice(0, j.events.length, ...fromHub);
    j.add(townLead, 'claim'); // made on this device, not yet on the hub
    const local = caseDocOf(j.events, { status: 'processing', holderUnitId: 'town-dq' });

    const assumed = assumedMasterOf(undefined, local)!;
    expect(assumed.events.map((e) => e.id)).toEqual(fromHub.map((e) => e.id));
    expect(assumed.holderUnitId).toBe('town-dq');
    expect(assumed.status).not.toBe(local.status);
    expect(assumed.handlerUserId).toBeNull();
    // Identity and hub fields are the device's copy of the hub's.
    expect(assumed.applicant).toEqual(local.applicant);
    expect(assumed.deadlines).toEqual(local.deadlines);
  });

  it('is nothing for a case the hub never had (a creation)', () => {
    const j = new Journey().add(helper, 'receive').add(helper, 'accept');
    expect(assumedMasterOf(undefined, caseDocOf(j.events))).toBeNull();
    expect(assumedMasterOf(null, caseDocOf(j.events) as CaseDoc)).toBeNull();
  });
});
