/**
 * The IT console's hub routes (/api/it/*) on the real hub: only an it_admin's authenticated
 * session may use them; a PC enrolled from a code the route made logs in at the chosen unit,
 * is refused once revoked; a locked account's password reset lets the user in again; bad
 * input answers with the same codes as the CLI, and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrollResponse, LoginResponse } from '@sibantong/shared';
import type {
  ItCalendarPreview,
  ItCalendarStatus,
  ItDeviceRow,
  ItEnrolResponse,
  ItPasswordResponse,
  ItReleaseChannel,
  ItUserRow,
} from '@sibantong/shared';
import { enrolDevices, http, loginAs, type TestClient } from './helpers/client.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';
import { writeFakeBuild } from './releases/fakeBuild.js';

describe.each(storeModes())('IT console routes on the %s store', (mode) => {
  let hub: HubHandle;
  let admin: TestClient;
  let clerk: TestClient;

  beforeAll(async () => {
    hub = await startHub({ mode });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    const [county] = await enrolDevices(hub, 'county-sx', 1);
    admin = await loginAs(hub, county!, 'it');
    clerk = await loginAs(hub, county!, 'v.dq01');
  }, 180_000);
  afterAll(async () => {
    await hub?.stop();
  });

  const api = <T>(who: TestClient, path: string, body?: unknown) =>
    http<T>(`${hub.url}/api/it${path}`, {
      token: who.token,
      ...(body === undefined ? {} : { body }),
    });

  it('answers only an it_admin', async () => {
    const r = await api<{ code: string }>(clerk, '/devices');
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('ROLE_NOT_PERMITTED');
    const anon = await http(`${hub.url}/api/it/users`);
    expect(anon.status).toBe(401);
    // A copied token without its device's proof is refused like on the sync API.
    const copied = await http(`${hub.url}/api/it/users`, { token: admin.token, proof: null });
    expect(copied.status).toBe(401);
  });

  it('enrols a PC for the chosen unit, lists it with last login, and revokes it', async () => {
    const bad = await api<{ code: string; message: string }>(admin, '/devices/enrol', {
      orgUnitId: 'village-dq-99',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('village-dq-99');

    const r = await api<{ codes: ItEnrolResponse[] }>(admin, '/devices/enrol', {
      orgUnitId: 'village-dq-02',
    });
    expect(r.status).toBe(200);
    const code = r.body.codes[0]!.code;
    const pc = await http<EnrollResponse>(`${hub.url}/api/devices/enroll`, {
      body: { code, deviceName: '东桥二村便民服务点' },
    });
    expect(pc.status).toBe(200);
    expect(pc.body.orgUnitId).toBe('village-dq-02');
    const user = await loginAs(hub, pc.body, 'v.dq02');
    expect(user.deviceId).toBe(pc.body.deviceId);

    const list = await api<{ devices: ItDeviceRow[] }>(admin, '/devices');
    const row = list.body.devices.find((d) => d.deviceId === pc.body.deviceId);
    expect(row).toMatchObject({ orgUnitId: 'village-dq-02', name: '东桥二村便民服务点' });
    expect(row!.lastSeenAt).not.toBeNull();

    expect((await api(admin, `/devices/${pc.body.deviceId}/revoke`, {})).status).toBe(200);
    const refused = await user.pull('cases', null);
    expect(refused.status).toBe(401);
    expect((refused.body as unknown as { code: string }).code).toBe('DEVICE_REVOKED');
    const again = await http<{ code: string }>(`${hub.url}/api/auth/login`, {
      body: {
        username: 'v.dq02',
        password: 'Demo@2026',
        deviceId: pc.body.deviceId,
        deviceSecret: pc.body.deviceSecret,
      },
    });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('DEVICE_REVOKED');
  }, 60_000);

  it("resets a locked user's password; the old one no longer works", async () => {
    const [dev] = await enrolDevices(hub, 'town-dq', 1);
    const login = (password: string) =>
      http<LoginResponse & { code?: string }>(`${hub.url}/api/auth/login`, {
        body: {
          username: 't.dq',
          password,
          deviceId: dev!.deviceId,
          deviceSecret: dev!.deviceSecret,
        },
      });
    for (let i = 0; i < 6; i += 1) await login('wrong-password');
    const users = await api<{ users: ItUserRow[] }>(admin, '/users');
    const locked = users.body.users.find((u) => u.username === 't.dq');
    expect(locked?.lockedUntil).not.toBeNull();
    expect((await login('Demo@2026')).body.code).toBe('ACCOUNT_LOCKED');

    const weak = await api<{ code: string }>(admin, '/users/t.dq/reset-password', {
      password: '123',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('PASSWORD_POLICY');

    const reset = await api<ItPasswordResponse>(admin, '/users/t.dq/reset-password', {});
    expect(reset.status).toBe(200);
    expect(reset.body.password.length).toBeGreaterThanOrEqual(10);
    expect((await login('Demo@2026')).status).toBe(401);
    expect((await login(reset.body.password)).status).toBe(200);
  }, 60_000);

  it('adds and disables an account at an existing unit only', async () => {
    const bad = await api<{ code: string }>(admin, '/users', {
      username: 'v.new',
      name: '新同事',
      role: 'village_helper',
      orgUnitId: 'village-xx',
    });
    expect(bad.status).toBe(400);
    const ok = await api<ItPasswordResponse>(admin, '/users', {
      username: 'v.new',
      name: '新同事',
      role: 'village_helper',
      orgUnitId: 'village-dq-01',
    });
    expect(ok.status).toBe(200);
    const dup = await api<{ code: string }>(admin, '/users', {
      username: 'v.new',
      name: '新同事',
      role: 'village_helper',
      orgUnitId: 'village-dq-01',
    });
    expect(dup.body.code).toBe('USER_EXISTS');
    expect((await api(admin, '/users/v.new/disable', {})).status).toBe(200);
    const users = await api<{ users: ItUserRow[] }>(admin, '/users');
    expect(users.body.users.find((u) => u.username === 'v.new')?.disabled).toBe(true);
    const self = await api<{ code: string }>(admin, '/users/it/disable', {});
    expect(self.body.code).toBe('CANNOT_DISABLE_SELF');
  }, 60_000);

  it('previews a year calendar file, refuses a bad one, imports on confirmation', async () => {
    const bad = await api<{ code: string; message: string }>(admin, '/calendar/preview', {
      text: JSON.stringify({ year: 2027, holidays: [{ date: '2027-13-01', name: '元旦' }] }),
      format: 'json',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('CALENDAR_INVALID');
    const yamlText = [
      'year: 2027',
      'holidays:',
      '  - { date: "2027-01-01", name: 元旦 }',
      '  - { date: "2027-02-06", name: 春节 }',
      'workdays:',
      '  - { date: "2027-02-20", name: 春节 }',
    ].join('\n');
    const before = await api<ItCalendarStatus>(admin, '/calendar');
    expect(before.body.years).not.toContain(2027);
    const preview = await api<ItCalendarPreview>(admin, '/calendar/preview', {
      text: yamlText,
      format: 'yaml',
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ replaces: false, table: { year: 2027 } });
    expect(preview.body.table.holidays).toHaveLength(2);
    // A preview writes nothing.
    expect((await api<ItCalendarStatus>(admin, '/calendar')).body.years).not.toContain(2027);
    const imported = await api(admin, '/calendar/import', { text: yamlText, format: 'yaml' });
    expect(imported.status).toBe(200);
    expect((await api<ItCalendarStatus>(admin, '/calendar')).body.years).toContain(2027);
    const again = await api<ItCalendarPreview>(admin, '/calendar/preview', {
      text: yamlText,
      format: 'yaml',
    });
    expect(again.body.replaces).toBe(true);
  });

  it('shows release channels, widens a rollout and rolls back', async () => {
    const empty = await api<{ channels: ItReleaseChannel[] }>(admin, '/releases');
    expect(empty.body.channels.map((c) => c.channel)).toEqual(['stable', 'pilot']);
    const nothing = await api<{ code: string }>(admin, '/releases/stable/rollback', {});
    expect(nothing.status).toBe(400);
    expect(nothing.body.code).toBe('RELEASE_NO_PREVIOUS');
    const a = await writeFakeBuild(hub.dataDir, '1.4.0');
    const b = await writeFakeBuild(hub.dataDir, '1.5.0');
    expect((await hub.cli(['release', 'publish', a.folder, '--channel', 'stable'])).code).toBe(0);
    expect(
      (await hub.cli(['release', 'publish', b.folder, '--channel', 'stable', '--rollout', '10']))
        .code,
    ).toBe(0);
    const listed = await api<{ channels: ItReleaseChannel[] }>(admin, '/releases');
    const stable = listed.body.channels.find((c) => c.channel === 'stable')!;
    expect(stable.current).toMatchObject({ version: '1.5.0', rollout: 10 });
    expect(stable.previous?.version).toBe('1.4.0');
    const widened = await api<ItReleaseChannel>(admin, '/releases/stable/rollout', { percent: 50 });
    expect(widened.body.current).toMatchObject({ version: '1.5.0', rollout: 50 });
    const badPercent = await api(admin, '/releases/stable/rollout', { percent: 150 });
    expect(badPercent.status).toBe(400);
    const back = await api<ItReleaseChannel>(admin, '/releases/stable/rollback', {});
    expect(back.body.current).toMatchObject({ version: '1.4.0', rollout: 100 });
    // The CLI sees what the console did (same release store).
    const cli = await hub.cli(['release', 'list', '--channel', 'stable']);
    expect(cli.stdout).toContain('1.4.0');
  }, 60_000);

  it('reports the store and open dead letters', async () => {
    const r = await api<{
      store: { kind: string };
      backlog: number | null;
      deadLetters: unknown[];
    }>(admin, '/health');
    expect(r.status).toBe(200);
    expect(typeof r.body.backlog).toBe('number');
    expect(r.body.store.kind).toBe(mode);
    expect(Array.isArray(r.body.deadLetters)).toBe(true);
  });
});
