/**
 * The county key of the applicant ID digest (shared/identity/idDigest.ts): handed to signed-in
 * devices only, the same to every device and across restarts, and sealed in the store. A new
 * case's digest is accepted keyed with it, or unkeyed (a device that has not fetched the key
 * yet), and refused otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idDigest, isCountyKey, type CountyKey, type EnrollResponse } from '@sibantong/shared';
import { randomBytes } from 'node:crypto';
import { newCase, pushVersions, validIdNumber } from './helpers/cases.js';
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

  it('accepts a new case digested with the county key or unkeyed, and no other digest', async () => {
    const v = await loginAs(hub, devices[0]!, 'v.dq01');
    const key = (await http<CountyKey>(`${hub.url}/api/county-key`, { token: v.token })).body;
    const withDigest = async (digest: (id: string) => Promise<string>) => {
      const doc = await newCase(v);
      return { ...doc, applicantIdDigest: await digest(doc.applicant.idNumber) };
    };
    const keyed = await withDigest((id) => idDigest(id, key));
    const unkeyed = await withDigest((id) => idDigest(id));
    const otherCounty = { keyId: 'c1', key: randomBytes(32).toString('base64url') };
    const wrongKey = await withDigest((id) => idDigest(id, otherCounty));
    const otherId = await withDigest(() => idDigest(validIdNumber(998), key));

    const results = await pushVersions(v, [
      [null, keyed],
      [null, unkeyed],
      [null, wrongKey],
      [null, otherId],
    ]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'refused', 'refused']);
    expect(results.slice(2).map((r) => (r as { code: string }).code)).toEqual([
      'APPLICANT_DIGEST_MISMATCH',
      'APPLICANT_DIGEST_MISMATCH',
    ]);
    // The hub keeps the digest as pushed: a keyed one is never swapped for the guessable one.
    const stored = await v.pullAll('cases');
    expect(stored.get(keyed.id)?.applicantIdDigest).toBe(keyed.applicantIdDigest);
    expect(stored.get(keyed.id)?.applicantIdDigest).not.toBe(
      await idDigest(keyed.applicant.idNumber),
    );
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
