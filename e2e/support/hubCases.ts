/**
 * Cases made straight through the hub API, the way a device builds them (shared createEvent
 * and deriveCaseFields), for journeys whose subject starts after the counter work.
 */
import {
  createEvent,
  deriveCaseFields,
  idDigest,
  maskIdNumber,
  type Actor,
  type CaseDoc,
  type CaseEventType,
  type EnrollResponse,
  type EventPayloads,
  type LoginResponse,
  type PushResponse,
  type PushRowResult,
} from '@sibantong/shared';
import { authHeaders, rememberTokenDevice } from './deviceProof';
import type { HubHandle } from './hub';

/** 城乡居民养老保险参保登记: a 即办件 the village completes itself. */
export const MATTER_PENSION = '11330999002300030F4200010010000';

export interface ApiDevice {
  hubUrl: string;
  token: string;
  deviceId: string;
  actor: Actor;
  counter: number;
}

/** Enrols a device for `unitId` and logs `username` in on it. */
export async function apiDevice(
  hub: HubHandle,
  unitId: string,
  username: string,
  password: string,
): Promise<ApiDevice> {
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await fetch(`${hub.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path} ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const enrol = await post<EnrollResponse>('/api/devices/enroll', {
    code: hub.enrolmentCode(unitId),
    deviceName: 'e2e 接口设备',
  });
  const login = await post<LoginResponse>('/api/auth/login', {
    username,
    password,
    deviceId: enrol.deviceId,
    deviceSecret: enrol.deviceSecret,
  });
  rememberTokenDevice(login.accessToken, enrol.deviceSecret);
  const u = login.user;
  return {
    hubUrl: hub.url,
    token: login.accessToken,
    deviceId: enrol.deviceId,
    actor: { userId: u.userId, name: u.name, role: u.role, orgUnitId: u.orgUnitId },
    counter: 0,
  };
}

function withEvent<T extends CaseEventType>(
  dev: ApiDevice,
  doc: CaseDoc,
  type: T,
  payload: EventPayloads[T],
): CaseDoc {
  dev.counter += 1;
  const event = createEvent({
    caseEvents: doc.events,
    type,
    payload,
    actor: dev.actor,
    deviceId: dev.deviceId,
    counter: dev.counter,
    now: new Date(),
  });
  const events = [...doc.events, event] as CaseDoc['events'];
  return { ...doc, events, ...deriveCaseFields(events), updatedAt: new Date().toISOString() };
}

/** A received pension registration; `steps` adds the counter's work after receiving. */
export async function buildCase(
  dev: ApiDevice,
  applicantName: string,
  idNumber: string,
  steps: 'received' | 'delivered',
): Promise<CaseDoc> {
  const id = `case-e2e-${Date.now().toString(36)}-${dev.counter}`;
  dev.counter += 1;
  const provisionalNo = `DQ01-E2E0-20261122-${String(dev.counter).padStart(4, '0')}`;
  const now = new Date().toISOString();
  dev.counter += 1;
  const receive = createEvent({
    caseEvents: [],
    caseId: id,
    type: 'receive',
    payload: {
      matterCode: MATTER_PENSION,
      provisionalNo,
      applicantKind: 'person',
      applicantName,
      materials: [
        { materialId: 'id-card', name: '居民身份证', originals: 1, copies: 1, missing: false },
      ],
      agentAuthorised: false,
      channel: 'village_window',
    },
    actor: dev.actor,
    deviceId: dev.deviceId,
    counter: dev.counter,
    now,
  });
  let doc: CaseDoc = {
    id,
    provisionalNo,
    officialNo: null,
    matterCode: MATTER_PENSION,
    originUnitId: dev.actor.orgUnitId,
    townId: 'town-dq',
    holderUnitId: dev.actor.orgUnitId,
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
  doc = { ...doc, ...deriveCaseFields(doc.events) };
  if (steps === 'delivered') {
    doc = withEvent(dev, doc, 'accept', {});
    doc = withEvent(dev, doc, 'conclude', { outcome: 'approved', opinion: '符合条件，准予登记' });
    doc = withEvent(dev, doc, 'deliver_result', {
      method: 'collected',
      recipientName: applicantName,
    });
  }
  return doc;
}

/** Adds an event by `dev` without any check: the hub is the one to judge it. */
export const appendEvent = withEvent;

/** Pushes one row (assumed master = what the device last saw) and returns its result. */
export async function pushCase(
  dev: ApiDevice,
  doc: CaseDoc,
  assumed: CaseDoc | null,
): Promise<PushRowResult> {
  const res = await fetch(`${dev.hubUrl}/api/sync/cases/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(dev.token) },
    body: JSON.stringify({ rows: [{ assumedMasterState: assumed, newDocumentState: doc }] }),
  });
  if (!res.ok) throw new Error(`push ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as PushResponse;
  const [result] = body.results;
  if (!result) throw new Error('push: no result');
  return result;
}
