/** A small county and a journey builder shared by the case, org and schema tests. */
import { createEvent } from '../../src/case/newEvent.js';
import type { CaseDoc, CaseEvent, CaseEventType, EventPayloads } from '../../src/case/caseTypes.js';
import { createOrgDirectory } from '../../src/org/orgDirectory.js';
import type { Actor, OrgUnit } from '../../src/org/orgTypes.js';

export const UNITS: OrgUnit[] = [
  { id: 'county-sx', name: '山县', level: 'county', parentId: null, pointCode: 'SX' },
  { id: 'town-dq', name: '东桥镇', level: 'town', parentId: 'county-sx', pointCode: 'DQ' },
  { id: 'town-xh', name: '西湖街道', level: 'town', parentId: 'county-sx', pointCode: 'XH' },
  {
    id: 'village-dq-01',
    name: '东桥一村',
    level: 'village',
    parentId: 'town-dq',
    pointCode: 'DQ01',
  },
  {
    id: 'village-dq-02',
    name: '东桥二村',
    level: 'village',
    parentId: 'town-dq',
    pointCode: 'DQ02',
  },
  {
    id: 'village-xh-01',
    name: '西湖社区',
    level: 'village',
    parentId: 'town-xh',
    pointCode: 'XH01',
  },
  {
    id: 'dept-zrzy',
    name: '自然资源局',
    level: 'department',
    parentId: 'county-sx',
    pointCode: 'ZRZY',
  },
  { id: 'dept-zj', name: '住建局', level: 'department', parentId: 'county-sx', pointCode: 'ZJ' },
  { id: 'county-other', name: '邻县', level: 'county', parentId: null, pointCode: 'LX' },
  {
    id: 'dept-other',
    name: '邻县人社局',
    level: 'department',
    parentId: 'county-other',
    pointCode: 'LXRS',
  },
];
export const org = createOrgDirectory(UNITS);

const actor = (userId: string, role: Actor['role'], orgUnitId: string): Actor => ({
  userId,
  name: userId,
  role,
  orgUnitId,
});
export const helper = actor('v.dq01', 'village_helper', 'village-dq-01');
export const helper2 = actor('v.dq02', 'village_helper', 'village-dq-02');
export const helperXh = actor('v.xh01', 'village_helper', 'village-xh-01');
export const townLead = actor('t.dq', 'town_lead', 'town-dq');
export const townLeadXh = actor('t.xh', 'town_lead', 'town-xh');
export const agent = actor('c.agent', 'centre_agent', 'county-sx');
export const agent2 = actor('c.agent2', 'centre_agent', 'county-sx');
export const deptZrzy = actor('d.zrzy', 'dept_assistant', 'dept-zrzy');
export const deptZj = actor('d.zj', 'dept_assistant', 'dept-zj');
export const supervisor = actor('sup', 'supervisor', 'county-sx');
export const itAdmin = actor('it', 'it_admin', 'county-sx');

export const CASE_ID = 'case-1';

export const material = (materialId: string, missing = false) => ({
  materialId,
  name: `材料${materialId}`,
  originals: missing ? 0 : 1,
  copies: missing ? 0 : 1,
  missing,
});

