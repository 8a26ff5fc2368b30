/** Builds case documents the way a client does: shared createEvent + derived fields. */
import { randomBytes } from 'node:crypto';
import {
  DEMO_COUNTY,
  createEvent,
  deriveCaseFields,
  idDigest,
  idNumberCheckChar,
  maskIdNumber,
  type CaseDoc,
  type CaseEventType,
  type EventPayloads,
} from '@sibantong/shared';
import type { TestClient } from './client.js';

/** 法律援助咨询: promised 3, legal 7 working days (accept and forward to town). */
export const MATTER_LEGAL_AID = '11330999002000011Q5200050010000';
/** 城乡居民养老保险参保登记: 即办件 the village completes. */
export const MATTER_PENSION = '11330999002300030F4200010010000';

export function validIdNumber(seed = 123): string {
  const first17 = `11010119900307${String(seed % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

export function townOf(unitId: string): string {
  const unit = DEMO_COUNTY.find((u) => u.id === unitId);
  if (unit?.level === 'village') return unit.parentId ?? unitId;
  return unitId;
}

export async function newCase(
  client: TestClient,
  opts: { matterCode?: string; applicantName?: string; id?: string } = {},
): Promise<CaseDoc> {
  const id = opts.id ?? `case-${randomBytes(6).toString('hex')}`;
  const matterCode = opts.matterCode ?? MATTER_LEGAL_AID;
  const applicantName = opts.applicantName ?? '王小明';
  const idNumber = validIdNumber(Number.parseInt(id.slice(-3), 16));
  const provisionalNo = `DQ01-7K3M-20261122-${String(client.nextCounter()).padStart(4, '0')}`;
  const now = new Date().toISOString();
  const receive = createEvent({
    caseEvents: [],
    caseId: id,
    type: 'receive',
    payload: {
      matterCode,
      provisionalNo,
      applicantKind: 'person',
      applicantName,
      materials: [
        { materialId: 'id-card', name: '居民身份证', originals: 1, copies: 1, missing: false },
      ],
      agentAuthorised: false,
      channel: 'village_window',
    },
    actor: client.actor,
    deviceId: client.deviceId,
    counter: client.nextCounter(),
    now,
  });
  const doc: CaseDoc = {
    id,
    provisionalNo,
    officialNo: null,
    matterCode,
    originUnitId: client.actor.orgUnitId,
    townId: townOf(client.actor.orgUnitId),
    holderUnitId: client.actor.orgUnitId,
    handlerUserId: null,
    assistingDeptIds: [],
    status: 'received',
    applicantName,
    applicantIdDigest: await idDigest(idNumber),
    applicantIdMasked: maskIdNumber(idNumber),
    applicant: { kind: 'person', name: applicantName, idNumber, phone: '13800138000' },
    events: [receive],
    deadlines: null,
    formerUnitIds: [],
    updatedAt: now,
  };
  return { ...doc, ...deriveCaseFields(doc.events) };
}

/** The client's next version of a case: one more event by this client, derived fields redone. */
export function withEvent<T extends CaseEventType>(
  client: TestClient,
  doc: CaseDoc,
  type: T,
  payload: EventPayloads[T],
): CaseDoc {
  const event = createEvent({
    caseEvents: doc.events,
    type,
    payload,
    actor: client.actor,
    deviceId: client.deviceId,
    counter: client.nextCounter(),
    now: new Date(),
  });
  const events = [...doc.events, event] as CaseDoc['events'];
  return { ...doc, events, ...deriveCaseFields(events), updatedAt: new Date().toISOString() };
}

/** Pushes new versions (assumed master = the previous version) and returns the results. */
export async function pushVersions(client: TestClient, pairs: Array<[CaseDoc | null, CaseDoc]>) {
  const r = await client.push(
    pairs.map(([assumedMasterState, newDocumentState]) => ({
      assumedMasterState,
      newDocumentState,
    })),
  );
  if (r.status !== 200) throw new Error(`push: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.results;
}

/**
 * A client-shaped author of case documents for tests that drive the workflow runner on a store
 * directly (no hub, no login): 东桥一村's helper on a device of its own.
 */
export function villageAuthor(): TestClient {
  let counter = 0;
  return {
    token: '',
    deviceId: `dev-${randomBytes(3).toString('hex')}`,
    actor: { userId: 'v.dq01', name: '李村', role: 'village_helper', orgUnitId: 'village-dq-01' },
    nextCounter: () => (counter += 1),
  } as unknown as TestClient;
}
