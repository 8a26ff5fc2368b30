/**
 * The cases behind a number, from the hub's own index (figureIndex.ts): its day documents hold
 * each case's rows of that day — the rows the `drill` view emits — so a drill-down lists
 * exactly what the aggregates counted, and needs no view, which after a bulk load of a million
 * cases takes hours to build (docs/cockpit.md).
 */
import type { CaseFact } from '@sibantong/shared';
import type { Store } from '../store/store.js';
import { readAggregates, readIndex } from './figureAggregates.js';
import { dayIndexId, decodeRows, DUE_SHARD_IDS, dueIndexId, type IndexDoc } from './figureIndex.js';

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
  // The scope's day documents of the range, in one read of their ids' range.
  const prefix = dayIndexId(scopeKey, '');
  const docs = await readAggregates<IndexDoc>(store, `${prefix}${from}`, `${prefix}${to}`);
  for (const doc of docs) {
    const day = doc._id.slice(prefix.length);
    for (const [id, entry] of Object.entries(doc.entries)) {
      if (!entry.includes(fact)) continue; // most entries of a day lack the fact: skip decoding
      decodeRows(entry, (dim, f, value) => {
        if (f === fact && wanted.has(`${dim}\t${value}`)) out.set(id, day);
      });
    }
  }
  return out;
}
