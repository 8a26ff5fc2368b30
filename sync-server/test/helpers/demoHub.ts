import { expect } from 'vitest';
import { enrolDevices, loginAs, type TestClient } from './client.js';
import { startHub, type HubHandle, type StoreMode } from './hubProcess.js';

/**
 * A hub process on `mode` with the demo county seeded through its own CLI, and the named demo
 * users signed in, each on a PC of its own (a user of another unit gets a PC of that unit).
 */
export async function demoHubWithUsers<const Names extends readonly string[]>(
  mode: StoreMode,
  usernames: Names,
): Promise<{ hub: HubHandle; users: { [K in keyof Names]: TestClient } }> {
  const hub = await startHub({ mode });
  expect((await hub.cli(['seed-demo'])).code).toBe(0);
  const devices = await enrolDevices(hub, 'village-dq-01', usernames.length);
  const users = await Promise.all(usernames.map((name, i) => loginAs(hub, devices[i]!, name)));
  return { hub, users: users as { [K in keyof Names]: TestClient } };
}
