// @vitest-environment node
/**
 * The keyed ID digest on the desktop, against a real hub process: the renderer's own login
 * (auth/sessionStore.ts) fetches the county key and keeps it sealed on the PC (also offline and
 * after a restart); the accept form's code (`buildNewCase`) digests a new case with it, and
 * the hub accepts it; the ID search (`idDigestCandidates` + `searchQueries`, as the case list
 * runs them, on a real RxDB database) finds the new keyed case and an old unkeyed one of the
 * same citizen. A PC that logged in offline gets the key at its first token refresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  idDigest,
  idDigestCandidates,
  type CaseDoc,
  type CountyKey,
  type MatterDoc,
  type PushResponse,
} from '@sibantong/shared';
import './support/nodeWindow';
import { enrolDevices, http } from '../../../sync-server/test/helpers/client';
import type { HubHandle } from '../../../sync-server/test/helpers/hubProcess';
import { validIdNumber } from '../../../sync-server/test/helpers/cases';
import { hubFetch } from '../../src/renderer/api/hubClient';
import {
  resetCountyKeyCache,
  storedCountyKey,
  updateCountyKey,
} from '../../src/renderer/auth/countyKey';
import { deviceConfigFrom, type DeviceConfig } from '../../src/renderer/auth/deviceConfig';
import { getAccessToken, getSession, login, logout } from '../../src/renderer/auth/sessionStore';
import { searchQueries } from '../../src/renderer/db/caseQueries';
import { openDatabase, type AppDatabase } from '../../src/renderer/db/database';
import { buildNewCase, type AcceptInput } from '../../src/renderer/features/village/acceptCase';
import { toCatalogueMatter, type CatalogueMatter } from '../../src/renderer/hooks/useReference';
import { DATA_KEY, hubClient, startSeededHub } from './support/liveHub';

let hub: HubHandle;
let cfg: DeviceConfig;
let hubKey: CountyKey;
let matter: CatalogueMatter;
let db: AppDatabase | null = null;

beforeAll(async () => {
  hub = await startSeededHub();
  // The hub's side, read by a plain HTTP client on another PC of the county.
  const other = await hubClient(hub, 'village-dq-01', 'v.dq01');
  hubKey = (await http<CountyKey>(`${hub.url}/api/county-key`, { token: other.token })).body;
  const matters = [...(await other.pullAll<MatterDoc>('matters')).values()].map(toCatalogueMatter);
  matter = matters.find((m) => m.villageMode === 'accept_and_forward' && m.active)!;
  expect(matter).toBeDefined();
  const [mine] = await enrolDevices(hub, 'village-dq-01', 1);
  cfg = await deviceConfigFrom(hub.url, mine!, true);
}, 120_000);
afterAll(async () => {
  logout();
  await db?.close();
  await hub?.stop();
});

let seq = 0;
/** A new case as the accept form builds it; `countyKey` given only to mimic an older PC. */
async function accept(idNumber: string, countyKey?: CountyKey | null): Promise<CaseDoc> {
  seq += 1;
  // Case ids carry the time in base 36: a pause keeps each case its own.
  await new Promise((r) => setTimeout(r, 3));
  const input: AcceptInput = {
    matter,
    applicantKind: 'person',
    name: `赵桂兰${seq}`,
    idNumber,
    phone: '13800138000',
    legalRepresentative: '',
    byAgent: false,
    agentName: '',
    agentIdNumber: '',
    agentPhone: '',
    agentLetterSigned: false,
    materials: matter.materials.map((x) => ({
      materialId: x.id,
      name: x.name,
      necessity: x.necessity,
      originals: Math.max(1, x.originals),
      copies: x.copies,
      state: 'received',
    })),
    commitmentDate: null,
    commitmentSigned: false,
    promisedDue: null,
  };
  return buildNewCase(input, 'accept', {
    actor: getSession()!.user,
    deviceId: cfg.deviceId,
    townId: 'town-dq',
    provisionalNo: `DQ01-CKEY-20261202-${String(seq).padStart(4, '0')}`,
    ...(countyKey === undefined ? {} : { countyKey }),
  });
}

