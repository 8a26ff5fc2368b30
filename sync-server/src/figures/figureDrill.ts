/**
 * The cases behind a number, from the hub's own index (figureIndex.ts): its day documents hold
 * each case's rows of that day — the rows the `drill` view emits — so a drill-down lists
 * exactly what the aggregates counted, and needs no view, which after a bulk load of a million
 * cases takes hours to build (docs/cockpit.md).
 */
import type { CaseFact } from '@sibantong/shared';
import type { Store } from '../store/store.js';
import { readIndex } from './figureAggregates.js';
import { dayIndexId, decodeRows, DUE_SHARD_IDS, dueIndexId } from './figureIndex.js';

/** The days from..to, both included (YYYY-MM-DD). */
function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Case id → the day it counts on: for `fact` in scope `scopeKey` under any of the (dimension,
 * value) pairs, on the days from..to; for 'openDue', the running cases promised before `to`
 * (their promised date).
 */
export async function drillFromIndex(
  store: Store,
  scopeKey: string,
  fact: CaseFact,
  keys: ReadonlyArray<readonly [string, string]>,
  from: string,
  to: string,
): Promise<Map<string, string>> {
  const wanted = new Set(keys.map(([dim, value]) => `${dim}\t${value}`));
  const out = new Map<string, string>();
  if (fact === 'openDue') {
    const shards = await readIndex(
      store,
      DUE_SHARD_IDS.map((s) => dueIndexId(scopeKey, s)),
    );
    for (const doc of shards.values()) {
      for (const [id, entry] of Object.entries(doc.entries)) {
        // A running case's promised-date rows: [dimension, promised date, value].
        decodeRows(entry, (dim, due, value) => {
          if (due < to && wanted.has(`${dim}\t${value}`)) out.set(id, due);
        });
      }
    }
    return out;
  }
  const days = daysOf(from, to);
  const docs = await readIndex(
    store,
    days.map((d) => dayIndexId(scopeKey, d)),
  );
  for (const day of days) {
    const doc = docs.get(dayIndexId(scopeKey, day));
    if (!doc) continue;
    for (const [id, entry] of Object.entries(doc.entries)) {
      if (!entry.includes(fact)) continue; // most entries of a day lack the fact: skip decoding
      decodeRows(entry, (dim, f, value) => {
        if (f === fact && wanted.has(`${dim}\t${value}`)) out.set(id, day);
      });
    }
  }
  return out;
}
