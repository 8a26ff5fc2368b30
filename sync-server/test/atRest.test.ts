/**
 * Citizens' identity data is sealed at rest in the hub's store (atRest/): what an operator or a
 * thief of the store files reads holds no ID number, phone or applicant name, and no usable
 * token-signing key; devices still pull the plain case. A store written by an older hub
 * (plaintext) is sealed at the next start with nothing lost, and `keys rotate` re-seals every
 * document under a new key next to a running hub.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc, EnrollResponse } from '@sibantong/shared';
import { newCase, pushVersions, withEvent } from './helpers/cases.js';
import { enrolDevices, loginAs, waitFor, type TestClient } from './helpers/client.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';
import { storeAdmin, type StoreAdmin } from './helpers/storeAdmin.js';

type Raw = Record<string, unknown> & { _id: string; _rev: string };

describe.each(storeModes())("citizens' data at rest on the %s store", (mode) => {
  let hub: HubHandle;
  let devices: EnrollResponse[];
  let v: TestClient;
  let store: StoreAdmin;
  let pushed: CaseDoc;

  const rawCase = async (id: string) =>
    (await store.get(`/${store.db('cases')}/${encodeURIComponent(id)}`)) as {
      status: number;
      body: Raw;
      text: string;
    };
  const pulled = async (id: string) =>
    waitFor(async () => (await v.pullAll('cases')).get(id) ?? null);
  const keyFile = () =>
    JSON.parse(readFileSync(path.join(hub.dataDir, 'secrets', 'at-rest-keys.json'), 'utf8')) as {
      current: string;
      keys: Record<string, string>;
    };

  beforeAll(async () => {
    hub = await startHub({ mode });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    devices = await enrolDevices(hub, 'village-dq-01', 2);
    v = await loginAs(hub, devices[0]!, 'v.dq01');
    store = storeAdmin(hub);
    pushed = await newCase(v, { applicantName: '欧阳明月' });
    const [res] = await pushVersions(v, [[null, pushed]]);
    expect(res?.status).toBe('accepted');
    // The workflow binds the official number first: later raw writes then meet no race.
    await waitFor(async () => (await v.pullAll('cases')).get(pushed.id)?.officialNo ?? null);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('stores no ID number, phone or applicant name in clear, and devices pull them whole', async () => {
    const raw = await rawCase(pushed.id);
    expect(raw.status).toBe(200);
    expect(raw.text).not.toContain(pushed.applicant.idNumber);
    expect(raw.text).not.toContain(pushed.applicant.phone);
    expect(raw.text).not.toContain('欧阳明月');
    expect(raw.body.applicant).toBeNull();
    expect(raw.body.sealed).toMatchObject({ v: 1, kid: 'k1' });
    // The keyed digest searches use stays clear; the masked form too.
    expect(raw.body.applicantIdDigest).toBe(pushed.applicantIdDigest);

    const doc = await pulled(pushed.id);
    expect(doc.applicant).toEqual(pushed.applicant);
    expect(doc.applicantName).toBe('欧阳明月');
    expect(doc.events[0]!.payload).toEqual(pushed.events[0]!.payload);

    const token = await store.get(`/${store.db('hub')}/config:token-key`);
    expect((token.body as { secret: unknown }).secret).toBeNull();
    expect((token.body as { sealed?: unknown }).sealed).toBeTruthy();
  });

  it('seals a store an older hub wrote in plaintext at the next start, losing nothing', async () => {
    const plain = await pulled(pushed.id);
    const raw = (await rawCase(pushed.id)).body;
    // What the old code stored: the same document with the identity in clear, no `sealed`.
    const { sealed: _s, ...rest } = raw;
    const legacy = {
      ...rest,
      applicant: plain.applicant,
      applicantName: plain.applicantName,
      events: plain.events,
    };
    const written = await store.put(
      `/${store.db('cases')}/${encodeURIComponent(pushed.id)}`,
      legacy,
    );
    expect(written.status).toBe(201);
    const legacyRev = (written.body as { rev: string }).rev;
    const tokenDoc = (await store.get(`/${store.db('hub')}/config:token-key`)).body as Raw;
    const { sealed: _t, ...tokenRest } = tokenDoc;
    await store.put(`/${store.db('hub')}/config:token-key`, {
      ...tokenRest,
      secret: 'legacy-plaintext-token-key-0123456789abcdef',
    });
    const marker = (await store.get(`/${store.db('hub')}/config:at-rest`)).body as Raw;
    await store.del(`/${store.db('hub')}/config:at-rest?rev=${marker._rev}`);
    expect((await rawCase(pushed.id)).text).toContain(pushed.applicant.idNumber);

    await hub.kill9();
    await hub.restart();
    store = storeAdmin(hub);

    const after = await rawCase(pushed.id);
    expect(after.text).not.toContain(pushed.applicant.idNumber);
    expect(after.text).not.toContain('欧阳明月');
    const token = await store.get(`/${store.db('hub')}/config:token-key`);
    expect(token.text).not.toContain('legacy-plaintext');
    // The plaintext revision itself is compacted away, not only superseded.
    await waitFor(async () => {
      const old = await store.get(
        `/${store.db('cases')}/${encodeURIComponent(pushed.id)}?rev=${legacyRev}`,
      );
      return !old.text.includes(pushed.applicant.idNumber);
    }, 30_000);

    // Nothing lost: the case pulls whole, and the (re-sealed) token key signs new sessions.
    v = await loginAs(hub, devices[0]!, 'v.dq01');
    const doc = await pulled(pushed.id);
    expect(doc.applicant).toEqual(pushed.applicant);
    expect(doc.events.map((e) => e.id)).toEqual(plain.events.map((e) => e.id));
    expect(doc.events[0]!.payload).toEqual(pushed.events[0]!.payload);
  });

  it('rotates the data key next to a running hub and re-seals everything under it', async () => {
    const before = keyFile();
    const out = await hub.cli(['keys', 'rotate']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json).toMatchObject({ current: 'k2', remaining: 0 });
    const after = keyFile();
    expect(after.current).toBe('k2');
    expect(Object.keys(after.keys)).toEqual(['k2']);
    expect(after.keys.k2).not.toBe(before.keys.k1);
    expect(((await rawCase(pushed.id)).body.sealed as { kid: string }).kid).toBe('k2');

    // The running hub reads and writes under the new key: a new event on the case goes through.
    const current = await pulled(pushed.id);
    const next = withEvent(v, current, 'log', { text: '轮换密钥后的工作日志' });
    const [res] = await pushVersions(v, [[current, next]]);
    expect(res?.status).toBe('accepted');
    const doc = await waitFor(async () => {
      const d = (await v.pullAll('cases')).get(pushed.id);
      return d && d.events.length === next.events.length ? d : null;
    });
    expect(doc.applicant).toEqual(pushed.applicant);
    expect(((await rawCase(pushed.id)).body.sealed as { kid: string }).kid).toBe('k2');
  });

  it('refuses to start with a key file that does not fit the store, and starts again with the right one', async () => {
    const file = path.join(hub.dataDir, 'secrets', 'at-rest-keys.json');
    const right = readFileSync(file, 'utf8');
    const current = keyFile().current;
    // What a second hub in front of the same CouchDB would have if it generated its own file.
    writeFileSync(
      file,
      JSON.stringify({ current, keys: { [current]: randomBytes(32).toString('base64url') } }),
    );
    await hub.kill9();
    await expect(hub.restart()).rejects.toThrow(/AT_REST_KEY_MISMATCH/);
    writeFileSync(file, right);
    await hub.restart();
    v = await loginAs(hub, devices[0]!, 'v.dq01');
    expect((await pulled(pushed.id)).applicant).toEqual(pushed.applicant);
  });
});
