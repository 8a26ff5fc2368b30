/**
 * The hub over HTTP on a real process: health, CORS, bad input, auth (lockout, refresh,
 * revocation), scoped pull per role, push, live delivery to a second client, removal when a
 * case leaves a user's scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc, EnrollResponse, HealthResponse } from '@sibantong/shared';
import {
  enrolDevices,
  http,
  loginAs,
  openStream,
  rememberTokenDevice,
  waitFor,
  type TestClient,
} from './helpers/client.js';
import { newCase, pushVersions, withEvent } from './helpers/cases.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';

describe.each(storeModes())('hub API on the %s store', (mode) => {
  let hub: HubHandle;
  let devices: EnrollResponse[];
  const clients: Record<string, TestClient> = {};
  const users = ['v.dq01', 'v.dq02', 't.dq', 't.xh', 'c.agent', 'd.rs', 'sup', 'it'];

  beforeAll(async () => {
    hub = await startHub({ mode });
    const seeded = await hub.cli(['seed-demo']);
    expect(seeded.code).toBe(0);
    devices = await enrolDevices(hub, 'village-dq-01', users.length + 3);
    for (const [i, u] of users.entries()) clients[u] = await loginAs(hub, devices[i]!, u);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('reports health with the store kind and version', async () => {
    const r = await http<HealthResponse>(`${hub.url}/api/health`, { token: clients['it']!.token });
    expect(r.status).toBe(200);
    expect(r.body.store.kind).toBe(mode);
    expect(r.body.store.version).toMatch(mode === 'embedded' ? /pouchdb-server/ : /CouchDB/);
    expect(r.body.workflow.deadLetters).toBe(0);
  });

  it('answers CORS preflights for any origin without credentials', async () => {
    const res = await fetch(`${hub.url}/api/sync/cases/push`, {
      method: 'OPTIONS',
      headers: { origin: 'app://sibantong', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('turns bad input into 4xx answers with a code, never a 500', async () => {
    const t = clients['v.dq01']!.token;
    const cases: Array<[string, Parameters<typeof http>[1], number, string]> = [
      ['/api/nowhere', {}, 404, 'NOT_FOUND'],
      [
        '/api/auth/login',
        { raw: '{"username":', headers: { 'content-type': 'application/json' } },
        400,
        'INVALID_JSON',
      ],
      [
        '/api/auth/login',
        { body: { username: 5, password: 'x', deviceId: 'a', deviceSecret: 'b' } },
        400,
        'INVALID_BODY',
      ],
      [
        '/api/auth/login',
        { body: { username: 'a', password: 'x', deviceId: 'a', deviceSecret: 'b', extra: 1 } },
        400,
        'INVALID_BODY',
      ],
      [
        '/api/auth/login',
        { raw: 'username=a', headers: { 'content-type': 'text/plain' } },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      ['/api/sync/nothing/pull', { token: t }, 404, 'UNKNOWN_COLLECTION'],
      ['/api/sync/cases/pull?checkpoint=%7Bbad', { token: t }, 400, 'INVALID_CHECKPOINT'],
      [
        '/api/sync/cases/pull?checkpoint=%7B%22seq%22%3A5%7D',
        { token: t },
        400,
        'INVALID_CHECKPOINT',
      ],
      ['/api/sync/cases/pull?limit=0', { token: t }, 400, 'INVALID_LIMIT'],
      ['/api/sync/cases/pull?limit=abc', { token: t }, 400, 'INVALID_QUERY'],
      ['/api/sync/cases/pull', {}, 401, 'AUTH_REQUIRED'],
      ['/api/sync/cases/pull', { token: 'v1.e30.AAAA' }, 401, 'TOKEN_INVALID'],
      ['/api/sync/cases/pull', { headers: { authorization: 'Basic abc' } }, 401, 'TOKEN_INVALID'],
      [
        '/api/devices/enroll',
        { body: { code: 'AAAA-BBBB-CCCC', deviceName: 'x' } },
        400,
        'ENROL_CODE_INVALID',
      ],
      [
        '/api/auth/refresh',
        { body: { refreshToken: 'nope', deviceId: 'x', deviceSecret: 'y' } },
        401,
        'REFRESH_INVALID',
      ],
    ];
    for (const [path, init, status, code] of cases) {
      const r = await http<{ code: string; message: string }>(`${hub.url}${path}`, init);
      expect({ path, status: r.status, code: r.body.code }).toEqual({ path, status, code });
      expect(r.body.message.length).toBeGreaterThan(0);
    }
  });

  it('refuses a wrong password, then locks the account after five failures', async () => {
    const add = await hub.cli([
      'user',
      'add',
      'v.lock',
      '--name',
      '锁定测试',
      '--role',
      'village_helper',
      '--unit',
      'village-dq-01',
      '--password',
      'Right@2026',
    ]);
    expect(add.code).toBe(0);
    const dev = devices[users.length]!;
    const attempt = (password: string) =>
      http<{ code: string }>(`${hub.url}/api/auth/login`, {
        body: {
          username: 'v.lock',
          password,
          deviceId: dev.deviceId,
          deviceSecret: dev.deviceSecret,
        },
      });
    for (let i = 0; i < 5; i += 1) {
      const r = await attempt('Wrong@2026');
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('AUTH_INVALID_CREDENTIALS');
    }
    const locked = await attempt('Right@2026');
    expect(locked.status).toBe(423);
    expect(locked.body.code).toBe('ACCOUNT_LOCKED');
    // IT resets the password: the lock is lifted.
    expect(
      (await hub.cli(['user', 'reset-password', 'v.lock', '--password', 'Again@2026'])).code,
    ).toBe(0);
    expect((await attempt('Again@2026')).status).toBe(200);
    // A bad device secret is refused whatever the password.
    const bad = await http<{ code: string }>(`${hub.url}/api/auth/login`, {
      body: {
        username: 'v.lock',
        password: 'Again@2026',
        deviceId: dev.deviceId,
        deviceSecret: 'forged',
      },
    });
    expect(bad.body.code).toBe('DEVICE_UNKNOWN');
  });

  it('rotates refresh tokens, detects reuse, and ends sessions at logout', async () => {
    const dev = devices[users.length + 1]!;
    const c = await loginAs(hub, dev, 'v.dq01');
    expect(c.session.offlineLoginDays).toBeGreaterThan(0);
    expect(Date.parse(c.session.hubTime)).not.toBeNaN();
    const first = c.session.refreshToken;
    const r1 = await http<{ accessToken: string; refreshToken: string }>(
      `${hub.url}/api/auth/refresh`,
      {
        body: { refreshToken: first, deviceId: dev.deviceId, deviceSecret: dev.deviceSecret },
      },
    );
    expect(r1.status).toBe(200);
    rememberTokenDevice(r1.body.accessToken, dev.deviceSecret);
    const wrongDevice = await http<{ code: string }>(`${hub.url}/api/auth/refresh`, {
      body: {
        refreshToken: r1.body.refreshToken,
        deviceId: devices[0]!.deviceId,
        deviceSecret: devices[0]!.deviceSecret,
      },
    });
    expect(wrongDevice.body.code).toBe('REFRESH_INVALID');
    const reuse = await http<{ code: string }>(`${hub.url}/api/auth/refresh`, {
      body: { refreshToken: first, deviceId: dev.deviceId, deviceSecret: dev.deviceSecret },
    });
    expect(reuse.body.code).toBe('REFRESH_REUSED');
    // Reuse ended the session: the rotated token is dead too.
    const after = await http<{ code: string }>(`${hub.url}/api/me`, { token: r1.body.accessToken });
    expect(after.body.code).toBe('SESSION_REVOKED');

    const c2 = await loginAs(hub, dev, 'v.dq01');
    expect(
      (await http(`${hub.url}/api/auth/logout`, { method: 'POST', token: c2.token })).status,
    ).toBe(204);
    expect((await http<{ code: string }>(`${hub.url}/api/me`, { token: c2.token })).body.code).toBe(
      'SESSION_REVOKED',
    );
  });

  it('revokes a device at its next request', async () => {
    const dev = devices[users.length + 2]!;
    const c = await loginAs(hub, dev, 'v.dq01');
    expect((await http(`${hub.url}/api/me`, { token: c.token })).status).toBe(200);
    expect((await hub.cli(['device', 'revoke', dev.deviceId])).code).toBe(0);
    const r = await http<{ code: string }>(`${hub.url}/api/me`, { token: c.token });
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('DEVICE_REVOKED');
    const login = await http<{ code: string }>(`${hub.url}/api/auth/login`, {
      body: {
        username: 'v.dq01',
        password: 'Demo@2026',
        deviceId: dev.deviceId,
        deviceSecret: dev.deviceSecret,
      },
    });
    expect(login.body.code).toBe('DEVICE_REVOKED');
  });

  let caseDoc: CaseDoc;

  it('accepts a push and answers row by row', async () => {
    const v = clients['v.dq01']!;
    caseDoc = await newCase(v);
    const [res] = await pushVersions(v, [[null, caseDoc]]);
    expect(res?.status).toBe('accepted');
    const stored = (res as { document: CaseDoc }).document;
    expect(stored.events[0]?.hubTime).toBeTruthy();
    expect(stored.status).toBe('received');
    // Re-pushing the same document (a retry) changes nothing and is accepted.
    const [again] = await pushVersions(v, [[null, caseDoc]]);
    expect(again?.status).toBe('accepted');
    expect((again as { document: CaseDoc }).document.events).toHaveLength(1);
    caseDoc = stored;
  });

  it('pulls only what each role may see', async () => {
    const seen: Record<string, boolean> = {};
    for (const u of users) seen[u] = (await clients[u]!.pullAll('cases')).has(caseDoc.id);
    expect(seen).toEqual({
      'v.dq01': true,
      't.dq': true,
      'c.agent': true,
      sup: true,
      'v.dq02': false,
      't.xh': false,
      'd.rs': false,
      it: false,
    });
    // Reference collections go to everyone.
    expect((await clients['v.dq02']!.pullAll<{ id: string }>('matters')).size).toBeGreaterThan(20);
    expect((await clients['d.rs']!.pullAll<{ id: string }>('orgUnits')).size).toBeGreaterThan(5);
    const calendars = await clients['d.rs']!.pullAll<{ id: string }>('calendars');
    expect([...calendars.keys()]).toContain('2026');
  });

  it('delivers a change to a second scoped client live, within about a second', async () => {
    const town = openStream(hub, clients['t.dq']!.token);
    const other = openStream(hub, clients['t.xh']!.token);
    await Promise.all([town.ready, other.ready]);
    await waitFor(async () => town.events.some((e) => e.event === 'resync'));
    const v = clients['v.dq01']!;
    const fresh = await newCase(v, { applicantName: '实时送达' });
    const sent = Date.now();
    const [res] = await pushVersions(v, [[null, fresh]]);
    expect(res?.status).toBe('accepted');
    const got = await waitFor(
      async () => town.events.find((e) => e.event === 'change' && e.at >= sent),
      5000,
      20,
    );
    expect(JSON.parse(got.data)).toEqual({ collection: 'cases' });
    expect(got.at - sent).toBeLessThan(1500);
    await new Promise((r) => setTimeout(r, 300));
    expect(
      other.events.filter((e) => e.event === 'change' && e.data.includes('cases') && e.at >= sent),
    ).toHaveLength(0);
    town.close();
    other.close();
  });

  it('sends a removal when a case leaves a user’s scope', async () => {
    const v = clients['v.dq01']!;
    const town = clients['t.dq']!;
    // The village hands the case to its town, then the centre moves it to another village.
    const forwarded = withEvent(v, caseDoc, 'forward', { toUnitId: 'town-dq', materials: [] });
    const [res] = await pushVersions(v, [[caseDoc, forwarded]]);
    expect(res?.status).toBe('accepted');
    const before = await v.pull('cases', null, 1000);
    const cp = before.body.checkpoint;

    const moved = await http<{ document: CaseDoc }>(
      `${hub.url}/api/admin/cases/${caseDoc.id}/move`,
      {
        token: clients['c.agent']!.token,
        body: { toUnitId: 'village-dq-02', reason: '申请人户籍迁至二村' },
      },
    );
    expect(moved.status).toBe(200);
    expect(moved.body.document.formerUnitIds).toContain('village-dq-01');
    const refusedMove = await http<{ code: string }>(
      `${hub.url}/api/admin/cases/${caseDoc.id}/move`,
      {
        token: v.token,
        body: { toUnitId: 'village-dq-01', reason: 'x' },
      },
    );
    expect(refusedMove.body.code).toBe('ROLE_NOT_PERMITTED');

    const after = await v.pull('cases', cp, 100);
    const removal = after.body.documents.find((d) => d.id === caseDoc.id) as unknown as Record<
      string,
      unknown
    >;
    expect(removal).toMatchObject({ id: caseDoc.id, _deleted: true });
    expect(removal.applicant).toBeUndefined();
    expect((await clients['v.dq02']!.pullAll('cases')).get(caseDoc.id)?.originUnitId).toBe(
      'village-dq-02',
    );
    expect((await town.pullAll('cases')).get(caseDoc.id)?._deleted).toBeUndefined();
  });

  it('merges concurrent offline edits by two levels, and reports a true conflict', async () => {
    const v = clients['v.dq01']!;
    const t1 = clients['t.dq']!;
    const t2 = await loginAs(hub, devices[users.length + 1]!, 't.dq');
    let d = await newCase(v, { applicantName: '并发合并' });
    d = withEvent(v, d, 'forward', { toUnitId: 'town-dq', materials: [] });
    const [r0] = await pushVersions(v, [[null, d]]);
    const base = (r0 as { document: CaseDoc }).document;

    // Offline at the same time: the village takes in a late material, the town claims.
    const byVillage = withEvent(v, base, 'supplement', {
      materials: [{ materialId: 'hukou', name: '户口簿', originals: 1, copies: 0, missing: false }],
    });
    const byTown = withEvent(t1, base, 'claim', {});
    const [a] = await pushVersions(v, [[base, byVillage]]);
    const [b] = await pushVersions(t1, [[base, byTown]]);
    expect([a?.status, b?.status]).toEqual(['accepted', 'accepted']);
    const merged = (b as { document: CaseDoc }).document;
    expect(merged.events.map((e) => e.type).sort()).toEqual([
      'claim',
      'forward',
      'receive',
      'supplement',
    ]);

    // Two devices of the town act on the same old state: escalate wins, the return that was
    // legal on what the second device saw is no longer legal — a conflict, with the master.
    const escalated = withEvent(t1, merged, 'escalate', { toUnitId: 'county-sx', materials: [] });
    const returned = withEvent(t2, merged, 'return_for_correction', {
      toUnitId: 'village-dq-01',
      reason: '材料不全',
    });
    const [e1] = await pushVersions(t1, [[merged, escalated]]);
    expect(e1?.status).toBe('accepted');
    const [e2] = await pushVersions(t2, [[merged, returned]]);
    expect(e2?.status).toBe('conflict');
    expect(e2?.status === 'conflict' && e2.master.holderUnitId).toBe('county-sx');
  });

  it('refuses an expired access token with its own code', async () => {
    const it_ = clients['it']!;
    const shift = await http(`${hub.url}/api/admin/clock`, {
      token: it_.token,
      body: { offsetMs: 16 * 60_000 },
    });
    expect(shift.status).toBe(200);
    try {
      const r = await http<{ code: string }>(`${hub.url}/api/me`, {
        token: clients['v.dq01']!.token,
      });
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('TOKEN_EXPIRED');
    } finally {
      const fresh = await loginAs(hub, devices[7]!, 'it');
      await http(`${hub.url}/api/admin/clock`, { token: fresh.token, body: { offsetMs: 0 } });
    }
  });
  // Last: it blocks made-up devices from this test's address for ten minutes.
  it('throttles an address that keeps presenting made-up devices, and only those', async () => {
    const attempt = () =>
      http<{ code: string }>(`${hub.url}/api/auth/login`, {
        body: { username: 'nobody', password: 'x', deviceId: 'dev-none', deviceSecret: 'none' },
      });
    const codes: string[] = [];
    for (let i = 0; i < 31; i += 1) codes.push((await attempt()).body.code);
    expect(codes.slice(0, 30).every((c) => c === 'DEVICE_UNKNOWN')).toBe(true);
    expect(codes[30]).toBe('LOGIN_THROTTLED');
    // An enrolled PC behind the same address is not affected.
    expect((await loginAs(hub, devices[0]!, 'v.dq01')).session.accessToken).toBeTruthy();
  });
});
