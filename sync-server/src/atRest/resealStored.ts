/**
 * Re-seals stored documents the codecs call stale: plaintext written by a hub before at-rest
 * encryption (the upgrade), or sealed with a key older than the current one (after
 * `keys rotate`). Reads `_all_docs` page by page and rewrites only stale documents, each with
 * its revision: a document a running hub rewrote meanwhile (a conflict) was sealed with the
 * current key by that write, and is checked again on the next pass. Nothing is deleted.
 *
 * A marker document (`config:at-rest`) records the key every document is sealed with (and what
 * is sealed, SEALING_SCHEME) once a pass finds nothing stale, so a hub start does not read the
 * whole store every time. Every database with a codec is passed over (GuardedStore
 * .sealedDatabases), the projects database included.
 */
import { createHmac } from 'node:crypto';
import type { GuardedStore } from '../store/guardedStore.js';
import { statusOf, withStoreRetry } from '../store/store.js';
import type { DocCodec } from './docCodecs.js';
import type { Keyring } from './keyring.js';

export const AT_REST_MARKER = 'config:at-rest';
/**
 * What the codecs seal, as a number: raised when a codec seals more than before (2: the
 * projects database, and the delivery, rating and withdrawal text of cases; 3: the text staff
 * write in case events), so the first start of the newer hub re-reads a store an older one
 * marked as sealed.
 */
export const SEALING_SCHEME = 3;
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

async function pass(store: GuardedStore, name: string, codec: DocCodec): Promise<ResealReport> {
  const report: ResealReport = { scanned: 0, resealed: 0, remaining: 0 };
  const raw = store.server().use<Record<string, unknown>>(name);
  const page = codec.pageSize ?? PAGE;
  let after: string | null = null;
  for (;;) {
    let res: { rows: Row[] };
    try {
      res = (await withStoreRetry(() =>
        raw.list({
          include_docs: true,
          limit: page,
          ...(after === null ? {} : { startkey: after, skip: 1 }),
        }),
      )) as unknown as { rows: Row[] };
    } catch (err) {
      // A feature's database (projects) is created on its first use: none yet, nothing to seal.
      if (statusOf(err) === 404) return report;
      throw err;
    }
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
    if (res.rows.length < page) break;
    after = res.rows[res.rows.length - 1]!.id;
  }
  return report;
}

/**
 * The store keeps the bodies of earlier revisions until it compacts: after re-sealing, the
 * plaintext (or the old key's sealing) is still in the files. Asks for a compaction of the
 * sealed databases (CouchDB and PouchDB Server both answer `POST /<db>/_compact` and run it
 * in the background). Best effort: a failure is logged, the IT guide says how to compact.
 */
export async function compactSealed(store: GuardedStore): Promise<void> {
  for (const { name } of store.sealedDatabases()) {
    try {
      await store.server().request({
        db: name,
        path: '_compact',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: {},
      });
    } catch (err) {
      if (statusOf(err) !== 404) console.error(`compaction of ${name} not started`, err);
    }
  }
}

/**
 * Passes over every sealed database until one pass finds nothing stale (or PASSES are spent);
 * `remaining` counts what the last pass still had to rewrite or could not.
 */
export async function resealAll(store: GuardedStore): Promise<ResealReport> {
  const total: ResealReport = { scanned: 0, resealed: 0, remaining: 0 };
  for (let i = 0; i < PASSES; i += 1) {
    let touched = 0;
    for (const { name, codec } of store.sealedDatabases()) {
      const r = await pass(store, name, codec);
      total.scanned += r.scanned;
      total.resealed += r.resealed;
      touched += r.resealed + r.remaining;
    }
    total.remaining = touched;
    if (touched === 0) break;
  }
  return total;
}

interface Marker {
  _rev?: string;
  kid?: unknown;
  /** SEALING_SCHEME of the hub that wrote it (absent: 1). */
  scheme?: unknown;
  /** Proves which key `kid` names, without revealing it (see `keyCheck`). */
  check?: unknown;
}

/** A short HMAC of a constant: tells two different keys with the same id apart. */
export function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('sibantong-at-rest-key-check').digest('hex').slice(0, 32);
}

/**
 * Refuses to run with a key file that does not fit the store: a second hub in front of the
 * same CouchDB started with its own, newly generated file (it would seal with a key the
 * others cannot open), or a hub that missed a `keys rotate` done on another one.
 */
function checkKeyFits(keyring: Keyring, marker: Marker | null): void {
  if (!marker || typeof marker.kid !== 'string') return;
  const key = keyring.key(marker.kid);
  if (!key) {
    throw new Error(
      `AT_REST_KEY_MISSING：存储中的数据已用数据密钥 ${marker.kid} 加密，本枢纽的 secrets/at-rest-keys.json 中没有该密钥；请从使用同一存储的其他枢纽复制该文件后再启动`,
    );
  }
  if (typeof marker.check === 'string' && marker.check !== keyCheck(key)) {
    throw new Error(
      `AT_REST_KEY_MISMATCH：本枢纽的数据密钥 ${marker.kid} 与存储中的数据不符（可能是另一台枢纽生成的密钥文件）；请从使用同一存储的其他枢纽复制 secrets/at-rest-keys.json 后再启动`,
    );
  }
}

async function readMarker(store: GuardedStore): Promise<Marker | null> {
  try {
    return await withStoreRetry(() => store.rawDb<Marker>('hub').get(AT_REST_MARKER));
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
  checkKeyFits(keyring, marker);
  if (marker?.kid === kid && marker.scheme === SEALING_SCHEME) return null;
  const report = await resealAll(store);
  if (report.remaining === 0) await writeMarker(store, kid);
  if (report.resealed > 0) await compactSealed(store);
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
        scheme: SEALING_SCHEME,
        check: keyCheck(store.keyring.current().key),
      }),
    );
  } catch (err) {
    if (statusOf(err) !== 409) throw err;
  }
}
