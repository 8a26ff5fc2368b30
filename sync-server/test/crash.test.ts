/**
 * Crashes in the middle of a push lose nothing and duplicate nothing once clients retry:
 * the hub killed with SIGKILL (then restarted), and separately the embedded store killed
 * with SIGKILL (the hub restarts it and rides over the gap).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc, EnrollResponse, PushResponse } from '@sibantong/shared';
import {
  enrolDevices,
  http,
  loginAs,
  openStream,
  waitFor,
  type TestClient,
} from './helpers/client.js';
import { newCase } from './helpers/cases.js';
import { startHub, type HubHandle } from './helpers/hubProcess.js';

const ROWS = 100;

describe('crash in the middle of a push (embedded store)', () => {
  let hub: HubHandle;
  let devices: EnrollResponse[];
  let v: TestClient;
  let centre: TestClient;

  beforeAll(async () => {
    hub = await startHub({ mode: 'embedded' });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    devices = await enrolDevices(hub, 'village-dq-01', 2);
    v = await loginAs(hub, devices[0]!, 'v.dq01');
    centre = await loginAs(hub, devices[1]!, 'c.agent');
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const pushAll = (docs: CaseDoc[]) =>
    http<PushResponse>(`${hub.url}/api/sync/cases/push`, {
      token: v.token,
      body: { rows: docs.map((d) => ({ assumedMasterState: null, newDocumentState: d })) },
    });

  /** Resolves as soon as the hub has stored the first row of the push (its change is streamed). */
  async function firstRowStored(): Promise<() => Promise<void>> {
    const stream = openStream(hub, centre.token);
    await stream.ready;
    await waitFor(async () => stream.events.some((e) => e.event === 'resync'), 5000, 10);
    return async () => {
      await waitFor(async () => stream.events.some((e) => e.event === 'change'), 10_000, 5);
      stream.close();
    };
  }

  /** Exactly once: every case present, each event once, official numbers all different. */
  async function expectExactlyOnce(docs: CaseDoc[]): Promise<void> {
    const ids = new Set(docs.map((d) => d.id));
    const stored = await waitFor(async () => {
      const all = [...(await centre.pullAll('cases')).values()].filter((d) => ids.has(d.id));
      return all.length === docs.length && all.every((d) => d.officialNo) ? all : null;
    }, 30_000);
    for (const d of stored) {
      expect(d.events).toHaveLength(1);
      expect(d.events[0]?.hubTime).toBeTruthy();
    }
    expect(new Set(stored.map((d) => d.officialNo)).size).toBe(docs.length);
  }

  it('loses and duplicates nothing when the hub is killed mid-push', async () => {
    const docs = await Promise.all(Array.from({ length: ROWS }, () => newCase(v)));
    const started = await firstRowStored();
    const inFlight = pushAll(docs).catch((err: unknown) => ({ status: 0, body: String(err) }));
    await started();
    await hub.kill9();
    const cut = await inFlight;
    expect(cut.status).toBe(0); // the client saw the connection drop
    const partial =
      (await waitFor(async () => {
        await hub.restart();
        return true;
      }, 60_000)) &&
      [...(await centre.pullAll('cases')).keys()].filter((id) => docs.some((d) => d.id === id))
        .length;
    expect(partial).toBeLessThan(ROWS);

    // The client retries the very same push: rows already stored are recognised.
    const retry = await pushAll(docs);
    expect(retry.status).toBe(200);
    expect(retry.body.results.map((r) => r.status)).toEqual(docs.map(() => 'accepted'));
    await expectExactlyOnce(docs);
  });

  it('loses and duplicates nothing when the embedded store is killed mid-push', async () => {
    const docs = await Promise.all(Array.from({ length: ROWS }, () => newCase(v)));
    const storePid = hub.storePid();
    const started = await firstRowStored();
    const inFlight = pushAll(docs);
    await started();
    process.kill(storePid, 'SIGKILL');
    const first = await inFlight;
    // The hub restarts its store and retries the store calls itself; at worst it answers
    // 503 STORE_UNAVAILABLE and the client retries.
    if (first.status !== 200) {
      expect(first.status).toBe(503);
      expect((first.body as unknown as { code: string }).code).toBe('STORE_UNAVAILABLE');
    }
    const retry = await pushAll(docs);
    expect(retry.status).toBe(200);
    expect(retry.body.results.every((r) => r.status === 'accepted')).toBe(true);
    await expectExactlyOnce(docs);
    expect(hub.storePid()).not.toBe(storePid);
    // Store details are for IT and the supervisor (the public answer is liveness only).
    const sup = await loginAs(hub, devices[0]!, 'sup');
    const health = await http<{ store: { reachable: boolean } }>(`${hub.url}/api/health`, {
      token: sup.token,
    });
    expect(health.body.store.reachable).toBe(true);
  });
});