describe('the county key on the desktop', () => {
  it('is fetched at an online login and kept sealed on this PC, also offline and after a restart', async () => {
    expect(await storedCountyKey(cfg.deviceId)).toBeNull();
    await login(cfg, 'v.dq01', 'Demo@2026');
    expect(getSession()!.mode).toBe('online');
    expect(await storedCountyKey(cfg.deviceId)).toEqual(hubKey);
    // Sealed at rest: the key's bytes are not readable in the PC's storage.
    const sealed = localStorage.getItem('sibantong.countyKey');
    expect(sealed).toBeTruthy();
    expect(sealed).not.toContain(hubKey.key);

    // An app restart with no hub: the key is still there, for this device only.
    logout();
    resetCountyKeyCache();
    expect(await storedCountyKey(cfg.deviceId)).toEqual(hubKey);
    expect(await storedCountyKey('device-enrolled-later')).toBeNull();

    // A failed fetch (hub gone meanwhile) keeps the stored key and does not throw.
    await updateCountyKey({ ...cfg, hubUrl: 'http://127.0.0.1:9' }, 'stale-token');
    expect(await storedCountyKey(cfg.deviceId)).toEqual(hubKey);
  }, 60_000);

  it('digests a new case with the key; the hub accepts it and the ID search finds it and an old unkeyed case', async () => {
    await login(cfg, 'v.dq01', 'Demo@2026');
    const idNumber = validIdNumber(321);
    // The same citizen came before this PC had the key (unkeyed), and comes again now.
    const before = await accept(idNumber, null);
    const now = await accept(idNumber);
    const someoneElse = await accept(validIdNumber(654));
    expect(before.applicantIdDigest).toBe(await idDigest(idNumber));
    expect(now.applicantIdDigest).toBe(await idDigest(idNumber, hubKey));
    expect(now.applicantIdDigest).not.toBe(await idDigest(idNumber));

    // Both pushed with this PC's own session (device proof included): the hub accepts both.
    const pushed = await hubFetch<PushResponse>(cfg.hubUrl, '/api/sync/cases/push', {
      method: 'POST',
      token: getSession()!.accessToken,
      body: {
        rows: [before, now, someoneElse].map((d) => ({
          assumedMasterState: null,
          newDocumentState: d,
        })),
      },
    });
    expect(pushed.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);

    // The PC's database holds the hub's documents (as the push handler stores them).
    db = await openDatabase(`${cfg.deviceId}ckey`, DATA_KEY);
    for (const r of pushed.results) if (r.status === 'accepted') await db.cases.insert(r.document);
    const found = async (digests: string[]) => {
      const ids = new Set<string>();
      for (const q of searchQueries(idNumber, undefined, 50, digests)) {
        for (const d of await db!.cases.find(q).exec()) ids.add(d.id);
      }
      return [...ids].sort();
    };
    // What the case list searches with: the stored key's digest and the old one.
    const candidates = await idDigestCandidates(idNumber, await storedCountyKey(cfg.deviceId));
    expect(candidates).toHaveLength(2);
    expect(await found(candidates)).toEqual([before.id, now.id].sort());
    // The keyed digest alone would lose the old case: the candidates are what keeps it.
    expect(await found([await idDigest(idNumber, hubKey)])).toEqual([now.id]);
  }, 60_000);

  it('reaches a PC that logged in offline as soon as the hub answers again', async () => {
    // A PC whose key record is gone (or that never had one), started with the hub away.
    logout();
    localStorage.removeItem('sibantong.countyKey');
    resetCountyKeyCache();
    await login({ ...cfg, hubUrl: 'http://127.0.0.1:9' }, 'v.dq01', 'Demo@2026');
    expect(getSession()!.mode).toBe('offline');
    expect(await storedCountyKey(cfg.deviceId)).toBeNull();
    // The hub is back: the first token refresh also brings the key.
    expect(await getAccessToken(cfg)).toBeTruthy();
    expect(await storedCountyKey(cfg.deviceId)).toEqual(hubKey);
  }, 60_000);
});
