/**
 * A checkpoint the store cannot use — a sequence of another store (the embedded store's
 * integers after a county moved to CouchDB, CouchDB's opaque sequences on the embedded store)
 * or one past the store's head (a store restored from an older backup) — restarts the pull
 * from the beginning instead of answering 400 forever (issue 13).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc } from '@sibantong/shared';
import { enrolDevices, loginAs, type TestClient } from './helpers/client.js';
import { newCase, pushVersions } from './helpers/cases.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';

describe.each(storeModes())('an unusable pull checkpoint on the %s store', (mode) => {
  let hub: HubHandle;
  let village: TestClient;
  const mine: CaseDoc[] = [];

  beforeAll(async () => {
    hub = await startHub({ mode });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    const [device] = await enrolDevices(hub, 'village-dq-01', 1);
    village = await loginAs(hub, device!, 'v.dq01');
    const docs = await Promise.all([1, 2, 3].map(() => newCase(village)));
    const results = await pushVersions(
      village,
      docs.map((d) => [null, d]),
    );
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    mine.push(...docs);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const foreign =
    mode === 'couchdb'
      ? ['57', '99999999', '12-g1AAAABteJzLYWBgYMpgTmHgz8tPSTV0']
      : ['99999999', '12-g1AAAABteJzLYWBgYMpgTmHgz8tPSTV0'];

  it.each(foreign)('restarts the cases pull from the beginning for %s', async (seq) => {
    const r = await village.pull('cases', { seq }, 100);
    expect(r.status).toBe(200);
    const ids = r.body.documents.map((d) => d.id);
    for (const d of mine) expect(ids).toContain(d.id);
    // The answer's checkpoint is the store's own: pulling on from it comes to an end (a
    // restart every time would never end).
    let checkpoint = r.body.checkpoint;
    let empty = false;
    for (let i = 0; i < 5 && !empty; i += 1) {
      const next = await village.pull('cases', checkpoint, 100);
      expect(next.status).toBe(200);
      empty = next.body.documents.length === 0;
      checkpoint = next.body.checkpoint;
    }
    expect(empty).toBe(true);
  });

  it('restarts a reference pull too', async () => {
    const r = await village.pull<{ id: string }>('matters', { seq: foreign[1]! }, 1000);
    expect(r.status).toBe(200);
    expect(r.body.documents.length).toBeGreaterThan(0);
  });

  it('still refuses a checkpoint that is not a sequence at all', async () => {
    const r = await village.pull('cases', { seq: '../_all_dbs' }, 10);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'INVALID_CHECKPOINT' });
  });
});
