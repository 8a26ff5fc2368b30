/**
 * The pull checkpoint cannot skip a document written concurrently: parallel writers push
 * while a reader pulls in small batches from its checkpoint; the reader ends with every
 * document in its latest version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc, EnrollResponse } from '@sibantong/shared';
import { enrolDevices, loginAs, type TestClient } from './helpers/client.js';
import { newCase, pushVersions, withEvent } from './helpers/cases.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';

describe.each(storeModes())('pull checkpoint under parallel writers on the %s store', (mode) => {
  let hub: HubHandle;
  let devices: EnrollResponse[];
  beforeAll(async () => {
    hub = await startHub({ mode });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    devices = await enrolDevices(hub, 'village-dq-01', 5);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('never skips a document, whatever the interleaving', async () => {
    const writers = await Promise.all(
      ['v.dq01', 'v.dq02', 'v.xh01', 'v.xh02'].map((u, i) => loginAs(hub, devices[i]!, u)),
    );
    const reader = await loginAs(hub, devices[4]!, 'c.agent');
    const PER_WRITER = 20;
    const final = new Map<string, number>();

    const write = async (w: TestClient) => {
      for (let i = 0; i < PER_WRITER; i += 1) {
        const d = await newCase(w);
        const [r1] = await pushVersions(w, [[null, d]]);
        expect(r1?.status).toBe('accepted');
        // Every other case gets a second write, so updates race with the reader as well.
        if (i % 2 === 0) {
          const stored = (r1 as { document: CaseDoc }).document;
          const [r2] = await pushVersions(w, [
            [stored, withEvent(w, stored, 'log', { text: `第${i}条` })],
          ]);
          expect(r2?.status).toBe('accepted');
          final.set(d.id, 2);
        } else {
          final.set(d.id, 1);
        }
      }
    };

    const seen = new Map<string, number>();
    let checkpoint: { seq: string } | null = null;
    let writing = true;
    const read = async () => {
      let rounds = 0;
      for (;;) {
        const r = await reader.pull('cases', checkpoint, 3);
        expect(r.status).toBe(200);
        for (const d of r.body.documents) seen.set(d.id, d.events.length);
        checkpoint = r.body.checkpoint;
        rounds += 1;
        if (!writing && r.body.documents.length === 0) return rounds;
        if (r.body.documents.length === 0) await new Promise((res) => setTimeout(res, 10));
      }
    };
    const reading = read();
    await Promise.all(writers.map(write));
    writing = false;
    const rounds = await reading;

    expect(rounds).toBeGreaterThan(10);
    expect(final.size).toBe(4 * PER_WRITER);
    for (const [id, events] of final) expect({ id, events: seen.get(id) }).toEqual({ id, events });
  });
});
