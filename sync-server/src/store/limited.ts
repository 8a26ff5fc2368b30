/**
 * Runs `tasks` at most `n` at a time, results in task order. The store answers many small
 * requests best a few at once: one after another the caller only waits on round trips, all at
 * once they queue behind each other (and behind devices' requests) in the store.
 */
export async function limited<T>(n: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, worker));
  return out;
}
