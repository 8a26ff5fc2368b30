/**
 * While the cockpit's aggregates are rebuilt on a store too large for the views to stand in
 * (figureSource.ts), a figure request is refused at once with a stable code and how far the
 * rebuild is — not left hanging on a view build — and answers again, the same figures, once
 * the rebuild is done; built aggregates that are behind still answer. The size limit is lowered so that a small demo history is "large".
 * A backlog that is a small share of the store (a reconnection storm's) is followed, not
 * rebuilt: the cockpit keeps answering through it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FiguresResponse, HealthResponse, ItHealth } from '@sibantong/shared';
import { chinaDate } from '@sibantong/shared';
import { enrolDevices, http, loginAs, waitFor, type TestClient } from './helpers/client.js';
import { startHub, storeModes, type HubHandle, type StoreMode } from './helpers/hubProcess.js';
import { storeAdmin } from './helpers/storeAdmin.js';
import {
  figuresState,
  rivalRebuilding,
  rivalReleasesFiguresLease,
  rivalTakesFiguresLease,
} from './helpers/figuresRival.js';

type FiguresAnswer = FiguresResponse & { code?: string; message?: string };

/** A hub with a seeded demo history of `days`, and its supervisor logged in. */
async function seededHub(
  mode: StoreMode,
  env: Record<string, string>,
  days: number,
): Promise<{ hub: HubHandle; sup: TestClient }> {
  const hub = await startHub({ mode, env });
  try {
    const seeded = await hub.cli(['seed-demo', '--history', '--days', String(days), '--seed', '5']);
    expect(seeded.code, seeded.stderr).toBe(0);
    const [device] = await enrolDevices(hub, 'village-dq-01', 1);
    return { hub, sup: await loginAs(hub, device!, 'sup') };
  } catch (err) {
    await hub.stop(); // afterAll never saw it
    throw err;
  }
}

/** The figures' query for the last `days` days, by `grain`. */
function lastDays(days: number, grain: string): string {
  const from = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
  return `from=${from}&to=${chinaDate(new Date())}&grain=${grain}`;
}

function figuresOf(hub: HubHandle, sup: TestClient, q: string) {
  return http<FiguresAnswer>(`${hub.url}/api/figures?${q}`, { token: sup.token });
}

/** The figures, once the hub answers them. */
async function answeredFigures(
  hub: HubHandle,
  sup: TestClient,
  q: string,
): Promise<FiguresResponse> {
  let body: FiguresResponse | null = null;
  await waitFor(
    async () => {
      const r = await figuresOf(hub, sup, q);
      if (r.status === 200) body = r.body;
      return r.status === 200;
    },
    60_000,
    300,
  );
  return body!;
}