export const PAYLOADS: { [T in CaseEventType]: EventPayloads[T] } = {
  receive: {
    matterCode: 'M-001',
    provisionalNo: 'DQ01-A1-20260302-001',
    applicantKind: 'person',
    applicantName: '张三',
    materials: [material('m1'), material('m2', true)],
    agentAuthorised: true,
    channel: 'village_window',
  },
  inform_missing: { items: [{ materialId: 'm2', name: '户口本', problem: '缺少' }] },
  supplement: { materials: [material('m2')] },
  accept: {},
  refuse: {
    reason: '不属于本级受理范围',
    guidance: '请到县人社局窗口办理，带身份证',
    approverName: '李主任',
  },
  forward: { toUnitId: 'town-dq', materials: [material('m1')] },
  escalate: { toUnitId: 'county-sx', materials: [material('m1')] },
  claim: {},
  assign: { toUserId: 'c.agent2', toUserName: '王代办' },
  request_assistance: { departmentIds: ['dept-zrzy'], question: '请出具用地意见' },
  assistance_reply: { departmentId: 'dept-zrzy', opinion: '同意', outcome: 'agree' },
  return_for_correction: { toUnitId: 'village-dq-01', reason: '材料不清晰' },
  suspend: { reason: '需现场勘验', kind: '现场勘验' },
  resume: {},
  extend: { reason: '情况复杂', extraDays: 5, approverName: '李主任' },
  conclude: { outcome: 'approved', opinion: '准予', resultName: '许可证', resultNo: 'X-1' },
  deliver_result: { method: 'collected', recipientName: '张三' },
  rate: { level: 1, channel: 'window', realName: true },
  withdraw: { reason: '申请人不再办理' },
  terminate: { reason: '容缺材料逾期未补' },
  log: { text: '电话联系申请人' },
};

/** Builds a history the way devices would, one device per actor. */
export class Journey {
  readonly events: CaseEvent[] = [];
  private counters = new Map<string, number>();
  private clock = Date.parse('2026-03-02T01:00:00.000Z');

  constructor(readonly caseId = CASE_ID) {}

  make<T extends CaseEventType>(
    by: Actor,
    type: T,
    payload?: EventPayloads[T],
    seen?: readonly CaseEvent[],
  ): CaseEvent {
    const deviceId = `dev-${by.userId}`;
    const counter = (this.counters.get(deviceId) ?? 0) + 1;
    this.counters.set(deviceId, counter);
    this.clock += 60_000;
    return createEvent({
      caseId: this.caseId,
      caseEvents: seen ?? this.events,
      type,
      payload: payload ?? (PAYLOADS[type] as EventPayloads[T]),
      actor: by,
      deviceId,
      counter,
      now: new Date(this.clock),
    }) as CaseEvent;
  }

  /** Lets device time pass, e.g. beyond a 容缺 due date. */
  wait(days: number): this {
    this.clock += days * 86_400_000;
    return this;
  }

  add<T extends CaseEventType>(by: Actor, type: T, payload?: EventPayloads[T]): this {
    this.events.push(this.make(by, type, payload));
    return this;
  }
}

export const deferredAccept = (dueDate = '2026-03-10'): EventPayloads['accept'] => ({
  deferred: { materialIds: ['m2'], dueDate, commitmentSigned: true },
});

/** Village receives and accepts under 容缺, then the case climbs to the centre and back. */
export function fullJourney(): Journey {
  return new Journey()
    .add(helper, 'receive')
    .add(helper, 'accept', deferredAccept())
    .add(helper, 'forward')
    .add(townLead, 'claim')
    .add(townLead, 'escalate')
    .add(agent, 'claim')
    .add(agent, 'request_assistance')
    .add(deptZrzy, 'assistance_reply')
    .add(helper, 'supplement')
    .add(agent, 'conclude')
    .add(helper, 'deliver_result')
    .add(helper, 'rate');
}

export function caseDocOf(events: CaseEvent[], overrides: Partial<CaseDoc> = {}): CaseDoc {
  return {
    id: CASE_ID,
    provisionalNo: 'DQ01-A1-20260302-001',
    officialNo: null,
    matterCode: 'M-001',
    originUnitId: 'village-dq-01',
    townId: 'town-dq',
    holderUnitId: 'village-dq-01',
    handlerUserId: null,
    assistingDeptIds: [],
    status: 'received',
    applicantName: '张三',
    applicantIdDigest: 'a'.repeat(64),
    applicantIdMasked: '110101********123X',
    applicant: {
      kind: 'person',
      name: '张三',
      idNumber: '11010119900307123X',
      phone: '13800005678',
    },
    events,
    deadlines: null,
    formerUnitIds: [],
    updatedAt: '2026-03-02T02:00:00.000Z',
    ...overrides,
  };
}
