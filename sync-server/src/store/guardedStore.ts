/**
 * The only way the hub reaches its documents: every database handle passes through here, so
 * - every document id obeys the one id rule (docIds.ts) before any request is made, whatever
 *   route or handler it came from, and
 * - every document is sealed on write and opened on read by its database's codec
 *   (atRest/docCodecs.ts), so citizens' data is encrypted at rest while push, pull, workflow
 *   and routes keep working on plain documents.
 *
 * Only the document methods the hub uses are let through; any other nano method (attachments,
 * show/update functions, copy…) throws, so a new call site has to come through this file.
 */
import type { DocumentScope, ServerScope } from 'nano';
import type { DocCodec, StoredDoc } from '../atRest/docCodecs.js';
import type { Keyring } from '../atRest/keyring.js';
import { InvalidDocIdError, isDocId } from './docIds.js';
import { dbName, type DbKey, type Store, type StoreKind } from './store.js';

type Fn = (...args: unknown[]) => Promise<unknown>;

const PASS_THROUGH = new Set(['info', 'createIndex', 'config']);

function checkRead(id: unknown): void {
  if (!isDocId(id)) throw new InvalidDocIdError(id, 'read');
}

function docNameOf(params: unknown): unknown {
  if (typeof params === 'string') return params;
  if (params && typeof params === 'object' && 'docName' in params) {
    return (params as { docName?: unknown }).docName;
  }
  return undefined;
}

const asDoc = (v: unknown): StoredDoc | null =>
  v && typeof v === 'object' ? (v as StoredDoc) : null;

