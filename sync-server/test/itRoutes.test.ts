/**
 * The IT console's hub routes (/api/it/*) on the real hub: only an it_admin's authenticated
 * session may use them; a PC enrolled from a code the route made logs in at the chosen unit,
 * is refused once revoked; a locked account's password reset lets the user in again; bad
 * input answers with the same codes as the CLI, and changes nothing. A PC's own report (app
 * version, pending uploads) shows in the device list; a dead letter retried after its cause
 * is fixed is processed and leaves the list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc, EnrollResponse, LoginResponse } from '@sibantong/shared';
import { DEVICE_REPORT_PATH } from '@sibantong/shared/it/deviceReport';
import type {
  ItCalendarPreview,
  ItDeadLetterRetry,
  ItHealth,
  ItCalendarStatus,
  ItDeviceRow,
  ItEnrolResponse,
  ItPasswordResponse,
  ItReleaseChannel,
  ItUserRow,
} from '@sibantong/shared';
import { enrolDevices, http, loginAs, waitFor, type TestClient } from './helpers/client.js';
import { newCase, pushVersions } from './helpers/cases.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';
import { storeAdmin } from './helpers/storeAdmin.js';
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

  it('reports the store, open dead letters, its warm-up and the figures', async () => {
    const r = await api<ItHealth>(admin, '/health');
    expect(r.status).toBe(200);
    expect(typeof r.body.backlog).toBe('number');
    expect(r.body.store.kind).toBe(mode);
    expect(Array.isArray(r.body.deadLetters)).toBe(true);
    // A case pushed now is in the scope index; the warm-up ended after it began, and the
    // cockpit's figures are (or become) current.
    const [pc] = await enrolDevices(hub, 'village-dq-01', 1);
    const village = await loginAs(hub, pc!, 'v.dq01');
    const [pushed] = await pushVersions(village, [[null, await newCase(village)]]);
    expect(pushed?.status).toBe('accepted');
    const after = await waitFor(async () => {
      const h = (await api<ItHealth>(admin, '/health')).body;
      return h.warmUp.ready && h.figures.state === 'current' && h.warmUp.casesRead >= 1 ? h : null;
    }, 30_000);
    expect(after.warmUp.readyAt! >= after.warmUp.startedAt).toBe(true);
    expect(after.figures.percent).toBeNull();
    // The hub's own memory and stalls: a healthy hub answering a test has no second-long stall.
    expect(after.runtime.heapUsedMb).toBeGreaterThan(0);
    expect(after.runtime.heapLimitMb).toBeGreaterThan(after.runtime.heapUsedMb);
    expect(after.runtime.stalls.every((s) => s.ms >= 200 && s.gcMs <= s.ms + 100)).toBe(true);
  });

  it("shows a PC's reported version and pending uploads; bad reports are refused and sync goes on", async () => {
    const [pc] = await enrolDevices(hub, 'village-dq-01', 1);
    const user = await loginAs(hub, pc!, 'v.dq01');
    const report = (body: unknown, token: string | undefined = user.token) =>
      http<{ code?: string; recorded?: boolean }>(`${hub.url}${DEVICE_REPORT_PATH}`, {
        token,
        body,
      });
    const row = async () =>
      (await api<{ devices: ItDeviceRow[] }>(admin, '/devices')).body.devices.find(
        (d) => d.deviceId === pc!.deviceId,
      )!;
    expect((await row()).report).toBeNull();

    for (const bad of [
      { appVersion: `1.0.0-${'x'.repeat(200)}`, pendingUploads: 0 },
      { appVersion: '<script>', pendingUploads: 0 },
      { appVersion: '1.2.0', pendingUploads: -1 },
      { appVersion: '1.2.0', pendingUploads: 2.5 },
      { appVersion: '1.2.0', pendingUploads: 10_000_000 },
      { appVersion: '1.2.0', pendingUploads: '3' },
      { appVersion: '1.2.0', pendingUploads: 3, deviceId: 'dev-other' },
      {},
    ]) {
      const r = await report(bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.code).toBe('DEVICE_REPORT_INVALID');
    }
    expect((await report({ pendingUploads: 1 }, '')).status).toBe(401);
    // Nothing recorded, and the PC still syncs.
    expect((await row()).report).toBeNull();
    expect((await user.pull('cases', null)).status).toBe(200);

    const ok = await report({ appVersion: '1.2.0', pendingUploads: 3, pendingAttachments: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body.recorded).toBe(true);
    const shown = (await row()).report;
    expect(shown).toMatchObject({ appVersion: '1.2.0', pendingUploads: 3, pendingAttachments: 1 });
    expect(Date.parse(shown!.reportedAt)).toBeGreaterThan(Date.now() - 60_000);
    // A report right after the last one is ignored (a looping PC cannot flood its record).
    const again = await report({ appVersion: '1.2.0', pendingUploads: 0 });
    expect(again.body.recorded).toBe(false);
    expect((await row()).report?.pendingUploads).toBe(3);
    // The CLI's list shows the same.
    const cli = (await hub.cli(['device', 'list'])).json as { devices: ItDeviceRow[] };
    expect(cli.devices.find((d) => d.deviceId === pc!.deviceId)?.report).toEqual(shown);
  }, 60_000);

  it('retries a dead letter: it fails again while the cause stays, and leaves the list once fixed', async () => {
    const [pc] = await enrolDevices(hub, 'village-dq-01', 1);
    const village = await loginAs(hub, pc!, 'v.dq01');
    const store = storeAdmin(hub);
    // A broken record in the hub's store: a reservation of the official number without the
    // number. The numbering job then fails on these cases (its dead letter) until IT removes it.
    const docs = [await newCase(village), await newCase(village)];
    const poison = (d: CaseDoc) =>
      `/${store.db('hub')}/${encodeURIComponent(`officialno:${d.id}`)}`;
    for (const d of docs) {
      expect((await store.put(poison(d), { type: 'official_no', caseId: d.id })).status).toBe(201);
    }
    const results = await pushVersions(
      village,
      docs.map((d) => [null, d] as [null, CaseDoc]),
    );
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    const health = async () => (await api<ItHealth>(admin, '/health')).body;
    const letterOf = async (d: CaseDoc) =>
      (await health()).deadLetters.find((l) => l.caseId === d.id && l.job === 'officialNumber');
    const first = await waitFor(() => letterOf(docs[0]!), 30_000);
    await waitFor(() => letterOf(docs[1]!), 30_000);

    const retry = (id: string) =>
      api<{ results: ItDeadLetterRetry[]; code?: string }>(
        admin,
        `/dead-letters/${encodeURIComponent(id)}/retry`,
        {},
      );
    const failed = await retry(first.id);
    expect(failed.status).toBe(200);
    expect(failed.body.results).toEqual([
      expect.objectContaining({ id: first.id, outcome: 'failed', code: first.code }),
    ]);
    expect((await letterOf(docs[0]!))?.attempts).toBe(first.attempts + 1);

    // IT repairs the store; the retries now bind the numbers and the letters leave the list.
    for (const d of docs) {
      const got = await store.get(poison(d));
      const rev = (got.body as { _rev: string })._rev;
      expect((await store.del(`${poison(d)}?rev=${rev}`)).status).toBe(200);
    }
    const done = await retry(first.id);
    expect(done.body.results).toEqual([expect.objectContaining({ outcome: 'processed' })]);
    expect(await letterOf(docs[0]!)).toBeUndefined();
    const all = await api<{ results: ItDeadLetterRetry[] }>(admin, '/dead-letters/retry-all', {});
    expect(all.status).toBe(200);
    expect(all.body.results).toContainEqual(
      expect.objectContaining({ caseId: docs[1]!.id, outcome: 'processed' }),
    );
    expect(await letterOf(docs[1]!)).toBeUndefined();
    const numbered = await village.pullAll('cases');
    for (const d of docs) expect(numbered.get(d.id)?.officialNo).toMatch(/^SX-\d{4}-\d{6}$/);

    // A letter that is gone (or never was) is refused with its code.
    const again = await retry(first.id);
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('DEAD_LETTER_NOT_FOUND');
    expect((await retry('deadletter:nothing:case-none')).body.code).toBe('DEAD_LETTER_NOT_FOUND');
  }, 90_000);

  it('runs a retry asked for by another process (the CLI) on the workflow lease holder', async () => {
    const [pc] = await enrolDevices(hub, 'village-dq-01', 1);
    const village = await loginAs(hub, pc!, 'v.dq01');
    const store = storeAdmin(hub);
    const doc = await newCase(village);
    const poison = `/${store.db('hub')}/${encodeURIComponent(`officialno:${doc.id}`)}`;
    expect((await store.put(poison, { type: 'official_no', caseId: doc.id })).status).toBe(201);
    expect((await pushVersions(village, [[null, doc]]))[0]?.status).toBe('accepted');
    const letterOf = async () =>
      (await api<ItHealth>(admin, '/health')).body.deadLetters.find((l) => l.caseId === doc.id);
    const letter = await waitFor(letterOf, 30_000);
    const rev = ((await store.get(poison)).body as { _rev: string })._rev;
    expect((await store.del(`${poison}?rev=${rev}`)).status).toBe(200);

    // The CLI never holds the lease: it leaves a request, which the hub runs on its next tick.
    const [unknown, asked] = await Promise.all([
      hub.cli(['dead-letters', 'retry', 'deadletter:nothing:case-none']),
      hub.cli(['dead-letters', 'retry', letter.id]),
    ]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('deadletter:nothing:case-none');
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.json).toEqual({ queued: [letter.id] });
    await waitFor(async () => (await letterOf()) === undefined, 20_000);
    const numbered = await village.pullAll('cases');
    expect(numbered.get(doc.id)?.officialNo).toMatch(/^SX-\d{4}-\d{6}$/);
    const listed = (await hub.cli(['dead-letters', 'list'])).json as { deadLetters: unknown[] };
    expect(listed.deadLetters).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ id: letter.id })]),
    );
  }, 90_000);
});
