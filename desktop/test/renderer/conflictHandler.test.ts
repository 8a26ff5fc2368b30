import { describe, expect, it } from 'vitest';
import type { CaseDoc, CaseEvent } from '@sibantong/shared';
import { deriveCaseFields, validateNewEvents } from '@sibantong/shared';
import { Journey, caseDocOf, helper, org, townLead } from '../../../shared/test/case/fixtures';
import { caseConflictHandler, fitLocalEvents } from '../../src/renderer/sync/conflictHandler';
import { setConflictRules } from '../../src/renderer/sync/conflictRules';
import {
  markEventsRefused,
  setRefusalSink,
  type LocalRefusal,
} from '../../src/renderer/sync/refusedEvents';
import { withLocalFields } from '../../src/renderer/db/localFields';

const actor = {
  userId: 'u',
  name: '甲',
  role: 'village_helper' as const,
  orgUnitId: 'village-dq-01',
};
function ev(id: string, lamport: number, type: CaseEvent['type'], payload: unknown): CaseEvent {
  return {
    id,
    caseId: 'c1',
    type,
    lamport,
    actor,
    deviceId: 'd',
    deviceTime: '2026-11-20T01:00:00Z',
    payload,
  } as CaseEvent;
}
const receive = ev('d:1', 1, 'receive', {
  matterCode: 'M',
  provisionalNo: 'P',
  applicantKind: 'person',
  applicantName: '张三',
  materials: [],
  agentAuthorised: false,
  channel: 'village_window',
});
function doc(events: CaseEvent[], over: Partial<CaseDoc> = {}): CaseDoc & { _deleted: boolean } {
  return {
    id: 'c1',
    provisionalNo: 'P',
    officialNo: null,
    matterCode: 'M',
    originUnitId: 'village-dq-01',
    townId: 'town-dq',
    holderUnitId: 'village-dq-01',
    handlerUserId: null,
    assistingDeptIds: [],
    status: 'received',
    applicantName: '张三',
    applicantIdDigest: '',
    applicantIdMasked: '',
    applicant: { kind: 'person', name: '张三', idNumber: 'x', phone: 'y' },
    events,
    deadlines: null,
    formerUnitIds: [],
    updatedAt: '1',
    ...over,
    _deleted: false,
  };
}

describe('case conflict handler', () => {
  it('keeps local events the master lacks (union) and takes the master otherwise', async () => {
    const master = doc([receive, ev('t:1', 2, 'log', { text: '镇' })], { updatedAt: '2' });
    const local = doc([receive, ev('d:2', 2, 'log', { text: '村' })]);
    const merged = await caseConflictHandler.resolve(
      { realMasterState: master, newDocumentState: local },
      'test',
    );
    expect(merged.events.map((e) => e.id).sort()).toEqual(['d:1', 'd:2', 't:1']);
    const same = await caseConflictHandler.resolve(
      { realMasterState: master, newDocumentState: doc([receive]) },
      'test',
    );
    // The master as it is stored locally: with the derived local index fields.
    expect(same).toEqual(withLocalFields(master));
  });

  it('never merges refused events back, and a removal always wins', async () => {
    markEventsRefused(['d:9']);
    const master = doc([receive]);
    const local = doc([receive, ev('d:9', 2, 'log', { text: '被拒' })]);
    expect(
      await caseConflictHandler.resolve({ realMasterState: master, newDocumentState: local }, 't'),
    ).toEqual(withLocalFields(master));
    const removed = { ...master, _deleted: true };
    expect(
      await caseConflictHandler.resolve({ realMasterState: removed, newDocumentState: local }, 't'),
    ).toBe(removed);
  });

  it('compares a removal (no events) with the case coming back into scope without failing', async () => {
    // What the hub sends when a case leaves the device's scope: no history at all.
    const removal = { id: 'c1', _deleted: true, updatedAt: '3' } as unknown as CaseDoc & {
      _deleted: boolean;
    };
    const back = doc([receive], { updatedAt: '4' });
    expect(caseConflictHandler.isEqual(removal, back, 't')).toBe(false);
    expect(caseConflictHandler.isEqual(removal, removal, 't')).toBe(true);
    expect(
      await caseConflictHandler.resolve({ realMasterState: back, newDocumentState: removal }, 't'),
    ).toEqual(withLocalFields(back));
  });

  it('judges unsent events in the context the hub uses: a 退回 to a village the case was moved away from is not merged', async () => {
    // The town took the case offline and returned it to the village; meanwhile the centre
    // moved it to village-dq-02 (the hub's copy: new origin, dq-01 among the former units).
    const j = new Journey()
      .add(helper, 'receive')
      .add(helper, 'accept')
      .add(helper, 'forward')
      .add(townLead, 'claim');
    const back = j.make(townLead, 'return_for_correction', {
      toUnitId: 'village-dq-01',
      reason: '材料不清晰',
    });
    const where = { originUnitId: 'village-dq-02', formerUnitIds: ['village-dq-01'] };
    const master = { ...caseDocOf(j.events, where), ...deriveCaseFields(j.events), ...where };
    const local = {
      ...master,
      events: [...j.events, back],
      ...deriveCaseFields([...j.events, back]),
    };

    // The hub's verdict on the re-push (its context: sync-server/src/sync/pushHandler.ts).
    const hub = validateNewEvents(master.events, [back], {
      caseId: master.id,
      org,
      pushedBy: townLead,
      deviceId: back.deviceId,
      caseOriginUnitId: master.originUnitId,
      caseFormerUnitIds: master.formerUnitIds,
    });
    expect(hub).toMatchObject({ ok: false, code: 'TARGET_UNIT_INVALID' });
    // Judged with the case id alone (as before), the handler merged what the hub refuses.
    expect(fitLocalEvents(master, [back]).fitting.map((e) => e.id)).toEqual([back.id]);

    const refused: LocalRefusal[] = [];
    setConflictRules(back.deviceId, async () => ({ org }));
    setRefusalSink(back.deviceId, async (r) => {
      refused.push(r);
    });
    try {
      const merged = await caseConflictHandler.resolve(
        {
          realMasterState: { ...master, _deleted: false },
          newDocumentState: { ...local, _deleted: false },
        },
        't',
      );
      expect(merged.events.map((e) => e.id)).toEqual(master.events.map((e) => e.id));
      expect(merged.originUnitId).toBe('village-dq-02');
      expect(refused).toMatchObject([{ code: 'TARGET_UNIT_INVALID', refusedEventIds: [back.id] }]);
    } finally {
      setConflictRules(back.deviceId, null);
      setRefusalSink(back.deviceId, null);
    }
  });
});
