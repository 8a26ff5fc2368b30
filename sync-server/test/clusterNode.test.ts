/**
 * A CouchDB cluster node crashes under the hub and comes back: what a cluster changes and a
 * single node cannot show. The hub talks to node 1; node 2 (holding a copy of every shard,
 * n=3) is killed with SIGKILL while two PCs of a village push and pull, then started again.
 * Writes still reach the write quorum, the feed is read from the remaining copies, and at the
 * end each PC holds every case once, each with its own official number.
 *
 * Runs only on the 3-node cluster of scripts/test-couchdb.sh, which gives the cluster's folder
 * (COUCHDB_CLUSTER_DIR) and the tool (COUCHDB_TOOL) to stop and start a node; anywhere else it
 * says it was skipped.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc, EnrollResponse } from '@sibantong/shared';
import { enrolDevices, loginAs, waitFor, type TestClient } from './helpers/client.js';
import { newCase, pushVersions } from './helpers/cases.js';
import { COUCHDB_URL, startHub, type HubHandle } from './helpers/hubProcess.js';

const run = promisify(execFile);
const CLUSTER_DIR = process.env.COUCHDB_CLUSTER_DIR ?? '';
const TOOL = process.env.COUCHDB_TOOL ?? '';
const onCluster = Boolean(CLUSTER_DIR && TOOL && COUCHDB_URL);

const node = (action: 'kill-node' | 'start-node', k: number) =>
  run(TOOL, [action, String(k), '--dir', CLUSTER_DIR], { timeout: 180_000 });

describe.skipIf(!onCluster)('a CouchDB cluster node crashes and comes back', () => {
  let hub: HubHandle;
  let devices: EnrollResponse[];
  let pc1: TestClient;
  let pc2: TestClient;
  let nodeDown = false;

  beforeAll(async () => {
    hub = await startHub({ mode: 'couchdb' });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    devices = await enrolDevices(hub, 'village-dq-01', 2);
    pc1 = await loginAs(hub, devices[0]!, 'v.dq01');
    pc2 = await loginAs(hub, devices[1]!, 'v.dq01');
  }, 180_000);
  afterAll(async () => {
    if (nodeDown) await node('start-node', 2).catch(() => undefined);
    await hub?.stop();
  }, 240_000);

  const pushNew = async (n: number): Promise<CaseDoc[]> => {
    const docs = await Promise.all(Array.from({ length: n }, () => newCase(pc1)));
    const results = await pushVersions(
      pc1,
      docs.map((d) => [null, d]),
    );
    expect(results.map((r) => r.status)).toEqual(docs.map(() => 'accepted'));
    return docs;
  };

  /** What the other PC holds once it has every case of `ids`, each numbered by the workflow. */
  const pc2Holds = (ids: string[]) =>
    waitFor(
      async () => {
        const all = await pc2.pullAll<CaseDoc>('cases');
        return ids.every((id) => all.get(id)?.officialNo) ? all : null;
      },
      90_000,
      500,
    );

  it('keeps accepting, numbering and delivering every case, once, while node 2 is down and after it returns', async () => {
    const before = await pushNew(8);
    await pc2Holds(before.map((d) => d.id));

    await node('kill-node', 2);
    nodeDown = true;
    const during = await pushNew(8);
    const heldDuring = await pc2Holds([...before, ...during].map((d) => d.id));
    expect(heldDuring.size).toBeGreaterThanOrEqual(16);

    await node('start-node', 2);
    nodeDown = false;
    const after = await pushNew(8);
    const ids = [...before, ...during, ...after].map((d) => d.id);
    const held = await pc2Holds(ids);

    // Every case once (a map by id), each with its own official number.
    const numbers = ids.map((id) => held.get(id)!.officialNo);
    expect(new Set(numbers).size).toBe(ids.length);
    // The pushing PC reads the same from scratch.
    const fromScratch = await pc1.pullAll<CaseDoc>('cases');
    expect(ids.every((id) => fromScratch.get(id)?.officialNo === held.get(id)!.officialNo)).toBe(
      true,
    );
  });
});
