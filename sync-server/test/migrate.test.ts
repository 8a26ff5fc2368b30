/**
 * Moving a county from the embedded store to CouchDB (`migrate --to`): a first copy while the
 * hub serves and a PC keeps pushing, the final copy with the hub stopped verifies every
 * document at its revision, and the hub started on CouchDB serves the same PC — same device,
 * same session, no re-enrolment — whose old pull checkpoint (an embedded-store sequence)
 * restarts its pull, and whose work done offline during the move is accepted.
 *
 * Runs in the CouchDB run of the suites (scripts/test-couchdb.sh sets COUCHDB_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc } from '@sibantong/shared';
import { enrolDevices, loginAs, type TestClient } from './helpers/client.js';
import { newCase, pushVersions, withEvent } from './helpers/cases.js';
import { COUCHDB_URL, startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function couch(pathname: string, method = 'GET'): Promise<unknown> {
  const base = new URL(COUCHDB_URL);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`;
  base.username = '';
  base.password = '';
  const res = await fetch(new URL(pathname, base), { method, headers: { authorization: auth } });
  return res.json();
}

describe.skipIf(!storeModes().includes('couchdb'))(
  'migrate from the embedded store to CouchDB',
  () => {
    let hub: HubHandle;
    let village: TestClient;
    const cases: CaseDoc[] = [];
    let oldCheckpoint: { seq: string };

    beforeAll(async () => {
      hub = await startHub({ mode: 'embedded' });
      expect((await hub.cli(['seed-demo'])).code).toBe(0);
      const [device] = await enrolDevices(hub, 'village-dq-01', 1);
      village = await loginAs(hub, device!, 'v.dq01');
      const docs = await Promise.all([1, 2, 3].map(() => newCase(village)));
      const results = await pushVersions(
        village,
        docs.map((d) => [null, d]),
      );
      expect(results.every((r) => r.status === 'accepted')).toBe(true);
      cases.push(...docs);
      const pulled = await village.pull('cases', null, 100);
      expect(pulled.status, JSON.stringify(pulled.body)).toBe(200);
      oldCheckpoint = pulled.body.checkpoint;
      expect(oldCheckpoint.seq).toMatch(/^[0-9]+$/);
    }, 120_000);

    afterAll(async () => {
      await hub?.stop();
      const dbs = (await couch('/_all_dbs')) as string[];
      for (const db of dbs.filter((d) => d.startsWith(hub.prefix))) await couch(`/${db}`, 'DELETE');
    });

    it('copies while the hub serves and a PC pushes', async () => {
      const pushing = (async () => {
        const more = await newCase(village);
        const r = await pushVersions(village, [[null, more]]);
        expect(r[0]!.status).toBe('accepted');
        cases.push(more);
      })();
      const r = await hub.cli(['migrate', '--to', COUCHDB_URL]);
      await pushing;
      expect(r.code, r.stderr).toBe(0);
      expect((r.json as { running: boolean }).running).toBe(true);
    }, 120_000);

    it('verifies every document at its revision once the hub is stopped', async () => {
      const storePid = hub.storePid();
      await hub.kill9();
      for (let i = 0; i < 100; i += 1) {
        try {
          process.kill(storePid, 0);
          await sleep(100);
        } catch {
          break;
        }
      }
      const r = await hub.cli(['migrate', '--to', COUCHDB_URL]);
      expect(r.code, r.stderr).toBe(0);
      const out = r.json as {
        verified: boolean;
        databases: Array<{ db: string; docs: number; mismatched: number }>;
      };
      expect(out.verified).toBe(true);
      const casesDb = out.databases.find((d) => d.db === 'cases');
      expect(casesDb?.docs).toBeGreaterThanOrEqual(4);
      expect(out.databases.map((d) => d.db)).toEqual(
        expect.arrayContaining(['auth', 'hub', 'cases', 'org_units', 'matters']),
      );
    }, 120_000);

    it('serves the same PC from CouchDB: no re-enrolment, old checkpoint, offline work accepted', async () => {
      await hub.restart({ COUCHDB_URL });
      // The session from before the move still works (token key and devices moved with the data).
      const r = await village.pull('cases', oldCheckpoint, 100);
      expect(r.status).toBe(200);
      const ids = r.body.documents.map((d) => d.id);
      for (const c of cases) expect(ids).toContain(c.id);
      // Work done on the PC while the hub was being moved, on top of what it last had.
      const offline = withEvent(village, cases[0]!, 'log', { text: '迁移期间离线记录的工作日志' });
      const pushed = await pushVersions(village, [[cases[0]!, offline]]);
      expect(pushed[0]!.status).toBe('accepted');
      // A fresh login on the same device (no new enrolment code).
      await village.login();
      const after = await village.pullAll('cases');
      expect(after.get(cases[0]!.id)!.events.map((e) => e.id)).toEqual(
        expect.arrayContaining(offline.events.map((e) => e.id)),
      );
      // It is CouchDB that holds it now.
      const info = (await couch(`/${hub.prefix}cases`)) as { doc_count: number };
      expect(info.doc_count).toBeGreaterThanOrEqual(cases.length);
    }, 120_000);
  },
);
