import type { CaseDoc, CaseEvent } from '@sibantong/shared';

/** Minimal but complete case documents for the query and list tests. */
let seq = 0;

export function ev(type: string, over: Partial<CaseEvent> = {}, payload: object = {}): CaseEvent {
  seq += 1;
  return {
    id: `dev:${seq}`,
    caseId: 'x',
    type,
    lamport: seq,
    actor: { userId: 'u', name: 'n', role: 'village_helper', orgUnitId: 'v1' },
    deviceId: 'dev',
    deviceTime: '2026-11-01T02:00:00.000Z',
    hubTime: '2026-11-01T02:00:01.000Z',
    payload,
    ...over,
  } as unknown as CaseEvent;
}

export function caseDoc(id: string, over: Partial<CaseDoc> = {}): CaseDoc {
  return {
    id,
    provisionalNo: `LS-V1-${id}`,
    officialNo: null,
    matterCode: 'M1',
    originUnitId: 'v1',
    townId: 't1',
    holderUnitId: 'v1',
    handlerUserId: null,
    assistingDeptIds: [],
    status: 'received',
    applicantName: '张三',
    applicantIdDigest: 'a'.repeat(64),
    applicantIdMasked: '1101**********002X',
    applicant: { kind: 'person', name: '张三', idNumber: '11010519491231002X', phone: '1' },
    events: [ev('receive')],
    deadlines: null,
    formerUnitIds: [],
    updatedAt: '2026-11-01T02:00:00.000Z',
    ...over,
  };
}
