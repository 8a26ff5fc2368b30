/**
 * Two hub processes in front of one CouchDB (docs/it-guide.md「两个枢纽进程共用一个 CouchDB」):
 * the second one has the same database prefix and a copy of the first one's at-rest key file.
 * PCs on either hub push at once; every case gets exactly one official number, none twice
 * (only the workflow lease holder numbers), and concurrent events through both hubs on the
 * same case are all kept; each hub serves what the other accepted, to the same session.
 *
 * Runs in the CouchDB run of the suites (scripts/test-couchdb.sh sets COUCHDB_URL).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc } from '@sibantong/shared';
import { enrolDevices, http, loginAs, waitFor, type TestClient } from './helpers/client.js';
import { storeAdmin } from './helpers/storeAdmin.js';
import { newCase, pushVersions, withEvent } from './helpers/cases.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';

describe.skipIf(!storeModes().includes('couchdb'))('two hubs on one CouchDB', () => {
  let a: HubHandle;
  let b: HubHandle;
  let onA: TestClient;
  let onB: TestClient;
  let dirB = '';

  beforeAll(async () => {
    a = await startHub({ mode: 'couchdb' });
    expect((await a.cli(['seed-demo'])).code).toBe(0);
    // The second hub: same CouchDB and prefix, its own data folder holding a copy of the key file.
    dirB = mkdtempSync(path.join(tmpdir(), 'sbt-hub-b-'));
    mkdirSync(path.join(dirB, 'secrets'), { mode: 0o700 });
    copyFileSync(
      path.join(a.dataDir, 'secrets', 'at-rest-keys.json'),
      path.join(dirB, 'secrets', 'at-rest-keys.json'),
    );
    b = await startHub({
      mode: 'couchdb',
      env: { HUB_DB_PREFIX: a.prefix, HUB_DATA_DIR: dirB },
    });
    const [d1] = await enrolDevices(a, 'village-dq-01', 1);
    const [d2] = await enrolDevices(b, 'village-dq-01', 1);
    onA = await loginAs(a, d1!, 'v.dq01');
    onB = await loginAs(b, d2!, 'v.dq01');
  }, 180_000);

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    rmSync(dirB, { recursive: true, force: true });
  });

  it('numbers every case once, whichever hub received it', async () => {
    const fromA = await Promise.all([1, 2, 3, 4].map(() => newCase(onA)));
    const fromB = await Promise.all([1, 2, 3, 4].map(() => newCase(onB)));
    const [ra, rb] = await Promise.all([
      pushVersions(
        onA,
        fromA.map((d) => [null, d]),
      ),
      pushVersions(
        onB,
        fromB.map((d) => [null, d]),
      ),
    ]);
    expect([...ra, ...rb].every((r) => r.status === 'accepted')).toBe(true);
    const ids = [...fromA, ...fromB].map((d) => d.id);
    // Read through hub B what both received.
    const numbered = await waitFor(async () => {
      const all = await onB.pullAll('cases');
      const got = ids.map((id) => all.get(id));
      return got.every((d) => d?.officialNo) ? (got as CaseDoc[]) : null;
    }, 60_000);
    const numbers = numbered.map((d) => d.officialNo);
    expect(new Set(numbers).size).toBe(ids.length);
  }, 120_000);

  it('keeps concurrent events sent through both hubs to the same case', async () => {
    const base = await newCase(onA);
    expect((await pushVersions(onA, [[null, base]]))[0]!.status).toBe('accepted');
    const viaA = withEvent(onA, base, 'log', { text: '经一号枢纽记录' });
    const viaB = withEvent(onB, base, 'log', { text: '经二号枢纽记录' });
    await Promise.all([pushVersions(onA, [[base, viaA]]), pushVersions(onB, [[base, viaB]])]);
    const wanted = [...viaA.events, ...viaB.events].map((e) => e.id);
    for (const client of [onA, onB]) {
      const d = await waitFor(async () => {
        const got = (await client.pullAll('cases')).get(base.id);
        return got && wanted.every((id) => got.events.some((e) => e.id === id)) ? got : null;
      }, 30_000);
      expect(d.events.length).toBeGreaterThanOrEqual(3);
    }
  }, 120_000);

  it("lets one hub at a time keep the cockpit's aggregates, which both answer from", async () => {
    const admin = storeAdmin(a);
    const state = await waitFor(async () => {
      const r = await admin.get(`/${admin.db('hub')}/figures:aggregates`);
      return (r.body as { ready?: boolean }).ready ? r.body : null;
    }, 60_000);
    expect(state).toMatchObject({ type: 'figure_aggregates' });
    const lease = (await admin.get(`/${admin.db('hub')}/lease:figures`)).body as {
      holder: string;
      expiresAt: string;
    };
    // `<host>:<pid>:<token>`: one of the two hub processes, and it keeps renewing.
    expect([a.pid, b.pid]).toContain(Number(lease.holder.split(':')[1]));
    expect(Date.parse(lease.expiresAt)).toBeGreaterThan(Date.now());
    const [d1, d2] = await enrolDevices(a, 'village-dq-02', 2);
    const [supA, supB] = await Promise.all([loginAs(a, d1!, 'sup'), loginAs(b, d2!, 'sup')]);
    const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
    const q = `from=${day(Date.now() - 365 * 86_400_000)}&to=${day(Date.now())}&grain=month`;
    const [ra, rb] = await Promise.all([
      http<{ totals: Record<string, number> }>(`${a.url}/api/figures?${q}`, { token: supA.token }),
      http<{ totals: Record<string, number> }>(`${b.url}/api/figures?${q}`, { token: supB.token }),
    ]);
    expect(ra.status).toBe(200);
    expect(ra.body.totals.received).toBeGreaterThan(0);
    expect(rb.body.totals).toEqual(ra.body.totals);
  }, 90_000);
});
