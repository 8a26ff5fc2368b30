/**
 * The cases behind a number, from the hub's own index (figureIndex.ts): its segments hold each
 * case's rows of a day — the rows the `drill` view emits — so a drill-down lists exactly what
 * the aggregates counted, and needs no view, which after a bulk load of a million cases takes
 * hours to build (docs/cockpit.md).
 */
import type { CaseFact } from '@sibantong/shared';
import type { Store } from '../store/store.js';
import { readAggregates } from './figureStore.js';
import { fold } from './figureSegments.js';
import { daySegmentPrefix, decodeRows, dueSegmentPrefix, type SegmentDoc } from './figureIndex.js';

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
    const prefix = dueSegmentPrefix(scopeKey);
    const segments = await readAggregates<SegmentDoc>(store, prefix, `${prefix}\uffff`);
    for (const [id, entry] of fold(segments)) {
      // A running case's promised-date rows: [dimension, promised date, value].
      decodeRows(entry, (dim, due, value) => {
        if (due < to && wanted.has(`${dim}\t${value}`)) out.set(id, due);
      });
    }
    return out;
  }
  // The scope's segments of the range, a month per read: a year of a county's days is a
  // hundred megabytes of JSON, which read at once the hub holds whole. Not several at a time:
  // the hub, not the store, is the bottleneck here (parsing and collecting: bench/findings.md,
  // fourteenth stop).
  const prefix = daySegmentPrefix(scopeKey);
  for (const [a, b] of monthSpans(from, to)) {
    const docs = await readAggregates<SegmentDoc>(store, `${prefix}${a}`, `${prefix}${b}:\uffff`);
    // In id order: a day's segments together, oldest first.
    const byDay = new Map<string, SegmentDoc[]>();
    for (const doc of docs) {
      const day = doc._id.slice(prefix.length, prefix.length + 10);
      const list = byDay.get(day);
      if (list) list.push(doc);
      else byDay.set(day, [doc]);
    }
    for (const [day, segments] of byDay) {
      for (const [id, entry] of fold(segments)) {
        if (!entry.includes(fact)) continue; // most entries of a day lack the fact: skip decoding
        decodeRows(entry, (dim, f, value) => {
          if (f === fact && wanted.has(`${dim}\t${value}`)) out.set(id, day);
        });
      }
    }
  }
  return out;
}

/** from..to (ISO days, inclusive) cut at month boundaries. */
export function monthSpans(from: string, to: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const ym = `${year}-${String(month).padStart(2, '0')}`;
    if (ym > last) break;
    const a = `${ym}-01` < from ? from : `${ym}-01`;
    // Day ids sort as strings: '-31' closes any month.
    const b = `${ym}-31` > to ? to : `${ym}-31`;
    if (a <= b) out.push([a, b]);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return out;
}
