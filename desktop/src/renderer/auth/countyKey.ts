import { isCountyKey, type CountyKey } from '@sibantong/shared';
import { HubError, hubFetch } from '../api/hubClient';
import { sealSecret, unsealSecret } from '../crypto/secretSealing';
import type { DeviceConfig } from './deviceConfig';

/**
 * The county key of the applicant ID digest (shared/identity/idDigest.ts), fetched from the
 * hub (`GET /api/county-key`) after each online login and kept on this PC sealed like the
 * device secret (crypto/secretSealing.ts), so that offline work digests and searches with it
 * too. The record names the device it was fetched for: after a re-enrolment (another device
 * id, perhaps another county) the old key is not used.
 *
 * Without a key (never online since this version, or the record is damaged) the device
 * digests unkeyed, as before; the hub accepts both and the ID search looks for both
 * (`idDigestCandidates`), so nothing recorded either way is lost from search.
 */
const STORAGE_KEY = 'sibantong.countyKey';

interface CountyKeyRecord {
  deviceId: string;
  countyKey: CountyKey;
}

let cached: CountyKeyRecord | null = null;

/** Fetches the key with a signed-in token, stores it sealed and returns it. */
export async function fetchCountyKey(cfg: DeviceConfig, token: string): Promise<CountyKey> {
  const body = await hubFetch<unknown>(cfg.hubUrl, '/api/county-key', { token, timeoutMs: 6000 });
  if (!isCountyKey(body)) {
    throw new HubError('COUNTY_KEY_INVALID', '中心服务器返回的县级检索密钥格式不正确', 502);
  }
  return keepCountyKey(cfg.deviceId, { keyId: body.keyId, key: body.key });
}

/** Stores the key of `deviceId` sealed on this PC (replacing any earlier one) and returns it. */
export async function keepCountyKey(deviceId: string, countyKey: CountyKey): Promise<CountyKey> {
  const record: CountyKeyRecord = { deviceId, countyKey };
  localStorage.setItem(STORAGE_KEY, await sealSecret(JSON.stringify(record)));
  cached = record;
  return countyKey;
}

/**
 * After an online login or token refresh: fetches the key (always after a login, so a changed
 * key is picked up; after a refresh only while none is stored). A failure is not the login's:
 * the device keeps its stored key, or digests unkeyed until the next try.
 */
export async function updateCountyKey(
  cfg: DeviceConfig,
  token: string,
  onlyIfMissing = false,
): Promise<void> {
  if (onlyIfMissing && (await storedCountyKey(cfg.deviceId))) return;
  try {
    await fetchCountyKey(cfg, token);
  } catch (e) {
    console.warn('county key not fetched', e);
  }
}

/** The key this device stored for `deviceId`, or null (none yet, damaged, another device's). */
export async function storedCountyKey(deviceId: string): Promise<CountyKey | null> {
  if (cached) return cached.deviceId === deviceId ? cached.countyKey : null;
  const sealed = localStorage.getItem(STORAGE_KEY);
  if (!sealed) return null;
  try {
    const record = JSON.parse(await unsealSecret(sealed)) as Partial<CountyKeyRecord>;
    if (typeof record.deviceId !== 'string' || !isCountyKey(record.countyKey)) return null;
    cached = { deviceId: record.deviceId, countyKey: record.countyKey };
    return cached.deviceId === deviceId ? cached.countyKey : null;
  } catch {
    // Unreadable (sealed under a lost keystore key, edited): fetched again at the next login.
    return null;
  }
}

/** Test hook: forget the in-memory copy (as an app restart would). */
export function resetCountyKeyCache(): void {
  cached = null;
}
