/**
 * The trust boundary attacked as an attacker with one enrolled village PC would, against a
 * real hub over HTTP (issue 12): concurrent password guessing, floods with made-up device ids
 * and enrolment codes, logins at another unit's PC, copied and forged tokens, what a disabled
 * account reveals, health details, and the password change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import type { EnrollResponse, LoginResponse } from '@sibantong/shared';
import { reserveAttempt } from '../src/auth/accountLock.js';
import { loadConfig } from '../src/config.js';
import { openStore } from '../src/store/openStore.js';
import { loadTokenKey } from '../src/auth/tokenKey.js';
import type { Store } from '../src/store/store.js';
import {
  deviceProof,
  enrolDevices,
  http,
  loginAs,
  openStream,
  rememberTokenDevice,
  TestClient,
} from './helpers/client.js';
import { COUCHDB_URL, startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';

const PASSWORD = 'Demo@2026';
type Refusal = { code: string; message: string };

function loginBody(username: string, password: string, device: EnrollResponse) {
  return { username, password, deviceId: device.deviceId, deviceSecret: device.deviceSecret };
}

describe.each(storeModes())('trust boundary on the %s store', (mode) => {
  let hub: HubHandle;
  let village: EnrollResponse[];
  let town: EnrollResponse;
  let county: EnrollResponse;
  const login = (username: string, password: string, device: EnrollResponse, from?: string) =>
    http<LoginResponse & Refusal>(`${hub.url}/api/auth/login`, {
      body: loginBody(username, password, device),
      headers: from ? { 'x-forwarded-for': from } : {},
    });
  const addUser = async (username: string, unit = 'village-dq-01', role = 'village_helper') => {
    const r = await hub.cli([
      'user',
      'add',
      username,
      '--name',
      '测试',
      '--role',
      role,
      '--unit',
      unit,
      '--password',
      'Right@2026',
    ]);
    expect(r.code, r.stderr).toBe(0);
  };
  /** The hub's store opened from the test process, as a second hub process would. */
  const attachedStore = (): Promise<Store> =>
    openStore(
      loadConfig({
        HUB_DATA_DIR: hub.dataDir,
        HUB_DB_PREFIX: hub.prefix,
        ...(mode === 'couchdb' ? { COUCHDB_URL } : {}),
      }),
      { attachIfRunning: true },
    );

  beforeAll(async () => {
    // The test process plays the reverse proxy: X-Forwarded-For names the client.
    hub = await startHub({ mode, env: { HUB_TRUSTED_PROXIES: '127.0.0.1' } });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    village = await enrolDevices(hub, 'village-dq-01', 6);
    town = (await enrolDevices(hub, 'town-dq', 1))[0]!;
    county = (await enrolDevices(hub, 'county-sx', 1))[0]!;
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('locks the account after exactly five of 300 concurrent wrong guesses; the right password then fails', async () => {
    await addUser('v.guess');
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        login('v.guess', `Wrong@${i}`, village[0]!, '10.1.0.1'),
      ),
    );
    const codes = results.map((r) => r.body.code);
    // Only five guesses ever reached the password check; every other one was refused first.
    expect(codes.filter((c) => c === 'AUTH_INVALID_CREDENTIALS')).toHaveLength(5);
    expect(
      codes.every((c) =>
        ['AUTH_INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'DEVICE_LOGIN_THROTTLED'].includes(c),
      ),
    ).toBe(true);
    // The owner, from another PC, with the right password: locked.
    const right = await login('v.guess', 'Right@2026', village[1]!, '10.1.0.2');
    expect(right.status).toBe(423);
    expect(right.body.code).toBe('ACCOUNT_LOCKED');
    expect(right.body.message).toContain('锁定');
    // IT unlocks: the owner gets in.
    const unlock = await hub.cli(['user', 'unlock', 'v.guess']);
    expect(unlock.code, unlock.stderr).toBe(0);
    expect((await login('v.guess', 'Right@2026', village[1]!, '10.1.0.2')).status).toBe(200);
  });

  it('never loses a count when two writers race on the counter document', async () => {
    await addUser('v.race');
    // Two "hub processes": the test process writes through its own connection to the store,
    // 40 attempts at once; every conflict must be re-read and counted.
    const a = await attachedStore();
    const b = await attachedStore();
    const now = Date.now();
    const grants = await Promise.all(
      Array.from({ length: 40 }, (_, i) => reserveAttempt(i % 2 ? a : b, 'v.race', now)),
    );
    expect(grants.filter((g) => g.kind === 'granted')).toHaveLength(5);
    expect(grants.filter((g) => g.kind === 'locked')).toHaveLength(35);
    await a.close();
    await b.close();
  });

  it('a flood of made-up device ids from one address blocks nobody else', async () => {
    const flood = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        http<Refusal>(`${hub.url}/api/auth/login`, {
          body: { username: 'v.dq01', password: 'x', deviceId: `dev-fake${i}`, deviceSecret: 'x' },
          headers: { 'x-forwarded-for': '10.6.6.6' },
        }),
      ),
    );
    const codes = flood.map((r) => r.body.code);
    expect(codes.filter((c) => c === 'DEVICE_UNKNOWN')).toHaveLength(30);
    expect(codes.filter((c) => c === 'LOGIN_THROTTLED')).toHaveLength(30);
    // The attacker's address stays blocked for made-up devices …
    expect(
      (await login('v.dq02', PASSWORD, { ...village[2]!, deviceSecret: 'guess' }, '10.6.6.6')).body
        .code,
    ).toBe('LOGIN_THROTTLED');
    // … but every enrolled PC still logs in: behind the same address, and from others.
    expect((await login('v.dq01', PASSWORD, village[2]!, '10.6.6.6')).status).toBe(200);
    expect((await login('t.dq', PASSWORD, town, '10.2.0.9')).status).toBe(200);
    expect((await login('sup', PASSWORD, county, '10.3.0.9')).status).toBe(200);
    // Another address with a wrong device is answered on its merits, not throttled.
    const other = await login(
      'v.dq01',
      PASSWORD,
      { ...village[2]!, deviceSecret: 'x' },
      '10.2.0.10',
    );
    expect(other.body.code).toBe('DEVICE_UNKNOWN');
  });

  it('stops password spraying from one PC without touching other PCs', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `v.spray${i}`);
    for (const n of names) await addUser(n);
    const sprayed = await Promise.all(
      names.flatMap((n) =>
        [1, 2, 3, 4].map((k) => login(n, `Wrong@${k}`, village[3]!, '10.4.0.1')),
      ),
    );
    const codes = sprayed.map((r) => r.body.code);
    expect(codes.filter((c) => c === 'AUTH_INVALID_CREDENTIALS')).toHaveLength(30);
    expect(codes.filter((c) => c === 'DEVICE_LOGIN_THROTTLED')).toHaveLength(2);
    // No account reached its own lock (four guesses each), and the other PCs work.
    expect((await login('v.spray0', 'Right@2026', village[4]!, '10.4.0.1')).status).toBe(200);
    expect((await login('v.spray0', 'Right@2026', village[3]!, '10.4.0.1')).body.code).toBe(
      'DEVICE_LOGIN_THROTTLED',
    );
  }, 180_000);

  it('throttles wrong enrolment codes per address, exactly, and lets other addresses enrol', async () => {
    const guesses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        http<Refusal>(`${hub.url}/api/devices/enroll`, {
          body: { code: `ZZZZ-ZZZZ-ZZ${String(i).padStart(2, '2')}`, deviceName: '攻击' },
          headers: { 'x-forwarded-for': '10.7.7.7' },
        }),
      ),
    );
    const codes = guesses.map((r) => r.body.code);
    expect(codes.filter((c) => c === 'ENROL_CODE_INVALID')).toHaveLength(10);
    expect(codes.filter((c) => c === 'ENROL_THROTTLED')).toHaveLength(30);
    const out = await hub.cli(['device', 'enroll', '--unit', 'village-dq-02']);
    const code = (out.json as { codes: { code: string }[] }).codes[0]!.code;
    const ok = await http<EnrollResponse>(`${hub.url}/api/devices/enroll`, {
      body: { code, deviceName: '南岭村' },
      headers: { 'x-forwarded-for': '10.7.7.8' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.orgUnitId).toBe('village-dq-02');
  });

  it("a village PC refuses another village's user, the town lead and the supervisor", async () => {
    const pc = village[5]!;
    for (const u of ['v.dq02', 't.dq', 'sup', 'it']) {
      const r = await login(u, PASSWORD, pc, '10.5.0.1');
      expect({ u, status: r.status, code: r.body.code }).toEqual({
        u,
        status: 403,
        code: 'DEVICE_UNIT_NOT_ALLOWED',
      });
      expect(r.body.message).toContain('user roam');
    }
    expect((await login('v.dq01', PASSWORD, pc, '10.5.0.1')).status).toBe(200);
    // Roaming is explicit, per user and unit: IT lets the town lead work at this village.
    const roam = await hub.cli(['user', 'roam', 't.dq', '--units', 'village-dq-01']);
    expect(roam.code, roam.stderr).toBe(0);
    const lead = await login('t.dq', PASSWORD, pc, '10.5.0.1');
    expect(lead.status).toBe(200);
    rememberTokenDevice(lead.body.accessToken, pc.deviceSecret);
    expect((await http(`${hub.url}/api/me`, { token: lead.body.accessToken })).status).toBe(200);
    // Taken back: the open session is refused at its next request.
    expect((await hub.cli(['user', 'roam', 't.dq', '--units', ''])).code).toBe(0);
    const after = await http<Refusal>(`${hub.url}/api/me`, { token: lead.body.accessToken });
    expect(after.body.code).toBe('DEVICE_UNIT_NOT_ALLOWED');
    // A unit that does not exist is refused.
    const typo = await hub.cli(['user', 'roam', 't.dq', '--units', 'village-dq-99']);
    expect(typo.code).toBe(3);
    expect(typo.stderr).toContain('单位不存在');
  });

  it('refuses a copied access token from another device, and one without its device', async () => {
    const owner = await loginAs(hub, village[0]!, 'v.dq01');
    const thief = village[1]!;
    const me = (proof: string | null) =>
      http<Refusal>(`${hub.url}/api/me`, { token: owner.token, proof });
    expect((await me(deviceProof(owner.token, owner.device.deviceSecret))).status).toBe(200);
    const copied = await me(deviceProof(owner.token, thief.deviceSecret));
    expect(copied.status).toBe(401);
    expect(copied.body.code).toBe('DEVICE_PROOF_INVALID');
    expect((await me(null)).body.code).toBe('DEVICE_PROOF_INVALID');
    // The header proof does not open the stream, nor the stream proof an API route.
    const streamProof = deviceProof(owner.token, owner.device.deviceSecret, 'query');
    expect((await me(streamProof)).body.code).toBe('DEVICE_PROOF_INVALID');
    const badStream = await fetch(
      `${hub.url}/api/sync/stream?access_token=${encodeURIComponent(owner.token)}&device_proof=${deviceProof(owner.token, owner.device.deviceSecret)}`,
    );
    expect(badStream.status).toBe(401);
    const stream = openStream(hub, owner.token);
    await stream.ready;
    stream.close();
  });

  it('refuses a copied refresh token without the secret of its device', async () => {
    const owner = await loginAs(hub, village[0]!, 'v.dq01');
    const refresh = (deviceSecret: string) =>
      http<LoginResponse & Refusal>(`${hub.url}/api/auth/refresh`, {
        body: {
          refreshToken: owner.session.refreshToken,
          deviceId: owner.device.deviceId,
          deviceSecret,
        },
        headers: { 'x-forwarded-for': '10.8.0.1' },
      });
    const stolen = await refresh(village[1]!.deviceSecret);
    expect(stolen.status).toBe(401);
    expect(stolen.body.code).toBe('DEVICE_UNKNOWN');
    // The session was not touched by the failed attempt: its own device refreshes.
    const own = await refresh(owner.device.deviceSecret);
    expect(own.status).toBe(200);
    // Another enrolled device presenting its own credentials with this token: refused.
    const other = await http<Refusal>(`${hub.url}/api/auth/refresh`, {
      body: {
        refreshToken: own.body.refreshToken,
        deviceId: village[1]!.deviceId,
        deviceSecret: village[1]!.deviceSecret,
      },
    });
    expect(other.body.code).toBe('REFRESH_INVALID');
  });

  it('refuses a validly signed token whose user is not its session’s user', async () => {
    const victim = await loginAs(hub, village[0]!, 'v.dq01');
    const store = await attachedStore();
    const key = await loadTokenKey(store);
    await store.close();
    const [, payload] = victim.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { usr: string };
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, usr: 'sup' })).toString(
      'base64url',
    );
    const sig = createHmac('sha256', key).update(forgedPayload).digest('base64url');
    const forged = `v1.${forgedPayload}.${sig}`;
    const r = await http<Refusal>(`${hub.url}/api/me`, {
      token: forged,
      proof: deviceProof(forged, victim.device.deviceSecret),
    });
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('SESSION_REVOKED');
  });

  it('a disabled account answers the same for a right and a wrong password', async () => {
    await addUser('v.off');
    expect((await hub.cli(['user', 'disable', 'v.off'])).code).toBe(0);
    const right = await login('v.off', 'Right@2026', village[4]!, '10.9.0.1');
    const wrong = await login('v.off', 'Wrong@2026', village[4]!, '10.9.0.1');
    expect(right.status).toBe(wrong.status);
    expect(right.body).toEqual(wrong.body);
    expect(right.body.code).toBe('ACCOUNT_DISABLED');
  });

  it('answers health cheaply in public and with details only to IT and the supervisor', async () => {
    const pub = await http<Record<string, unknown>>(`${hub.url}/api/health`);
    expect(pub.status).toBe(200);
    expect(pub.body.status).toBe('ok');
    expect(pub.body).not.toHaveProperty('workflow');
    expect(pub.body).not.toHaveProperty('store');
    const v = await loginAs(hub, village[0]!, 'v.dq01');
    const refused = await http<Refusal>(`${hub.url}/api/health`, { token: v.token });
    expect(refused.status).toBe(403);
    for (const u of ['it', 'sup']) {
      const c = await loginAs(hub, county, u);
      const d = await http<{
        workflow: { deadLetters: number };
        store: { kind: string };
        calendar: { years: number[]; currentYearCovered: boolean } | null;
      }>(`${hub.url}/api/health`, { token: c.token });
      expect(d.status).toBe(200);
      expect(d.body.store.kind).toBe(mode);
      expect(d.body.calendar?.years.length).toBeGreaterThan(0);
      expect(d.body.workflow.deadLetters).toBe(0);
    }
  });

  it('changes a password with the old one, ending the other sessions', async () => {
    await addUser('v.pw');
    const here = await new TestClient(hub, 'v.pw', village[0]!).login('Right@2026');
    const there = await new TestClient(hub, 'v.pw', village[1]!).login('Right@2026');
    const change = (oldPassword: string, newPassword: string) =>
      http<Refusal & { revokedSessions: number }>(`${hub.url}/api/auth/password`, {
        token: here.token,
        body: { oldPassword, newPassword },
      });
    expect((await change('Wrong@2026', 'Next@2027x')).body.code).toBe('OLD_PASSWORD_WRONG');
    expect((await change('Right@2026', 'short')).body.code).toBe('PASSWORD_POLICY');
    const ok = await change('Right@2026', 'Next@2027x');
    expect(ok.status).toBe(200);
    expect(ok.body.revokedSessions).toBe(1);
    expect((await http(`${hub.url}/api/me`, { token: here.token })).status).toBe(200);
    expect((await http<Refusal>(`${hub.url}/api/me`, { token: there.token })).body.code).toBe(
      'SESSION_REVOKED',
    );
    expect((await login('v.pw', 'Right@2026', village[0]!, '10.9.1.1')).status).toBe(401);
    expect((await login('v.pw', 'Next@2027x', village[0]!, '10.9.1.1')).status).toBe(200);
    // Without a token: refused.
    const anon = await http<Refusal>(`${hub.url}/api/auth/password`, {
      body: { oldPassword: 'Next@2027x', newPassword: 'Again@2028' },
    });
    expect(anon.body.code).toBe('AUTH_REQUIRED');
  });

  it('the CLI validates units, answers --help with 0 and speaks Chinese with stable codes', async () => {
    const enrolTypo = await hub.cli(['device', 'enroll', '--unit', 'village-dq-99']);
    expect(enrolTypo.code).toBe(3);
    expect(enrolTypo.stderr).toContain('单位不存在：village-dq-99');
    const addTypo = await hub.cli([
      'user',
      'add',
      'v.typo',
      '--name',
      '错',
      '--role',
      'village_helper',
      '--unit',
      'nowhere',
    ]);
    expect(addTypo.code).toBe(3);
    const units = await hub.cli(['units']);
    expect(units.code).toBe(0);
    expect(JSON.stringify(units.json)).toContain('village-dq-01');
    const usage = await hub.cli(['device', 'enroll']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('用法');
    expect((await hub.cli(['user', 'add', 'x', '--bogus', '1'])).stderr).toContain(
      '无法识别的参数',
    );
    const commands = [
      [],
      ['serve'],
      ['seed-demo'],
      ['units'],
      ['user'],
      ['user', 'add'],
      ['device', 'enroll'],
      ['calendar'],
      ['keys'],
      ['release'],
    ];
    // Help never opens the store: the commands can be asked at once.
    const helps = await Promise.all(commands.map((cmd) => hub.cli([...cmd, '--help'])));
    for (const [i, help] of helps.entries()) {
      expect({ cmd: commands[i], code: help.code }).toEqual({ cmd: commands[i], code: 0 });
      expect(help.stdout).toMatch(/用法|命令/);
    }
  }, 180_000);
});
