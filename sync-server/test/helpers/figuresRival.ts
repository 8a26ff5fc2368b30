/**
 * Another hub process, played by the test: it takes the cockpit aggregates' lease
 * (`lease:figures`) so that the hub under test stops keeping them, and says where its own
 * rebuild is, as the real keeper writes it in `figures:aggregates` (figureAggregates.ts).
 */
import { hostname } from 'node:os';
import type { HubHandle } from './hubProcess.js';
import { storeAdmin } from './storeAdmin.js';

/** This process's own pid: the hub does not take the lease over as from a dead holder. */
const RIVAL = `${hostname()}:${process.pid}:rival`;

async function holdLease(hub: HubHandle, expiresAt: Date): Promise<void> {
  const admin = storeAdmin(hub);
  const path = `/${admin.db('hub')}/lease:figures`;
  for (;;) {
    const now = (await admin.get(path)).body as { _rev?: string };
    const lease = { ...now, type: 'lease', holder: RIVAL, expiresAt: expiresAt.toISOString() };
    if ((await admin.put(path, lease)).status < 300) return;
  }
}

/** The rival takes the lease; the hub notices at its next renewal (every 5 s) and stops writing. */
export async function rivalTakesFiguresLease(hub: HubHandle): Promise<void> {
  await holdLease(hub, new Date(Date.now() + 3_600_000));
  await new Promise((r) => setTimeout(r, 7_000));
}

/** The rival stops: its lease runs out, and the hub takes it again at its next try. */
export async function rivalReleasesFiguresLease(hub: HubHandle): Promise<void> {
  await holdLease(hub, new Date(0));
}

/** The aggregates' state document, and a change to it (answers the store's status). */
export async function figuresState(hub: HubHandle): Promise<{
  state: Record<string, unknown>;
  put: (next: Record<string, unknown>) => Promise<number>;
}> {
  const admin = storeAdmin(hub);
  const path = `/${admin.db('hub')}/figures:aggregates`;
  const state = (await admin.get(path)).body as Record<string, unknown>;
  return { state, put: async (next) => (await admin.put(path, next)).status };
}

/** The rival's rebuild has read `read` of about `total` changes: the aggregates are not built. */
export async function rivalRebuilding(hub: HubHandle, read: number, total: number): Promise<void> {
  const { state, put } = await figuresState(hub);
  const rebuilding = { read, total, startedAt: new Date().toISOString() };
  const status = await put({ ...state, ready: false, seqs: {}, rebuilding });
  if (status >= 300) throw new Error(`figures:aggregates not written (${status})`);
}
