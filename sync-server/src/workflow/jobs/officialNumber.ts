/**
 * Job `officialNumber`: binds the official case number (<countyCode>-<year>-<serial>) to a
 * case the hub has received. Its own job, so nothing else (deadlines, the calendar) can ever
 * hold numbering up. Idempotent and never duplicating: the number is first reserved in a
 * document keyed by the case id, so a crash between reserving and writing the case reuses
 * the same number on the next attempt. A crash between counting and reserving only leaves a
 * gap.
 */
import { chinaDate, formatOfficialNo, type CaseDoc } from '@sibantong/shared';
import { statusOf, withStoreRetry, type Store } from '../../store/store.js';
import type { RefSnapshot } from '../../domain/refData.js';
import type { CounterDoc, ReservationDoc } from '../workflowDocs.js';
import { failureCollector, type CasePatch, type WorkflowJob } from './jobTypes.js';

async function getOrNull<D extends object>(
  store: Store,
  id: string,
): Promise<(D & { _rev: string }) | null> {
  try {
    return (await withStoreRetry(() => store.db<D>('hub').get(id))) as D & { _rev: string };
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

/** Takes `n` serials from the counter in one update; returns the first. */
async function takeSerials(store: Store, counterId: string, n: number): Promise<number> {
  for (;;) {
    const counter = await getOrNull<CounterDoc>(store, counterId);
    const next = (counter?.last ?? 0) + n;
    try {
      await withStoreRetry(() =>
        store.db<CounterDoc>('hub').insert({
          _id: counterId,
          ...(counter ? { _rev: counter._rev } : {}),
          type: 'counter',
          last: next,
        }),
      );
      return next - n + 1;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }
}

function numberingOf(ref: RefSnapshot, doc: CaseDoc): { countyCode: string; year: number } {
  const county = ref.org.countyOf(doc.originUnitId);
  const countyCode =
    county?.pointCode && /^[A-Z]{2,6}$/.test(county.pointCode) ? county.pointCode : 'XX';
  const received = doc.events.find((e) => e.type === 'receive');
  const year = Number(chinaDate(received?.hubTime ?? doc.updatedAt).slice(0, 4));
  return { countyCode, year };
}

/**
 * Official numbers for a batch of cases without one: reservations already made are reused
 * (read with one `_all_docs`), the others take their serials with one counter update per
 * county and year and are reserved with one `_bulk_docs`. Same guarantees as `officialNoFor`.
 * Returns caseId → number.
 */
export async function officialNosFor(
  store: Store,
  ref: RefSnapshot,
  docs: readonly CaseDoc[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const need = docs.filter((d) => !d.officialNo);
  if (need.length === 0) return out;
  const db = store.db<ReservationDoc>('hub');
  const readReservations = async (ids: string[]) => {
    const body = await withStoreRetry(() =>
      db.fetch({ keys: ids.map((id) => `officialno:${id}`) }, { include_docs: true }),
    );
    for (const row of body.rows) {
      const doc = 'doc' in row ? (row.doc as ReservationDoc | null) : null;
      if (doc && typeof doc.officialNo === 'string') out.set(doc.caseId, doc.officialNo);
    }
  };
  await readReservations(need.map((d) => d.id));
  const byCounter = new Map<string, { countyCode: string; year: number; docs: CaseDoc[] }>();
  for (const d of need) {
    if (out.has(d.id)) continue;
    const n = numberingOf(ref, d);
    const key = `counter:officialno:${n.countyCode}:${n.year}`;
    const group = byCounter.get(key) ?? { ...n, docs: [] };
    group.docs.push(d);
    byCounter.set(key, group);
  }
  const reservations: ReservationDoc[] = [];
  for (const [counterId, g] of byCounter) {
    const first = await takeSerials(store, counterId, g.docs.length);
    g.docs.forEach((d, i) => {
      reservations.push({
        _id: `officialno:${d.id}`,
        type: 'official_no',
        caseId: d.id,
        officialNo: formatOfficialNo({ countyCode: g.countyCode, year: g.year, serial: first + i }),
      });
    });
  }
  if (reservations.length === 0) return out;
  const answers = await withStoreRetry(() => db.bulk({ docs: reservations }));
  const taken: string[] = [];
  const byId = new Map(reservations.map((r) => [r._id, r]));
  for (const a of answers) {
    const r = byId.get(a.id);
    if (!r) continue;
    if (!a.error) out.set(r.caseId, r.officialNo);
    else if (a.error === 'conflict') taken.push(r.caseId);
    else throw new Error(`reservation ${a.id}: ${a.error}`);
  }
  // Reserved meanwhile by someone else: theirs holds (our serial is only a gap).
  if (taken.length > 0) await readReservations(taken);
  return out;
}

export const officialNumberJob: WorkflowJob = {
  name: 'officialNumber',
  appliesTo: (doc) => !doc.officialNo,
  async run(docs, ctx) {
    const { failures, fail } = failureCollector();
    const patches = new Map<string, CasePatch>();
    let numbers: Map<string, string>;
    try {
      numbers = await officialNosFor(ctx.store, ctx.ref, docs);
    } catch (err) {
      for (const d of docs) fail(d.id, err);
      return { failures };
    }
    for (const d of docs) {
      const officialNo = numbers.get(d.id);
      if (officialNo) patches.set(d.id, { officialNo });
      else fail(d.id, new Error('official number not reserved'));
    }
    return { patches, failures };
  },
};
