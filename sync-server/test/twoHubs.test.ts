/**
 * Two hub processes in front of one CouchDB (docs/it-guide.md「两个枢纽进程共用一个 CouchDB」):
 * the second one has the same database prefix and a copy of the first one's at-rest key file.
 * PCs on either hub push at once; every case gets exactly one official number, none twice
 * (only the workflow lease holder numbers), and concurrent events through both hubs on the
 * same case are all kept; each hub serves what the other accepted, to the same session. A
 * device whose pulls alternate between the hubs (one address, round-robin) continues from the
 * other hub's checkpoint through the scope index, not a scan of the store, and misses nothing.
 *
 * Runs in the CouchDB run of the suites (scripts/test-couchdb.sh sets COUCHDB_URL).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc, PullCheckpoint, PullResponse } from '@sibantong/shared';
import { enrolDevices, http, loginAs, waitFor, type TestClient } from './helpers/client.js';
import { storeAdmin } from './helpers/storeAdmin.js';
import { newCase, pushVersions, withEvent } from './helpers/cases.js';
import { PLACE_MARGIN_MS } from '../src/sync/foreignCheckpoint.js';
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

  /** One pull of `client`'s cases through `hub`, whichever hub issued the checkpoint. */
  const pullVia = async (hub: HubHandle, client: TestClient, checkpoint: PullCheckpoint | null) => {
    const q = new URLSearchParams({ limit: '200' });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    const r = await http<PullResponse<CaseDoc>>(`${hub.url}/api/sync/cases/pull?${q}`, {
      token: client.token,
    });
    expect(r.status).toBe(200);
    return { ...r.body, path: r.headers.get('x-pull-path') };
  };

  /**
   * The checkpoint as the other hub would have spelled it. Two hubs' followers read the feed in
   * different pages and mostly name the same point with different strings (in the storm of
   * bench/findings.md nearly every round-robin pull brought one), but on a quiet test store
   * they often agree. CouchDB ignores the number before the dash, so this names the same
   * point with a string neither hub's index has handed out.
   */
  const spelledElsewhere = (cp: PullCheckpoint | null): PullCheckpoint | null => {
    if (!cp) return null;
    const dash = cp.seq.indexOf('-');
    return { ...cp, seq: `${Number(cp.seq.slice(0, dash)) + 100_000}${cp.seq.slice(dash)}` };
  };

  /** Pulls through `hub` from `checkpoint` until a page comes back short; the ids and checkpoint. */
  const pullToEnd = async (hub: HubHandle, client: TestClient, from: PullCheckpoint | null) => {
    const ids = new Set<string>();
    const paths: Array<string | null> = [];
    let checkpoint = from;
    for (let i = 0; i < 100; i += 1) {
      const page = await pullVia(hub, client, checkpoint);
      paths.push(page.path);
      for (const d of page.documents) ids.add(d.id);
      checkpoint = page.checkpoint;
      if (page.documents.length < 200) break;
    }
    return { ids, paths, checkpoint };
  };

  it("gives a case written after another hub's checkpoint, even one this hub has already read", async () => {
    const start = await pullToEnd(a, onA, null);
    // Written after the device's checkpoint from hub A, and read by both hubs' followers (a
    // pull from hub B's own beginning shows it) before the device pulls from hub B.
    const late = await newCase(onB);
    expect((await pushVersions(onB, [[null, late]]))[0]!.status).toBe('accepted');
    await waitFor(async () => ((await pullToEnd(b, onB, null)).ids.has(late.id) ? true : null));
    await waitFor(async () => ((await pullToEnd(a, onA, null)).ids.has(late.id) ? true : null));
    // Past the margin kept for a cluster's lagging shard copies: hub B's index has held the
    // case for longer than that, so only the read after the checkpoint can bring it back.
    await new Promise((r) => setTimeout(r, PLACE_MARGIN_MS + 500));
    const onHubB = await pullVia(b, onA, spelledElsewhere(start.checkpoint));
    expect(onHubB.path).toBe('placed');
    expect(onHubB.documents.map((d) => d.id)).toContain(late.id);
  }, 60_000);

  it('lets a device pull round-robin from both hubs while both take cases: every case arrives, none by scanning', async () => {
    const { checkpoint: from } = await pullToEnd(a, onA, null);
    const written: string[] = [];
    const writers = [onA, onB].map(async (writer) => {
      for (let round = 0; round < 8; round += 1) {
        const docs = await Promise.all([1, 2, 3, 4, 5].map(() => newCase(writer)));
        const results = await pushVersions(
          writer,
          docs.map((d) => [null, d]),
        );
        expect(results.every((r) => r.status === 'accepted')).toBe(true);
        written.push(...docs.map((d) => d.id));
      }
    });
    let writing = true;
    const done = Promise.all(writers).finally(() => (writing = false));
    const got = new Set<string>();
    const paths: Array<string | null> = [];
    let checkpoint = from;
    let turn = 0;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const stillWriting = writing;
      const page = await pullVia(turn % 2 === 0 ? b : a, onA, spelledElsewhere(checkpoint));
      turn += 1;
      paths.push(page.path);
      for (const d of page.documents) got.add(d.id);
      checkpoint = page.checkpoint;
      if (!stillWriting && written.every((id) => got.has(id))) break;
    }
    await done;
    expect(written.length).toBe(80);
    expect(written.filter((id) => !got.has(id))).toEqual([]);
    expect(paths.length).toBeGreaterThan(2);
    expect(paths.filter((p) => p !== 'placed')).toEqual([]);
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
