/**
 * Project changes on the live stream (sync/stream.ts, sync/changeFollower.ts) against a real
 * hub over HTTP: a log entry the centre pushes is announced at once to a client whose area
 * holds the project, and to nobody who may not see it (another town's village, a department
 * outside the team): they do not even learn that a project changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrollResponse } from '@sibantong/shared';
import {
  appendProjectEvent,
  DEMO_PROJECT_IDS,
  type ProjectDoc,
  type ProjectPushResponse,
} from '@sibantong/shared/project/index';
import {
  enrolDevices,
  http,
  loginAs,
  openStream,
  waitFor,
  type TestClient,
} from './helpers/client.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';

/** 东桥智能制造产业园一期, sited in 东桥村 of 东桥镇. */
const PARK = DEMO_PROJECT_IDS[0];

describe.each(storeModes())('projects on the live stream, %s store', (mode) => {
  let hub: HubHandle;
  const c: Record<string, TestClient> = {};

  beforeAll(async () => {
    hub = await startHub({ mode });
    const seeded = await hub.cli(['seed-demo']);
    expect(seeded.code, seeded.stderr).toBe(0);
    const names = ['c.agent', 't.dq', 'v.xh02', 'd.sj'];
    const devices: EnrollResponse[] = await enrolDevices(hub, 'village-dq-01', names.length);
    for (const [i, name] of names.entries()) c[name] = await loginAs(hub, devices[i]!, name);
  }, 180_000);

  afterAll(async () => {
    await hub?.stop();
  });

  it('announces a project change to the town whose area holds it, and not to outsiders', async () => {
    const centre = c['c.agent']!;
    const held = (await centre.pullAll<ProjectDoc>('projects')).get(PARK)!;
    expect(held).toBeDefined();
    // Who may see the park, as the pull answers it: the town lead yes, the others no.
    expect((await c['t.dq']!.pullAll<ProjectDoc>('projects')).has(PARK)).toBe(true);
    expect((await c['v.xh02']!.pullAll<ProjectDoc>('projects')).size).toBe(0);
    expect((await c['d.sj']!.pullAll<ProjectDoc>('projects')).size).toBe(0);

    const town = openStream(hub, c['t.dq']!.token);
    const village = openStream(hub, c['v.xh02']!.token);
    const department = openStream(hub, c['d.sj']!.token);
    const streams = [town, village, department];
    await Promise.all(streams.map((s) => s.ready));
    for (const s of streams) await waitFor(async () => s.events.some((e) => e.event === 'resync'));

    const next = appendProjectEvent(held, {
      projectId: PARK,
      type: 'log_entry',
      payload: { date: '2026-12-02', matterKey: null, done: '中心：与自然资源局会商用地预审' },
      actor: centre.actor,
      deviceId: centre.deviceId,
      counter: centre.nextCounter(),
      now: new Date(),
    });
    const sent = Date.now();
    const r = await http<ProjectPushResponse>(`${hub.url}/api/sync/projects/push`, {
      token: centre.token,
      body: { rows: [{ assumedMasterState: held, newDocumentState: next }] },
    });
    expect(r.body.results[0]?.status).toBe('accepted');

    const projectNews = (s: (typeof streams)[number]) =>
      s.events.filter((e) => e.event === 'change' && e.at >= sent && e.data.includes('projects'));
    const got = await waitFor(async () => projectNews(town)[0], 10_000, 20);
    expect(JSON.parse(got.data)).toEqual({ collection: 'projects' });
    // The others were judged in the same pass as the town; a moment more for the wire.
    await new Promise((res) => setTimeout(res, 500));
    expect(projectNews(village)).toEqual([]);
    expect(projectNews(department)).toEqual([]);
    // The town pulls the entry it was told of.
    const pulled = (await c['t.dq']!.pullAll<ProjectDoc>('projects')).get(PARK)!;
    expect(pulled.events.map((e) => e.id)).toContain(next.events[next.events.length - 1]!.id);
    for (const s of streams) s.close();
  }, 60_000);
});
