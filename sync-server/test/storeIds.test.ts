/**
 * One id rule for every document the hub touches (store/docIds.ts): ids taken from routes or
 * pushed rows never reach the store as a path. Before, nano sent ids starting with `_design`
 * unencoded, so `POST /api/admin/cases/_design%2F..%2F..%2F_all_dbs/move` read another store
 * endpoint (answering 409 where a missing case answers 404: an oracle for any database or
 * document), and an id ending in `_changes?feed=continuous` left a feed open on the store with
 * the hub's request hanging on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCase } from './helpers/cases.js';
import { http, type TestClient } from './helpers/client.js';
import { storeModes, type HubHandle } from './helpers/hubProcess.js';
import { demoHubWithUsers } from './helpers/demoHub.js';
import { storeAdmin } from './helpers/storeAdmin.js';

describe.each(storeModes())('document ids on the %s store', (mode) => {
  let hub: HubHandle;
  let v: TestClient;
  let sup: TestClient;
  let agent: TestClient;

  beforeAll(async () => {
    ({
      hub,
      users: [v, sup, agent],
    } = await demoHubWithUsers(mode, ['v.dq01', 'sup', 'c.agent'] as const));
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const probes = (prefix: string) => [
    '_design/../../_all_dbs',
    `_design/../../${prefix}hub/config:token-key`,
    `_design/../${prefix}cases/_changes?feed=continuous&heartbeat=1000`,
    '_local/x',
    '_all_docs',
  ];

  it('answers a privileged route probing the store as "not found", at once', async () => {
    for (const id of probes(hub.prefix)) {
      const started = Date.now();
      const moved = await http<{ code: string }>(
        `${hub.url}/api/admin/cases/${encodeURIComponent(id)}/move`,
        { token: agent.token, body: { toUnitId: 'village-dq-02', reason: '探测' } },
      );
      expect(moved.status, id).toBe(404);
      expect(moved.body.code).toBe('CASE_NOT_FOUND');
      const step = await http<{ code: string }>(
        `${hub.url}/api/tickets/${encodeURIComponent(id)}/steps`,
        { token: sup.token, body: { status: 'verifying', note: '探测' } },
      );
      expect(step.status, id).toBe(404);
      expect(step.body.code).toBe('TICKET_NOT_FOUND');
      // A continuous feed held the old hub's request open until the client gave up.
      expect(Date.now() - started).toBeLessThan(5000);
    }
    // The hub keeps serving.
    expect((await http(`${hub.url}/api/health`)).status).toBe(200);
  });

  it('refuses a pushed case whose id is outside the rule and stores nothing', async () => {
    const fresh = await newCase(v);
    const forged = { ...fresh, id: '_design/forged' };
    const res = await v.push([{ assumedMasterState: null, newDocumentState: forged }]);
    expect(res.status).toBe(200);
    expect(res.body.results?.[0]?.status ?? 'refused').not.toBe('accepted');
    const store = storeAdmin(hub);
    const stored = await store.get(`/${store.db('cases')}/_design%2Fforged`);
    expect(stored.status).toBe(404);
  });
});
