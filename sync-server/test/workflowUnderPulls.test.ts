/**
 * After a burst of pushes the workflow numbers the backlog in full batches even while devices
 * keep pulling. Pulls are mostly devices fetching what the workflow has just written; when the
 * workflow deferred to them it stayed in small bites after every burst, and a 40,000-case storm
 * still had 26,097 cases without an official number six minutes in (bench/findings.md).
 *
 * A batch writes all its cases with one `updatedAt` (processor.ts, writePatches), so the
 * cases' stored versions show the batches the hub ran.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc } from '@sibantong/shared';
import { enrolDevices, loginAs, waitFor, type TestClient } from './helpers/client.js';
import { newCase, pushVersions } from './helpers/cases.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';

/** The processor's batch while devices are pushing (processor.ts BUSY_BATCH). */
const BUSY_BATCH = 100;
const BURST = 1_000;

describe.each(storeModes())('the workflow while devices pull, on the %s store', (mode) => {
  let hub: HubHandle;
  let author: TestClient;
  let pullers: TestClient[];

  beforeAll(async () => {
    hub = await startHub({ mode });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    const devices = await enrolDevices(hub, 'village-dq-01', 4);
    author = await loginAs(hub, devices[0]!, 'v.dq01');
    pullers = await Promise.all(devices.slice(1).map((d) => loginAs(hub, d, 'v.dq01')));
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('numbers a burst in full batches while three devices pull without pause', async () => {
    let pulling = true;
    let pulls = 0;
    const loops = pullers.map(async (p) => {
      while (pulling) {
        const r = await p.pull('cases', null, 100);
        expect(r.status).toBe(200);
        pulls += 1;
      }
    });
    const docs = await Promise.all(Array.from({ length: BURST }, () => newCase(author)));
    const chunks = Array.from({ length: BURST / 100 }, (_, i) =>
      docs.slice(i * 100, i * 100 + 100),
    );
    const answers = await Promise.all(
      chunks.map((c) =>
        pushVersions(
          author,
          c.map((d) => [null, d] as [null, CaseDoc]),
        ),
      ),
    );
    expect(answers.flat().filter((a) => a.status !== 'accepted')).toEqual([]);

    const ids = new Set(docs.map((d) => d.id));
    const numbered = await waitFor(
      async () => {
        const held = [...(await author.pullAll('cases')).values()].filter((d) => ids.has(d.id));
        return held.length === BURST && held.every((d) => d.officialNo) ? held : null;
      },
      120_000,
      500,
    );
    pulling = false;
    await Promise.all(loops);
    expect(pulls).toBeGreaterThan(30); // the devices really were pulling throughout

    const batches = new Map<string, number>();
    for (const d of numbered) batches.set(d.updatedAt, (batches.get(d.updatedAt) ?? 0) + 1);
    const largest = Math.max(...batches.values());
    // Once the pushes had ended, the backlog went in full batches, not in bites of 100.
    expect(largest).toBeGreaterThan(BUSY_BATCH);
    expect(new Set(numbered.map((d) => d.officialNo)).size).toBe(BURST);
  });
});
