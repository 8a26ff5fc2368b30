/**
 * A hub restart provisions idempotently without touching the store: on CouchDB every
 * `_security` PUT raises `update_seq` without a row in `_changes`, so re-writing it at each
 * start left the pull's freshness wait chasing a sequence the feed never reached (every pull
 * page waited its whole budget; bench/findings.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';
import { storeAdmin } from './helpers/storeAdmin.js';
import { FIGURE_VIEWS, FIGURES_DDOC } from '../src/figures/figureViews.js';
import { INDEXES } from '../src/store/provision.js';

// Not `hub`: the workflow renews its lease there at any time, a real write.
const DBS = ['cases', 'auth', 'tickets', 'supervision', 'refusals'];

for (const mode of storeModes()) {
  describe(`provisioning at restart (${mode})`, () => {
    let hub: HubHandle;
    beforeAll(async () => {
      hub = await startHub({ mode });
    });
    afterAll(async () => {
      await hub?.stop();
    });

    it('finds its Mango indexes defined at a restart, so it does not wait for them to catch up', async () => {
      // provision skips createIndex for an index whose design document names the same fields:
      // PouchDB's createIndex brings an existing index up to date before it returns (minutes
      // after a bulk load of a million cases). This is the shape it reads, on either store.
      const store = storeAdmin(hub);
      for (const idx of INDEXES) {
        const ddoc = await store.get(`/${store.db(idx.db)}/_design/idx-${idx.name}`);
        expect(ddoc.status, `${idx.db} ${idx.name}`).toBe(200);
        const views = (ddoc.body as { views: Record<string, { map: { fields: object } }> }).views;
        expect(Object.keys(views[idx.name]!.map.fields)).toEqual(idx.fields);
      }
    });

    it('keeps every database admin-only and leaves its update_seq alone', async () => {
      // The embedded store may come back on another port: look it up on each call.
      const seqs = async () =>
        Promise.all(
          DBS.map(async (d) => {
            const store = storeAdmin(hub);
            const info = await store.get(`/${store.db(d)}`);
            expect(info.status).toBe(200);
            return String((info.body as { update_seq: unknown }).update_seq);
          }),
        );
      // Every write of a first start is done when the hub listens: the cockpit's views too
      // (installed in the background, they raised `update_seq` after a restart; CI, stop 25).
      for (const d of Object.keys(FIGURE_VIEWS)) {
        const store = storeAdmin(hub);
        const figures = await store.get(`/${store.db(d)}/${FIGURES_DDOC}`);
        expect(figures.status).toBe(200);
        // CouchDB's background indexer leaves the views alone: the hub answers from its own
        // aggregates and index (figureViews.ts).
        const body = figures.body as { autoupdate?: boolean; views: Record<string, unknown> };
        expect(body.autoupdate).toBe(false);
        expect(Object.keys(body.views).sort()).toEqual(
          Object.keys(FIGURE_VIEWS[d as keyof typeof FIGURE_VIEWS]!).sort(),
        );
      }
      const before = await seqs();
      await hub.kill9();
      await hub.restart();
      const after = await seqs();
      expect(after).toEqual(before);
      const store = storeAdmin(hub);
      for (const d of DBS) {
        const sec = await store.get(`/${store.db(d)}/_security`);
        expect(sec.body).toEqual({
          admins: { names: [], roles: ['_admin'] },
          members: { names: [], roles: ['_admin'] },
        });
      }
    });

    it('replaces the design document of an earlier hub (kept warm by CouchDB) at a restart', async () => {
      let store = storeAdmin(hub);
      const path = `/${store.db('cases')}/${FIGURES_DDOC}`;
      const now = (await store.get(path)).body as { _rev: string; version: number };
      const earlier = {
        _rev: now._rev,
        language: 'javascript',
        version: now.version,
        views: FIGURE_VIEWS.cases,
      };
      expect((await store.put(path, earlier)).status).toBe(201);
      await hub.kill9();
      await hub.restart();
      store = storeAdmin(hub);
      const after = (await store.get(path)).body as {
        autoupdate?: boolean;
        views: Record<string, unknown>;
      };
      expect(after.autoupdate).toBe(false);
      expect(after.views).toEqual(FIGURE_VIEWS.cases);
    });
  });
}
