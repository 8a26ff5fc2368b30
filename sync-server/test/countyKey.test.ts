/**
 * The county key of the applicant ID digest (shared/identity/idDigest.ts): handed to signed-in
 * devices only, the same to every device and across restarts, and sealed in the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idDigest, isCountyKey, type CountyKey, type EnrollResponse } from '@sibantong/shared';
import { validIdNumber } from './helpers/cases.js';
import { enrolDevices, http, loginAs } from './helpers/client.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';
import { storeAdmin } from './helpers/storeAdmin.js';

describe.each(storeModes())('the county key on the %s store', (mode) => {
  let hub: HubHandle;
  let devices: EnrollResponse[];

  beforeAll(async () => {
    hub = await startHub({ mode });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    devices = await enrolDevices(hub, 'village-dq-01', 2);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('is given to signed-in devices only, the same to each, and kept across restarts', async () => {
    const anonymous = await http(`${hub.url}/api/county-key`);
    expect(anonymous.status).toBe(401);

    const v = await loginAs(hub, devices[0]!, 'v.dq01');
    const t = await loginAs(hub, devices[1]!, 't.dq');
    const a = await http<CountyKey>(`${hub.url}/api/county-key`, { token: v.token });
    const b = await http<CountyKey>(`${hub.url}/api/county-key`, { token: t.token });
    expect(a.status).toBe(200);
    expect(isCountyKey(a.body)).toBe(true);
    expect(a.headers.get('cache-control')).toBe('no-store');
    expect(b.body).toEqual(a.body);

    // Keyed digests: the same ID gives the same digest at every point of the county, and not
    // the unkeyed hash that the masked form let anyone recompute.
    const id = validIdNumber(77);
    expect(await idDigest(id, a.body)).toBe(await idDigest(id, b.body));
    expect(await idDigest(id, a.body)).not.toBe(await idDigest(id));

    const store = storeAdmin(hub);
    const raw = await store.get(`/${store.db('hub')}/config:county-key`);
    expect(raw.status).toBe(200);
    expect(raw.text).not.toContain(a.body.key);

    await hub.kill9();
    await hub.restart();
    const again = await loginAs(hub, devices[0]!, 'v.dq01');
    const c = await http<CountyKey>(`${hub.url}/api/county-key`, { token: again.token });
    expect(c.body).toEqual(a.body);
  });
});
