/** Device enrolment (one-time codes) and revocation. */
import { randomBytes } from 'node:crypto';
import { hubNow, hubNowIso } from '../clock.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import { deviceKey, enrolKey, type DeviceDoc, type EnrolmentDoc } from './authDocs.js';
import { digestSecret } from './passwords.js';
import { revokeSessionsOf } from './users.js';
import { newId } from './tokens.js';
import { requireUnits } from './units.js';
import { AdminInputError } from './adminInputError.js';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read aloud over the phone
const CODE_TTL_MS = 72 * 3600 * 1000;

function newEnrolmentCode(): string {
  const bytes = randomBytes(12);
  let s = '';
  for (const b of bytes) s += CODE_ALPHABET[b % CODE_ALPHABET.length];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export async function createEnrolmentCode(
  store: Store,
  orgUnitId: string,
): Promise<{ code: string; expiresAt: string }> {
  // A typo must not produce a working PC "at" a unit that does not exist.
  await requireUnits(store, [orgUnitId]);
  const code = newEnrolmentCode();
  const expiresAt = new Date(hubNow().getTime() + CODE_TTL_MS).toISOString();
  const doc: EnrolmentDoc = {
    _id: enrolKey(digestSecret(normaliseCode(code))),
    type: 'enrolment',
    orgUnitId,
    createdAt: hubNowIso(),
    expiresAt,
    usedAt: null,
    deviceId: null,
  };
  await withStoreRetry(() => store.db<EnrolmentDoc>('auth').insert(doc));
  return { code, expiresAt };
}

export type EnrolOutcome =
  | { ok: true; deviceId: string; deviceSecret: string; orgUnitId: string }
  | { ok: false; code: 'ENROL_CODE_INVALID' | 'ENROL_CODE_USED' | 'ENROL_CODE_EXPIRED' };

export async function redeemEnrolmentCode(
  store: Store,
  code: string,
  deviceName: string,
): Promise<EnrolOutcome> {
  const db = store.db<EnrolmentDoc>('auth');
  let enrol: EnrolmentDoc;
  try {
    enrol = await withStoreRetry(() => db.get(enrolKey(digestSecret(normaliseCode(code)))));
  } catch (err) {
    if (statusOf(err) === 404) return { ok: false, code: 'ENROL_CODE_INVALID' };
    throw err;
  }
  if (enrol.usedAt) return { ok: false, code: 'ENROL_CODE_USED' };
  if (Date.parse(enrol.expiresAt) <= hubNow().getTime())
    return { ok: false, code: 'ENROL_CODE_EXPIRED' };
  const deviceId = `dev-${newId(9)}`;
  const deviceSecret = randomBytes(32).toString('base64url');
  // Mark the code used first, with its revision: two devices racing with one code cannot
  // both win, because only one update of that revision succeeds.
  try {
    await db.insert({ ...enrol, usedAt: hubNowIso(), deviceId });
  } catch (err) {
    if (statusOf(err) === 409) return { ok: false, code: 'ENROL_CODE_USED' };
    throw err;
  }
  const device: DeviceDoc = {
    _id: deviceKey(deviceId),
    type: 'device',
    deviceId,
    name: deviceName,
    orgUnitId: enrol.orgUnitId,
    secretDigest: digestSecret(deviceSecret),
    enrolledAt: hubNowIso(),
    revokedAt: null,
  };
  await withStoreRetry(() => store.db<DeviceDoc>('auth').insert(device));
  return { ok: true, deviceId, deviceSecret, orgUnitId: enrol.orgUnitId };
}

export async function revokeDevice(store: Store, deviceId: string): Promise<void> {
  const db = store.db<DeviceDoc>('auth');
  for (let attempt = 0; attempt < 5; attempt += 1) {
    let device: DeviceDoc;
    try {
      device = await withStoreRetry(() => db.get(deviceKey(deviceId)));
    } catch (err) {
      if (statusOf(err) === 404)
        throw new AdminInputError('DEVICE_NOT_FOUND', `设备不存在：${deviceId}`);
      throw err;
    }
    if (device.revokedAt) break;
    try {
      await withStoreRetry(() => db.insert({ ...device, revokedAt: hubNowIso() }));
      break;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }
  await revokeSessionsOf(store, 'deviceId', deviceId);
}

export async function listDevices(store: Store): Promise<DeviceDoc[]> {
  const found = await withStoreRetry(() =>
    store.db<DeviceDoc>('auth').find({ selector: { type: 'device' }, limit: 100_000 }),
  );
  return found.docs;
}