describe.each(storeModes())('cockpit figures while their aggregates are rebuilt (%s)', (mode) => {
  let hub: HubHandle;
  let sup: TestClient;
  let itAdmin: TestClient;
  let q: string;

  const figures = () => figuresOf(hub, sup, q);
  const answered = () => answeredFigures(hub, sup, q);

  beforeAll(async () => {
    ({ hub, sup } = await seededHub(mode, { HUB_FIGURES_VIEWS_MAX_CASES: '10' }, 10));
    const [county] = await enrolDevices(hub, 'county-sx', 1);
    itAdmin = await loginAs(hub, county!, 'it');
    q = lastDays(30, 'day');
  }, 240_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it('says how far the rebuild is instead of waiting for a view, and answers again after', async () => {
    const before = await answered();
    expect(before.totals.received ?? 0).toBeGreaterThan(10);

    // Another hub process takes the aggregates' lease.
    await rivalTakesFiguresLease(hub);
    // Built but far behind the cases (as after a bulk load the keeper has not read yet): on a
    // store this large they still answer — as they were — rather than send the request to a
    // view that would take hours.
    const { state, put } = await figuresState(hub);
    const seqs = state.seqs as Record<string, string>;
    expect(await put({ ...state, seqs: { ...seqs, cases: '0' } })).toBeLessThan(300);
    const behind = await figures();
    expect(behind.status, JSON.stringify(behind.body)).toBe(200);
    expect({ ...behind.body, asOf: '' }).toEqual({ ...before, asOf: '' });

    // Its rebuild is a quarter done.
    await rivalRebuilding(hub, 250, 1000);
    const t0 = Date.now();
    const refused = await figures();
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('FIGURES_REBUILDING');
    expect(refused.body.message).toContain('已完成 25%');
    // IT sees the same on the hub's health.
    const health = await http<ItHealth>(`${hub.url}/api/it/health`, { token: itAdmin.token });
    expect(health.body.figures).toEqual({ state: 'rebuilding', percent: 25 });

    // The rival stops (its lease runs out): this hub rebuilds and answers as before.
    await rivalReleasesFiguresLease(hub);
    const after = await answered();
    expect({ ...after, asOf: '' }).toEqual({ ...before, asOf: '' });
    const rebuilt = (await figuresState(hub)).state;
    expect(rebuilt).toMatchObject({ ready: true });
    expect(rebuilt).not.toHaveProperty('rebuilding');
  }, 180_000);
});

describe.each(storeModes())('cockpit figures after a storm (%s)', (mode) => {
  let hub: HubHandle;
  let sup: TestClient;
  let q: string;

  const figures = () => figuresOf(hub, sup, q);
  const answered = () => answeredFigures(hub, sup, q);

  beforeAll(async () => {
    // About 2,000 cases or more, and a backlog counts as large from 50 changes
    // (HUB_FIGURES_REBUILD_BEHIND): the history stands for a county's store, and its last 35 %
    // for a storm that landed while another hub process kept the aggregates.
    const env = { HUB_FIGURES_VIEWS_MAX_CASES: '10', HUB_FIGURES_REBUILD_BEHIND: '50' };
    ({ hub, sup } = await seededHub(mode, env, 400));
    q = lastDays(400, 'month');
  }, 240_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it('follows a backlog that is a small share of the store, answering throughout', async () => {
    const admin = storeAdmin(hub);
    const feed = async (query: string) =>
      (await admin.get(`/${admin.db('cases')}/_changes?${query}`)).body as {
        results: unknown[];
        last_seq: string | number;
      };
    // The workflow has numbered the seeded history (its rewrites would move cases past any
    // position taken before).
    await waitFor(
      async () => {
        const h = await http<HealthResponse>(`${hub.url}/api/health`, { token: sup.token });
        return h.body.workflow?.backlog === 0;
      },
      120_000,
      500,
    );
    // The aggregates have caught up with it: the figures to compare with are complete.
    await waitFor(
      async () => {
        const at = ((await figuresState(hub)).state.seqs as Record<string, string> | undefined)
          ?.cases;
        return (
          at !== undefined &&
          (await feed(`since=${encodeURIComponent(at)}&limit=1`)).results.length === 0
        );
      },
      120_000,
      300,
    );
    const before = await answered();
    const total = (await feed('')).results.length;
    // The aggregates as they stood before the last 35 % of the cases' changes, as when a storm
    // landed while another hub process kept them.
    const kept = Math.floor(total * 0.65);
    expect(total - kept).toBeGreaterThan(500); // more than a page: the rebuild check runs
    await rivalTakesFiguresLease(hub);
    const { state, put } = await figuresState(hub);
    const seqs = state.seqs as Record<string, string>;
    const from = String((await feed(`limit=${kept}`)).last_seq);
    expect(await put({ ...state, seqs: { ...seqs, cases: from } })).toBeLessThan(300);

    await rivalReleasesFiguresLease(hub);
    const seen: Array<{ ready: unknown; rebuilding: boolean; figures: number }> = [];
    await waitFor(
      async () => {
        const now = (await figuresState(hub)).state;
        seen.push({
          ready: now.ready,
          rebuilding: 'rebuilding' in now,
          figures: (await figures()).status,
        });
        const at = (now.seqs as Record<string, string> | undefined)?.cases ?? '0';
        return (
          at !== from &&
          (await feed(`since=${encodeURIComponent(at)}&limit=1`)).results.length === 0
        );
      },
      90_000,
      100,
    );
    expect(seen.filter((s) => s.ready !== true || s.rebuilding)).toEqual([]);
    expect(seen.filter((s) => s.figures !== 200)).toEqual([]);
    // Nothing was pushed meanwhile: the cases' figures are as before (records such as
    // supervision may have moved with the workflow's scan).
    expect((await answered()).totals.received).toBe(before.totals.received);
  }, 180_000);
});
