/**
 * Re-seals stored documents the codecs call stale: plaintext written by a hub before at-rest
 * encryption (the upgrade), or sealed with a key older than the current one (after
 * `keys rotate`). Reads `_all_docs` page by page and rewrites only stale documents, each with
 * its revision: a document a running hub rewrote meanwhile (a conflict) was sealed with the
 * current key by that write, and is checked again on the next pass. Nothing is deleted.
 *
 * A marker document (`config:at-rest`) records the key every document is sealed with once a
 * pass finds nothing stale, so a hub start does not read the whole store every time.
 */
import type { GuardedStore } from '../store/guardedStore.js';
import { statusOf, withStoreRetry, type DbKey } from '../store/store.js';
import type { Keyring } from './keyring.js';

export const AT_REST_MARKER = 'config:at-rest';
const PAGE = 500;
const PASSES = 5;

export interface ResealReport {
  scanned: number;
  resealed: number;
  /** Stale documents left (conflicts that kept losing): 0 when done. */
  remaining: number;
}

interface Row {
  id: string;
  doc?: Record<string, unknown> | null;
}

async function pass(store: GuardedStore, key: DbKey): Promise<ResealReport> {
  const codec = store.codec(key);
  const report: ResealReport = { scanned: 0, resealed: 0, remaining: 0 };
  if (!codec) return report;
  const raw = store.rawDb<Record<string, unknown>>(key);
  let after: string | null = null;
  for (;;) {
    const res = (await withStoreRetry(() =>
      raw.list({
        include_docs: true,
        limit: PAGE,
        ...(after === null ? {} : { startkey: after, skip: 1 }),
      }),
    )) as unknown as { rows: Row[] };
    const stale: Array<Record<string, unknown>> = [];
    for (const r of res.rows) {
      report.scanned += 1;
      if (r.id.startsWith('_design/') || !r.doc) continue;
      if (codec.stale(r.doc)) stale.push(codec.encode(codec.decode(r.doc)));
    }
    if (stale.length > 0) {
      const answers = await withStoreRetry(() => raw.bulk({ docs: stale }));
      for (const a of answers) {
        if (a.error) report.remaining += 1;
        else report.resealed += 1;
      }
    }
    if (res.rows.length < PAGE) break;
    after = res.rows[res.rows.length - 1]!.id;
  }
  return report;
}

/**
 * Passes over every sealed database until one pass finds nothing stale (or PASSES are spent);
 * `remaining` counts what the last pass still had to rewrite or could not.
 */
export async function resealAll(store: GuardedStore): Promise<ResealReport> {
  const total: ResealReport = { scanned: 0, resealed: 0, remaining: 0 };
  for (let i = 0; i < PASSES; i += 1) {
    let touched = 0;
    for (const key of ['cases', 'hub'] as const) {
      const r = await pass(store, key);
      total.scanned += r.scanned;
      total.resealed += r.resealed;
      touched += r.resealed + r.remaining;
    }
    total.remaining = touched;
    if (touched === 0) break;
  }
  return total;
}

async function readMarker(store: GuardedStore): Promise<{ _rev?: string; kid?: unknown } | null> {
  try {
    return await withStoreRetry(() => store.rawDb<{ kid?: unknown }>('hub').get(AT_REST_MARKER));
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
}

/**
 * At every start (provision): re-seals unless the marker says every document is sealed with
 * the current key already.
 */
export async function resealIfNeeded(
  store: GuardedStore,
  keyring: Keyring,
): Promise<ResealReport | null> {
  const kid = keyring.current().kid;
  const marker = await readMarker(store);
  if (marker?.kid === kid) return null;
  const report = await resealAll(store);
  if (report.remaining === 0) await writeMarker(store, kid);
  return report;
}

/** Records that every document is sealed with `kid` (a lost race is harmless: checked again). */
export async function writeMarker(store: GuardedStore, kid: string): Promise<void> {
  const marker = await readMarker(store);
  try {
    await withStoreRetry(() =>
      store.rawDb('hub').insert({
        _id: AT_REST_MARKER,
        ...(marker?._rev ? { _rev: marker._rev } : {}),
        type: 'at_rest_marker',
        kid,
      }),
    );
  } catch (err) {
    if (statusOf(err) !== 409) throw err;
  }
}
