/**
 * The embedded store answers only the hub's admin credentials, on every request, and survives
 * what anyone on the machine can send to its loopback port. Before, `GET /_all_dbs` answered
 * anonymously and one anonymous `PUT /x` killed the store process (a loop of them kept every
 * user's push and pull failing while it restarted).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { EnrollResponse } from '@sibantong/shared';
import { newCase, pushVersions } from './helpers/cases.js';
import { enrolDevices, http, loginAs, type TestClient } from './helpers/client.js';
import { startHub, type HubHandle } from './helpers/hubProcess.js';
import { storeAdmin } from './helpers/storeAdmin.js';

describe('the embedded store port', () => {
  let hub: HubHandle;
  let devices: EnrollResponse[];
  let v: TestClient;

  beforeAll(async () => {
    hub = await startHub({ mode: 'embedded' });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    devices = await enrolDevices(hub, 'village-dq-01', 1);
    v = await loginAs(hub, devices[0]!, 'v.dq01');
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('refuses anonymous and wrong-password requests, and keeps serving through a flood', async () => {
    const store = storeAdmin(hub);
    const pid = hub.storePid();
    const anon = await fetch(`${store.base}/_all_dbs`);
    expect(anon.status).toBe(401);
    expect(await anon.text()).not.toContain(hub.prefix);
    const wrong = await fetch(`${store.base}/${store.db('cases')}/_all_docs`, {
      headers: { authorization: `Basic ${Buffer.from('hub:guess').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);

    // A loop of anonymous writes, malformed paths and bodies, as another local user could send.
    const attempts: Array<Promise<number>> = [];
    for (let i = 0; i < 60; i += 1) {
      attempts.push(fetch(`${store.base}/x${i}`, { method: 'PUT' }).then((r) => r.status));
      attempts.push(
        fetch(`${store.base}/${store.db('cases')}/doc${i}`, {
          method: 'PUT',
          body: '{"a":1}',
          headers: { 'content-type': 'application/json' },
        }).then((r) => r.status),
      );
      attempts.push(
        fetch(`${store.base}/%zz/_bulk_docs`, {
          method: 'POST',
          headers: store.headers,
          body: '{{',
        }).then((r) => r.status),
      );
      attempts.push(
        fetch(`${store.base}/X${i}`, { method: 'PUT', headers: store.headers }).then(
          (r) => r.status,
        ),
      );
    }
    const statuses = await Promise.all(attempts);
    expect(statuses.every((s) => s === 401 || s === 400)).toBe(true);

    // Same process, nothing created, and users are served.
    expect(hub.storePid()).toBe(pid);
    const dbs = (await store.get('/_all_dbs')).body as string[];
    expect(dbs.some((d) => /^x\d+$/i.test(d))).toBe(false);
    const [res] = await pushVersions(v, [[null, await newCase(v)]]);
    expect(res?.status).toBe('accepted');
    expect((await http(`${hub.url}/api/health`)).status).toBe(200);
  });

  it('keeps its files and secrets readable by the hub user only', () => {
    const mode = (p: string) => statSync(path.join(hub.dataDir, p)).mode & 0o777;
    expect(mode('store')).toBe(0o700);
    expect(mode('secrets')).toBe(0o700);
    expect(mode('secrets/store-admin.json')).toBe(0o600);
    expect(mode('secrets/at-rest-keys.json')).toBe(0o600);
  });
});