export function guardDb<D extends object>(
  inner: DocumentScope<D>,
  codec: DocCodec | null,
): DocumentScope<D> {
  const enc = (d: StoredDoc) => (codec ? codec.encode(d) : d);
  const dec = (d: StoredDoc) => (codec ? codec.decode(d) : d);
  const decRows = (rows: unknown) => {
    if (!Array.isArray(rows)) return;
    for (const r of rows as Array<{ doc?: unknown }>) {
      const doc = asDoc(r?.doc);
      if (doc) r.doc = dec(doc);
    }
  };
  const call = (name: string, args: unknown[]) =>
    (inner as unknown as Record<string, Fn>)[name]!.apply(inner, args);

  const wrapped: Record<string, Fn> = {
    async get(id, ...rest) {
      checkRead(id);
      const doc = asDoc(await call('get', [id, ...rest]));
      return doc ? dec(doc) : doc;
    },
    async head(id, ...rest) {
      checkRead(id);
      return call('head', [id, ...rest]);
    },
    async destroy(id, ...rest) {
      if (!isDocId(id)) throw new InvalidDocIdError(id, 'write');
      return call('destroy', [id, ...rest]);
    },
    async insert(doc, params) {
      const d = asDoc(doc);
      const name = docNameOf(params);
      if (
        !d ||
        (d._id !== undefined && !isDocId(d._id)) ||
        (name !== undefined && !isDocId(name))
      ) {
        throw new InvalidDocIdError(d?._id ?? name, 'write');
      }
      return call('insert', params === undefined ? [enc(d)] : [enc(d), params]);
    },
    async bulk(body, ...rest) {
      const docs = Array.isArray((body as { docs?: unknown })?.docs)
        ? (body as { docs: unknown[] }).docs
        : [];
      // A document with an id outside the rule gets its own error row, like any per-document
      // refusal of `_bulk_docs`; the others are written.
      const answers: unknown[] = new Array(docs.length);
      const valid: StoredDoc[] = [];
      const at: number[] = [];
      docs.forEach((raw, i) => {
        const d = asDoc(raw);
        if (!d || (d._id !== undefined && !isDocId(d._id))) {
          answers[i] = {
            id: String(d?._id ?? ''),
            error: 'bad_request',
            reason: 'invalid document id',
          };
        } else {
          valid.push(enc(d));
          at.push(i);
        }
      });
      if (valid.length > 0) {
        const res = (await call('bulk', [
          { ...(body as object), docs: valid },
          ...rest,
        ])) as unknown[];
        res.forEach((a, j) => (answers[at[j]!] = a));
      }
      return answers;
    },
    async fetch(body, ...rest) {
      const keys = Array.isArray((body as { keys?: unknown })?.keys)
        ? (body as { keys: unknown[] }).keys
        : [];
      const ok = keys.filter(isDocId);
      const res = (
        ok.length > 0
          ? await call('fetch', [{ ...(body as object), keys: ok }, ...rest])
          : { rows: [] }
      ) as { rows: unknown[] };
      decRows(res.rows);
      if (ok.length === keys.length) return res;
      // Keys outside the rule answer as CouchDB answers an unknown id, in the asked order.
      const byKey = new Map<unknown, unknown>();
      for (const r of res.rows) byKey.set((r as { key?: unknown }).key, r);
      return {
        ...res,
        rows: keys.map((k) => byKey.get(k) ?? { key: k, error: 'not_found' }),
      };
    },
    async changes(...args) {
      const res = (await call('changes', args)) as { results?: unknown };
      // A restarting embedded store can answer a feed read with an error body instead of an
      // HTTP error. Reported as "store down" (503), so callers retry as they do for a refused
      // connection instead of failing on a row list that is not there.
      if (!Array.isArray(res?.results))
        throw Object.assign(new Error('store answered a feed read without rows'), {
          statusCode: 503,
        });
      decRows(res.results);
      return res;
    },
    async list(...args) {
      const res = (await call('list', args)) as { rows?: unknown };
      decRows(res?.rows);
      return res;
    },
    async find(...args) {
      const res = (await call('find', args)) as { docs?: unknown };
      if (codec && Array.isArray(res?.docs)) {
        res.docs = (res.docs as unknown[]).map((d) => {
          const doc = asDoc(d);
          return doc ? dec(doc) : d;
        });
      }
      return res;
    },
  };

  return new Proxy(inner, {
    get(target, prop, receiver) {
      // A handle returned from an async function is probed for `then`: it is not a promise.
      if (prop === 'then') return undefined;
      if (typeof prop === 'string') {
        const w = wrapped[prop];
        if (w) return w;
        const value = Reflect.get(target, prop, receiver) as unknown;
        // Not a nano method (`then` when a handle is awaited, plain config fields): as is.
        if (PASS_THROUGH.has(prop) || typeof value !== 'function') return value;
        return () => {
          throw new Error(`store guard: ${prop} is not allowed (see store/guardedStore.ts)`);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** A Store whose `db()` handles are guarded; `raw()` is the unguarded one for re-sealing. */
export class GuardedStore implements Store {
  constructor(
    private readonly inner: Store,
    readonly keyring: Keyring,
    private readonly codecs: Partial<Record<DbKey, DocCodec>>,
    /**
     * Codecs of databases a feature provisions on first use (projects), by name suffix: the
     * feature guards its handle with it, re-sealing finds the database here.
     */
    private readonly featureCodecs: Readonly<Record<string, DocCodec>> = {},
  ) {}
  get kind(): StoreKind {
    return this.inner.kind;
  }
  get prefix(): string {
    return this.inner.prefix;
  }
  /** The unwrapped store (the embedded store supervisor, for its child's pid and restarts). */
  get unguarded(): Store {
    return this.inner;
  }
  codec(key: DbKey): DocCodec | null {
    return this.codecs[key] ?? null;
  }
  featureCodec(suffix: string): DocCodec | null {
    return this.featureCodecs[suffix] ?? null;
  }
  /** Every database with a codec, by full name (a feature's may not exist yet). */
  sealedDatabases(): Array<{ name: string; codec: DocCodec }> {
    return [
      ...(Object.entries(this.codecs) as Array<[DbKey, DocCodec]>).map(([key, codec]) => ({
        name: dbName(this.prefix, key),
        codec,
      })),
      ...Object.entries(this.featureCodecs).map(([suffix, codec]) => ({
        name: `${this.prefix}${suffix}`,
        codec,
      })),
    ];
  }
  server(): ServerScope {
    return this.inner.server();
  }
  db<D extends object = Record<string, unknown>>(key: DbKey): DocumentScope<D> {
    return guardDb(this.inner.db<D>(key), this.codecs[key] ?? null);
  }
  /** Stored documents as they are (sealed), for the re-sealing pass only. */
  rawDb<D extends object = Record<string, unknown>>(key: DbKey): DocumentScope<D> {
    return this.inner.db<D>(key);
  }
  baseUrl(): string {
    return this.inner.baseUrl();
  }
  version(): Promise<string> {
    return this.inner.version();
  }
  waitReady(timeoutMs: number): Promise<void> {
    return this.inner.waitReady(timeoutMs);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
