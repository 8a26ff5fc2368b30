/**
 * Binds the official case number (<countyCode>-<year>-<serial>) to a case the hub has
 * received. Idempotent and never duplicating: the number is first reserved in a document
 * keyed by the case id, so a crash between reserving and writing the case reuses the same
 * number on the next attempt. A crash between counting and reserving only leaves a gap.
 */
import type { CaseDoc } from '@sibantong/shared';
import { formatOfficialNo } from '@sibantong/shared';
import { statusOf, withStoreRetry, type Store } from '../store/store.js';
import type { RefSnapshot } from '../domain/refData.js';
import { chinaDate } from './hubDates.js';
import type { CounterDoc, ReservationDoc } from './workflowDocs.js';

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

async function nextSerial(store: Store, counterId: string): Promise<number> {
  for (;;) {
    const counter = await getOrNull<CounterDoc>(store, counterId);
    const next = (counter?.last ?? 0) + 1;
    try {
      await withStoreRetry(() =>
        store.db<CounterDoc>('hub').insert({
          _id: counterId,
          ...(counter ? { _rev: counter._rev } : {}),
          type: 'counter',
          last: next,
        }),
      );
      return next;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }
}

/** Returns the official number the case must carry, or null when nothing is to be done. */
export async function officialNoFor(
  store: Store,
  ref: RefSnapshot,
  doc: CaseDoc,
): Promise<string | null> {
  if (doc.officialNo) return null;
  const reservationId = `officialno:${doc.id}`;
  const reserved = await getOrNull<ReservationDoc>(store, reservationId);
  if (reserved) return reserved.officialNo;
  const county = ref.org.countyOf(doc.originUnitId);
  const countyCode =
    county?.pointCode && /^[A-Z]{2,6}$/.test(county.pointCode) ? county.pointCode : 'XX';
  const received = doc.events.find((e) => e.type === 'receive');
  const year = Number(chinaDate(received?.hubTime ?? doc.updatedAt).slice(0, 4));
  const serial = await nextSerial(store, `counter:officialno:${countyCode}:${year}`);
  const officialNo = formatOfficialNo({ countyCode, year, serial });
  try {
    await withStoreRetry(() =>
      store
        .db<ReservationDoc>('hub')
        .insert({ _id: reservationId, type: 'official_no', caseId: doc.id, officialNo }),
    );
    return officialNo;
  } catch (err) {
    if (statusOf(err) !== 409) throw err;
    const again = await getOrNull<ReservationDoc>(store, reservationId);
    return again?.officialNo ?? null;
  }
}
