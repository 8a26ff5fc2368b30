/**
 * The account lockout, kept on the user document so it holds across restarts and across hub
 * processes sharing one CouchDB.
 *
 * Every password attempt is counted *before* the password is checked (`reserveAttempt`): the
 * counter goes up with the document's revision, and a conflict (another process counted at
 * the same moment) re-reads and counts again, so no attempt is ever lost. The attempt that
 * reaches the limit sets the lock at once; only a right password clears the counter and that
 * pending lock (`clearFailures`). A hub that dies mid-check leaves the attempt counted and, at
 * worst, the account locked for LOCK_MS — never an uncounted guess.
 */
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import { userKey, type UserDoc } from './authDocs.js';
import { LOCK_MS, MAX_FAILURES_BEFORE_LOCK } from './throttle.js';

export type AttemptGrant =
  | { kind: 'granted'; user: UserDoc }
  | { kind: 'locked'; lockedUntil: string }
  | { kind: 'missing' };

/** Conflicts between hub processes resolve in a few rounds; the bound only stops a livelock. */
const MAX_ROUNDS = 50;

async function readUser(store: Store, username: string): Promise<UserDoc | null> {
  try {
    return await withStoreRetry(() => store.db<UserDoc>('auth').get(userKey(username)));
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

/** Writes `next`; false when another writer changed the document first (409). */
async function writeIfUnchanged(store: Store, next: UserDoc): Promise<boolean> {
  try {
    await withStoreRetry(() => store.db<UserDoc>('auth').insert(next));
    return true;
  } catch (err) {
    if (statusOf(err) === 409) return false;
    throw err;
  }
}

const pause = (round: number) =>
  new Promise((r) => setTimeout(r, Math.min(50, 2 + round * 3) * Math.random()));

export async function reserveAttempt(
  store: Store,
  username: string,
  nowMs: number,
): Promise<AttemptGrant> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const user = await readUser(store, username);
    if (!user) return { kind: 'missing' };
    if (user.lockedUntil && Date.parse(user.lockedUntil) > nowMs) {
      return { kind: 'locked', lockedUntil: user.lockedUntil };
    }
    const expired = user.lockedUntil !== null && user.lockedUntil !== undefined;
    const failed = (expired ? 0 : user.failedLogins) + 1;
    const next: UserDoc = {
      ...user,
      failedLogins: failed,
      lockedUntil:
        failed >= MAX_FAILURES_BEFORE_LOCK ? new Date(nowMs + LOCK_MS).toISOString() : null,
    };
    if (await writeIfUnchanged(store, next)) return { kind: 'granted', user: next };
    await pause(round);
  }
  throw new Error(`account counter of ${username} kept conflicting`);
}

/** A right password: the counter and any lock set by a pending attempt are cleared. */
export async function clearFailures(store: Store, username: string): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const user = await readUser(store, username);
    if (!user || (user.failedLogins === 0 && !user.lockedUntil)) return;
    if (await writeIfUnchanged(store, { ...user, failedLogins: 0, lockedUntil: null })) return;
    await pause(round);
  }
  throw new Error(`account counter of ${username} kept conflicting`);
}
