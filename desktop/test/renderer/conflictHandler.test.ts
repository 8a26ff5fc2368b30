import { describe, expect, it } from 'vitest';
import type { CaseDoc, CaseEvent } from '@sibantong/shared';
import { caseConflictHandler } from '../../src/renderer/sync/conflictHandler';
import { markEventsRefused } from '../../src/renderer/sync/refusedEvents';
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
});
