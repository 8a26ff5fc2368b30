/**
 * What each simulated desktop is waiting on, for a run that stops making progress: the push
 * handler's rounds, every hub call of the sync code (with its path) and every login of the
 * test's session stand-in, each with its age, plus the replication's last errors. Filled by
 * the wrappers that convergence.test.ts mocks around the product's modules (the code itself is
 * unchanged); read by `replicationDiag` in world.ts.
 */
interface Pending {
  what: string;
  since: number;
}

const pending = new Map<string, Set<Pending>>();
const errors = new Map<string, { at: number; message: string }[]>();
const finished = new Map<string, { what: string; at: number; ms: number; ok: boolean }[]>();

export function track<T>(device: string, what: string, work: Promise<T>): Promise<T> {
  const entry: Pending = { what, since: Date.now() };
  const set = pending.get(device) ?? new Set();
  pending.set(device, set);
  set.add(entry);
  const done = (ok: boolean) => {
    set.delete(entry);
    const list = finished.get(device) ?? [];
    list.push({ what, at: Date.now(), ms: Date.now() - entry.since, ok });
    finished.set(device, list.slice(-6));
  };
  work.then(
    () => done(true),
    () => done(false),
  );
  return work;
}

export function noteError(device: string, message: string): void {
  const list = errors.get(device) ?? [];
  list.push({ at: Date.now(), message: message.slice(0, 300) });
  errors.set(device, list.slice(-4));
}

/** The device's open waits, last finished calls and last errors, ages in ms. */
export function inflightOf(device: string): unknown {
  const now = Date.now();
  return {
    waiting: [...(pending.get(device) ?? [])].map((p) => `${p.what} (${now - p.since} ms)`),
    lastDone: (finished.get(device) ?? []).map(
      (f) => `${f.what} ${f.ok ? 'ok' : 'failed'} in ${f.ms} ms, ${now - f.at} ms ago`,
    ),
    lastErrors: (errors.get(device) ?? []).map((e) => `${now - e.at} ms ago: ${e.message}`),
  };
}
