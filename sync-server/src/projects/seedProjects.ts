/**
 * The three demo projects of `sibantong-hub seed-demo`, built by the shared domain code
 * (buildDemoProjects writes them as events, through the same rules as a push) and stored if
 * missing. Users are looked up on the hub, so the events carry the ids the hub knows.
 */
import { chinaDate, DEMO_USERS, type Actor } from '@sibantong/shared';
import { buildDemoProjects, type ProjectDoc } from '@sibantong/shared/project/index';
import { getUser } from '../auth/users.js';
import { hubNowIso } from '../clock.js';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import { projectsDb } from './projectsDb.js';

/** Stores the demo projects that are not there yet; returns how many were written. */
export async function seedDemoProjects(store: Store): Promise<number> {
  const actors = new Map<string, Actor>();
  // Looked up at once: one store round trip each, in any order.
  const found = await Promise.all(DEMO_USERS.map((u) => getUser(store, u.username)));
  for (const [i, u] of DEMO_USERS.entries()) {
    const user = found[i];
    if (user) {
      actors.set(u.username, {
        userId: user.userId,
        name: user.name,
        role: user.role,
        orgUnitId: user.orgUnitId,
      });
    }
  }
  const now = hubNowIso();
  const docs = buildDemoProjects(chinaDate(now), (username) => {
    const actor = actors.get(username);
    if (!actor) throw new Error(`demo user ${username} is missing on this hub`);
    return actor;
  });
  const { db } = await projectsDb<ProjectDoc & { _id: string }>(store);
  let written = 0;
  for (const doc of docs) {
    // Received by the hub now: every event carries hub time, as a pushed one would.
    const stored = {
      ...doc,
      events: doc.events.map((e) => ({ ...e, hubTime: now })),
      updatedAt: now,
      _id: doc.id,
    };
    try {
      await withStoreRetry(() => db.insert(stored));
      written += 1;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }
  return written;
}
