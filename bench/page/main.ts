/**
 * The bench page: runs in headless Chromium, one browser context per simulated desktop.
 * The product side is the renderer's own code, imported by path — database (RxDB + Dexie +
 * field encryption), enrolment, login and the sync engine with its pull/push handlers and
 * SSE stream — so the figures are the product's, not a copy's. The baseline side is
 * PouchDB 9 (pouchdb-browser, IndexedDB) replicating the same documents from the same store,
 * and a raw read of the store's `_changes`.
 *
 * Node drives everything through `window.bench` (see bench/scenarios).
 */
import PouchDB from 'pouchdb-browser';
import { type MangoQuery, type RxCollection, type RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { wrappedKeyEncryptionCryptoJsStorage } from 'rxdb/plugins/encryption-crypto-js';
import {
  chinaDate,
  createEvent,
  DEMO_MATTERS,
  deriveCaseFields,
  DUE_SOON_WORKING_DAYS,
  dueWindow,
  idDigest,
  seedCalendar,
  type CaseDoc,
  type CaseEvent,
  type CaseStatus,
  type EnrollResponse,
} from '@sibantong/shared';
import { saveEnrolment, type DeviceConfig } from '../../desktop/src/renderer/auth/deviceConfig';
import { login, getSession } from '../../desktop/src/renderer/auth/sessionStore';
import { openDatabase, type AppDatabase } from '../../desktop/src/renderer/db/database';
import {
  allOpen,
  badlyRated,
  dueListQueries,
  heldByStatuses,
  heldOpen,
  openCountQueries,
  TO_DELIVER_STATUSES,
  searchQueries,
  touchedSince,
  townElsewhere,
  type CaseQuery,
} from '../../desktop/src/renderer/db/caseQueries';
import { deadlineViewOf } from '../../desktop/src/renderer/hooks/deadlineView';
import { startSync, type SyncEngine } from '../../desktop/src/renderer/sync/replication';
import { generateCase, rng } from '../support/dataGen';

const DATA_KEY = 'bench-data-key-0123456789abcdef';

export interface SyncNowProfile {
  activeAt: number;
  idleAt: number;
  inSyncAt: number;
  /** When a first wait for the database's idle promise (requestIdleCallback) ended. */
  idleCallbackAt: number;
  /** When RxDB's down and up stream queues and its checkpoint queue were done. */
  queues: { down?: number; up?: number; checkpoint?: number };
  storage: Array<{
    call: string;
    startMs: number;
    ms: number;
    rows?: number;
    what?: string;
    index?: string;
  }>;
  requests: Array<{ path: string; startMs: number; ms: number }>;
  /** Main-thread tasks over 50 ms during the round (PerformanceObserver `longtask`). */
  longTasks: Array<{ startMs: number; ms: number }>;
  /** The round's read of local changes run again on its own once the database is idle (ms each). */
  queryAlone: number[];
  /** The same index read with IndexedDB directly: variant → ms and entries visited. */
  rawIdb: Record<string, { ms: number; visited: number }>;
}
/**
 * The upstream's range on RxDB's `[_meta.lwt+id]` index, read with IndexedDB itself (no RxDB,
 * no Dexie): is the time in the index read, and does the range's upper bound matter?
 */
async function rawIndexReads(checkpoint: {
  lwt: number;
  id: string;
}): Promise<Record<string, { ms: number; visited: number }>> {
  const names = (await indexedDB.databases()).map((d) => d.name ?? '');
  const name = names.find((n) => n.startsWith('rxdb-dexie-') && n.endsWith('--cases'));
  if (!name) return {};
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const { lwt, id } = checkpoint;
  const read = (range: IDBKeyRange | null, dir: IDBCursorDirection, max: number) =>
    new Promise<{ ms: number; visited: number }>((resolve, reject) => {
      const started = performance.now();
      const tx = idb.transaction('docs', 'readonly');
      const req = tx.objectStore('docs').index('[_meta.lwt+id]').openCursor(range, dir);
      let visited = 0;
      req.onsuccess = () => {
        const c = req.result;
        if (c && visited < max) {
          visited += 1;
          c.continue();
        } else resolve({ ms: Math.round(performance.now() - started), visited });
      };
      req.onerror = () => reject(req.error);
    });
  const out: Record<string, { ms: number; visited: number }> = {};
  // RxDB's Mango plan for the upstream's query starts at [lwt, -∞] and filters; the exact
  // range (db/changedSince.ts) starts after [lwt, id]. A pull page shares one lwt.
  out.mangoPlanRange = await read(
    IDBKeyRange.bound([lwt, -Infinity], ['\uffff', '\uffff'], false, false),
    'next',
    1e9,
  );
  out.exactRange = await read(
    IDBKeyRange.bound([lwt, id], ['\uffff', '\uffff'], true, false),
    'next',
    1e9,
  );
  idb.close();
  return out;
}

const emptySyncNowProfile = (): SyncNowProfile => ({
  activeAt: -1,
  idleAt: -1,
  inSyncAt: -1,
  idleCallbackAt: -1,
  queues: {},
  requests: [],
  storage: [],
  longTasks: [],
  queryAlone: [],
  rawIdb: {},
});

/** Where an initial pull's time goes: calls summed by kind (they overlap: sums exceed the wall). */
export interface InitialPullProfile {
  wallMs: number;
  /** `<where>.<method>` → calls, rows handed in, milliseconds summed. */
  calls: Record<string, { n: number; rows: number; ms: number }>;
}

/**
 * Hands every call of `methods` on `target` to `record` once it has ended (its method, its
 * arguments, when it started and how long it took); returns the function that puts the
 * originals back.
 */
function timeCalls(
  target: Record<string, unknown>,
  methods: readonly string[],
  record: (method: string, args: unknown[], started: number, ms: number) => void,
): () => void {
  const restore: Array<() => void> = [];
  for (const m of methods) {
    const fn = target[m];
    if (typeof fn !== 'function') continue;
    restore.push(() => (target[m] = fn));
    target[m] = async (...a: unknown[]) => {
      const started = performance.now();
      try {
        return await (fn as (...x: unknown[]) => Promise<unknown>).apply(target, a);
      } finally {
        record(m, a, started, performance.now() - started);
      }
    };
  }
  return () => restore.forEach((r) => r());
}

/** A `timeCalls` recorder summing calls by kind into `into`, under `<label>.<method>`. */
const summedInto =
  (into: InitialPullProfile['calls'], label: string) =>
  (method: string, args: unknown[], _started: number, ms: number) => {
    const k = (into[`${label}.${method}`] ??= { n: 0, rows: 0, ms: 0 });
    k.n += 1;
    k.rows += Array.isArray(args[0]) ? args[0].length : 0;
    k.ms += ms;
  };

/** The local-query data's "now": cases spread over the 120 days before it. */
const DATA_NOW = Date.UTC(2026, 10, 20, 2);
const NAME_CONTAINS = 'search: name contains ($regex; not offered by the product)';
const BEFORE_DEADLINES =
  'before: 督办 / workbench deadlines as earlier builds read them (every open case + JS)';
const FILTER_STATUSES: CaseStatus[] = [
  'accepted',
  'received',
  'processing',
  'concluded_approved',
  'result_delivered',
];

interface StoreArgs {
  url: string;
  user: string;
  password: string;
  casesDb: string;
}

let cfg: DeviceConfig | null = null;
let db: AppDatabase | null = null;
let engine: SyncEngine | null = null;
let counter = 1_000_000;

function basic(s: StoreArgs): string {
  return `Basic ${btoa(`${s.user}:${s.password}`)}`;
}

async function countLocal(): Promise<number> {
  return db ? await db.cases.count().exec() : 0;
}

const api = {
  /** Enrol (already enrolled on the hub: the response is passed in), log in, open the database. */
  async client(args: {
    hubUrl: string;
    enrolment: EnrollResponse;
    username: string;
    password: string;
  }) {
    cfg = await saveEnrolment(args.hubUrl, args.enrolment, false);
    await login(cfg, args.username, args.password);
    db = await openDatabase(cfg.deviceId, DATA_KEY);
    return { user: getSession()?.user ?? null };
  },

  /**
   * Starts the product's sync engine and waits for the cases collection's first sync. With
   * `profile`, also sums where the time went: the hub's requests, RxDB's calls to the cases'
   * storage (through its wrapper and the field encryption: `fork`; Dexie's own instance under
   * them: `dexie`) and to its replication records (`meta`).
   */
  async initialSync(args: { profile?: boolean } = {}) {
    if (!db || !cfg) throw new Error('client() first');
    const calls: InitialPullProfile['calls'] = {};
    const restore: Array<() => void> = [];
    const methods = ['bulkWrite', 'findDocumentsById', 'query', 'count'] as const;
    let watching: ReturnType<typeof setInterval> | null = null;
    if (args.profile) {
      const fork = db.cases.storageInstance as unknown as Record<string, unknown>;
      restore.push(timeCalls(fork, methods, summedInto(calls, 'fork')));
      // Under RxDB's wrapper and the field encryption: Dexie's own instance.
      let stored = fork;
      while (stored.originalStorageInstance)
        stored = stored.originalStorageInstance as Record<string, unknown>;
      if (stored !== fork) restore.push(timeCalls(stored, methods, summedInto(calls, 'dexie')));
      const realFetch = window.fetch;
      restore.push(() => (window.fetch = realFetch));
      window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        const started = performance.now();
        try {
          return await realFetch(input, init);
        } finally {
          const url =
            typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
          const k = (calls[`hub ${new URL(url, location.href).pathname}`] ??= {
            n: 0,
            rows: 0,
            ms: 0,
          });
          k.n += 1;
          k.ms += performance.now() - started;
        }
      };
    }
    const t0 = performance.now();
    engine = startSync(db, cfg);
    if (args.profile) {
      // The replication records' store exists once the cases' replication has started.
      const e = engine;
      watching = setInterval(() => {
        const meta = (
          e.cases() as unknown as {
            internalReplicationState?: { input: { metaInstance: Record<string, unknown> } };
          } | null
        )?.internalReplicationState?.input.metaInstance;
        if (!meta) return;
        clearInterval(watching!);
        watching = null;
        restore.push(timeCalls(meta, methods, summedInto(calls, 'meta')));
      }, 5);
    }
    // The product's own "caught up": first round (pull-only on a fresh device), then the live
    // two-way replication of the cases in sync.
    try {
      await engine.ready;
    } finally {
      if (watching) clearInterval(watching);
    }
    const ms = performance.now() - t0;
    restore.forEach((r) => r());
    const profile: InitialPullProfile | undefined = args.profile
      ? {
          wallMs: Math.round(ms),
          calls: Object.fromEntries(
            Object.entries(calls).map(([k, v]) => [k, { ...v, ms: Math.round(v.ms) }]),
          ),
        }
      : undefined;
    return { ms, count: await countLocal(), firstRound: engine.firstRound(), profile };
  },

  /**
   * What-if: the product's sync engine, unchanged, into a fresh database on another storage
   * wrapper — RxDB's crypto-js field encryption (what the product used before) or none at all
   * (the ceiling: what field encryption costs) — to size the encryption's share of a pull.
   */
  async initialSyncWith(args: { storage: 'crypto-js' | 'none' }) {
    if (!cfg) throw new Error('client() first');
    const storage =
      args.storage === 'crypto-js'
        ? wrappedKeyEncryptionCryptoJsStorage({ storage: getRxStorageDexie() })
        : withoutEncryption(getRxStorageDexie());
    const fresh = await openDatabase(
      `${cfg.deviceId}-${args.storage}`,
      DATA_KEY,
      storage as RxStorage<unknown, unknown>,
    );
    const t0 = performance.now();
    const variant = startSync(fresh, cfg);
    await variant.ready;
    const ms = performance.now() - t0;
    const count = await fresh.cases.count().exec();
    await variant.stop();
    await fresh.remove();
    return { ms, count, storage: args.storage };
  },

  /**
   * No-change sync: stop the engine and start it again over the same database (what a PC does
   * when it reconnects or the app starts), until the cases collection is in sync again.
   */
  async noChangeSync(rounds: number) {
    if (!db || !cfg) throw new Error('client() first');
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      if (engine) await engine.stop();
      const t0 = performance.now();
      engine = startSync(db, cfg);
      await engine.ready;
      await engine.cases()!.awaitInSync();
      cold.push(performance.now() - t0);
    }
    // "Sync now" on a running engine: RESYNC through the pull stream, until idle again.
    // Where the time goes: the hub requests the round made, and when the cases replication
    // turned active and idle (the last round's are returned).
    const state = engine!.cases()!;
    const realFetch = window.fetch;
    let t0 = 0;
    let profile = emptySyncNowProfile();
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const started = performance.now();
      try {
        return await realFetch(input, init);
      } finally {
        profile.requests.push({
          path: new URL(url, location.href).pathname,
          startMs: Math.round(started - t0),
          ms: Math.round(performance.now() - started),
        });
      }
    };
    // RxDB's storage calls during the round: which of them take the time.
    const internalState = (
      state as unknown as {
        internalReplicationState?: {
          input: Record<'forkInstance' | 'metaInstance', Record<string, unknown>>;
        };
      }
    ).internalReplicationState;
    const unwrap: Array<() => void> = [];
    let lastChangedArgs: unknown[] | null = null;
    for (const which of ['forkInstance', 'metaInstance'] as const) {
      const inst = internalState?.input[which];
      if (!inst) continue;
      unwrap.push(
        timeCalls(
          inst,
          ['bulkWrite', 'findDocumentsById', 'query', 'count', 'getChangedDocumentsSince'],
          (m, a, started, ms) => {
            if (m === 'getChangedDocumentsSince' && which === 'forkInstance') lastChangedArgs = a;
            profile.storage.push({
              call: `${which}.${m}`,
              startMs: Math.round(started - t0),
              ms: Math.round(ms),
              rows: Array.isArray(a[0]) ? a[0].length : undefined,
              ...(m === 'query'
                ? {
                    what: JSON.stringify(
                      (a[0] as { query?: unknown; queryPlan?: { index?: unknown } }).query,
                    ).slice(0, 300),
                    index: JSON.stringify((a[0] as { queryPlan?: { index?: unknown } }).queryPlan),
                  }
                : m === 'getChangedDocumentsSince'
                  ? { what: `since ${JSON.stringify(a[1])}, limit ${String(a[0])}` }
                  : {}),
            });
          },
        ),
      );
    }
    // Is the main thread busy during the round (then every await waits), or is it the storage?
    const longTasks =
      typeof PerformanceObserver !== 'undefined' &&
      PerformanceObserver.supportedEntryTypes?.includes('longtask')
        ? new PerformanceObserver((list) => {
            for (const e of list.getEntries())
              profile.longTasks.push({
                startMs: Math.round(e.startTime - t0),
                ms: Math.round(e.duration),
              });
          })
        : null;
    longTasks?.observe({ type: 'longtask' });
    for (let i = 0; i < rounds; i += 1) {
      t0 = performance.now();
      profile = emptySyncNowProfile();
      const seen = new Promise<void>((resolve) => {
        let wasActive = false;
        const sub = state.active$.subscribe((active) => {
          if (active) {
            wasActive = true;
            if (profile.activeAt < 0) profile.activeAt = Math.round(performance.now() - t0);
          } else if (wasActive) {
            profile.idleAt = Math.round(performance.now() - t0);
            sub.unsubscribe();
            resolve();
          }
        });
        setTimeout(() => {
          sub.unsubscribe();
          resolve();
        }, 10_000);
      });
      engine!.syncNow();
      await seen;
      // RxDB's awaitInSync waits twice for the database's idle promise (requestIdleCallback).
      await db.requestIdlePromise();
      profile.idleCallbackAt = Math.round(performance.now() - t0);
      const internal = (
        state as unknown as {
          internalReplicationState?: {
            streamQueue: { up: Promise<unknown>; down: Promise<unknown> };
            checkpointQueue: Promise<unknown>;
          };
        }
      ).internalReplicationState;
      if (internal) {
        const at = () => Math.round(performance.now() - t0);
        await Promise.all([
          internal.streamQueue.down.then(() => (profile.queues.down = at())),
          internal.streamQueue.up.then(() => (profile.queues.up = at())),
          internal.checkpointQueue.then(() => (profile.queues.checkpoint = at())),
        ]);
      }
      await state.awaitInSync();
      profile.inSyncAt = Math.round(performance.now() - t0);
      warm.push(performance.now() - t0);
    }
    window.fetch = realFetch;
    longTasks?.disconnect();
    for (const u of unwrap) u();
    // The last round's read of local changes again, alone on an idle database: its own cost.
    const fork = internalState?.input.forkInstance as
      { getChangedDocumentsSince?(limit: unknown, cp: unknown): Promise<unknown> } | undefined;
    const changedArgs = lastChangedArgs as [number, { lwt: number; id: string }] | null;
    if (fork?.getChangedDocumentsSince && changedArgs) {
      await db.requestIdlePromise();
      for (let i = 0; i < 5; i += 1) {
        const started = performance.now();
        await fork.getChangedDocumentsSince(changedArgs[0], changedArgs[1]);
        profile.queryAlone.push(Math.round(performance.now() - started));
      }
      if (changedArgs[1]) profile.rawIdb = await rawIndexReads(changedArgs[1]);
    }
    return { cold, warm, count: await countLocal(), profile };
  },

  async stopSync() {
    if (engine) await engine.stop();
    engine = null;
  },

  async closeDb() {
    if (engine) await engine.stop();
    engine = null;
    if (db) await db.close();
    db = null;
  },

  /** PouchDB's own replication of the same store database into IndexedDB. */
  async pouchPull(args: StoreArgs & { batchSize?: number }) {
    const name = `bench-pouch-${Math.random().toString(36).slice(2)}`;
    const local = new PouchDB(name);
    const remote = new PouchDB(`${args.url}/${args.casesDb}`, {
      fetch: (url: string | Request, opts?: RequestInit) => {
        const headers = new Headers(opts?.headers);
        headers.set('Authorization', basic(args));
        return PouchDB.fetch(url, { ...opts, headers });
      },
    });
    const t0 = performance.now();
    const result = await PouchDB.replicate(
      remote,
      local,
      args.batchSize ? { batch_size: args.batchSize } : {},
    );
    const ms = performance.now() - t0;
    const info = await local.info();
    await local.destroy();
    await remote.close();
    return {
      ms,
      count: info.doc_count,
      docsWritten: result.docs_written,
      batchSize: args.batchSize ?? 100,
    };
  },

  /** Raw read of `_changes` with documents, in pages, parsed and counted, nothing stored. */
  async rawChanges(args: StoreArgs & { limit: number }) {
    const t0 = performance.now();
    let since = '0';
    let count = 0;
    for (let i = 0; i < 100_000; i += 1) {
      const res = await fetch(
        `${args.url}/${args.casesDb}/_changes?include_docs=true&limit=${args.limit}&since=${encodeURIComponent(since)}`,
        { headers: { Authorization: basic(args) } },
      );
      const body = (await res.json()) as {
        results: Array<{ id: string; doc?: unknown }>;
        last_seq: unknown;
      };
      for (const row of body.results) if (row.doc && !row.id.startsWith('_design/')) count += 1;
      since = String(body.last_seq);
      if (body.results.length < args.limit) break;
    }
    return { ms: performance.now() - t0, count };
  },

  // ---- escalation ---------------------------------------------------------------------

  /** Village: a new case received and accepted locally (the engine pushes it). */
  async villageNewCase(args: { index: number; matterCode: string }) {
    if (!db || !cfg) throw new Error('client() first');
    const user = getSession()!.user;
    const actor = {
      userId: user.userId,
      name: user.name,
      role: user.role,
      orgUnitId: user.orgUnitId,
    };
    const base = await generateCase({
      index: args.index,
      idPrefix: `esc-${cfg.deviceId.slice(-6)}`,
      villageId: user.orgUnitId,
      villageActor: actor,
      deviceId: cfg.deviceId,
      maxSteps: 0,
      now: Date.now(),
    });
    const events: CaseEvent[] = [];
    const mk = (type: 'receive' | 'accept', payload: unknown) =>
      createEvent({
        caseEvents: events,
        caseId: base.id,
        type,
        payload: payload as never,
        actor,
        deviceId: cfg!.deviceId,
        counter: ++counter,
        now: new Date(),
      }) as CaseEvent;
    const receive = base.events[0]!;
    if (receive.type !== 'receive') throw new Error('generator: first event must be receive');
    events.push(mk('receive', { ...receive.payload, matterCode: args.matterCode }));
    events.push(mk('accept', {}));
    const doc: CaseDoc = {
      ...base,
      matterCode: args.matterCode,
      events,
      updatedAt: new Date().toISOString(),
    };
    await db.cases.insert({ ...doc, ...deriveCaseFields(events) });
    return { id: doc.id };
  },

  /** Resolves when this client's local copy of the case matches the predicate. */
  async waitFor(args: {
    id: string;
    holderUnitId?: string;
    hubStamped?: boolean;
    timeoutMs: number;
  }) {
    if (!db) throw new Error('client() first');
    const t0 = Date.now();
    return await new Promise<{ at: number; ok: boolean }>((resolve) => {
      const sub = db!.cases.findOne(args.id).$.subscribe((d) => {
        if (!d) return;
        const doc = d.toJSON() as CaseDoc;
        if (args.holderUnitId && doc.holderUnitId !== args.holderUnitId) return;
        if (args.hubStamped && doc.events.some((e) => !e.hubTime)) return;
        sub.unsubscribe();
        clearTimeout(timer);
        resolve({ at: Date.now(), ok: true });
      });
      const timer = setTimeout(
        () => {
          sub.unsubscribe();
          resolve({ at: Date.now(), ok: false });
        },
        Math.max(0, args.timeoutMs - (Date.now() - t0)),
      );
    });
  },

  /** Village: forward the case to its town — one local write; returns the wall-clock instant. */
  async villageForward(args: { id: string; townId: string }) {
    if (!db || !cfg) throw new Error('client() first');
    const user = getSession()!.user;
    const actor = {
      userId: user.userId,
      name: user.name,
      role: user.role,
      orgUnitId: user.orgUnitId,
    };
    const rx = await db.cases.findOne(args.id).exec();
    if (!rx) throw new Error(`no local case ${args.id}`);
    const at = Date.now();
    await rx.incrementalModify((doc) => {
      const receive = doc.events.find((e) => e.type === 'receive');
      const materials =
        receive && receive.type === 'receive' ? receive.payload.materials.slice(0, 1) : [];
      const event = createEvent({
        caseEvents: doc.events,
        type: 'forward',
        payload: { toUnitId: args.townId, materials },
        actor,
        deviceId: cfg!.deviceId,
        counter: ++counter,
        now: new Date(),
      }) as CaseEvent;
      const events = [...doc.events, event];
      return { ...doc, events, ...deriveCaseFields(events), updatedAt: new Date().toISOString() };
    });
    return { at };
  },

  // ---- local queries --------------------------------------------------------------------

  /** Opens the product's local database for the query benchmarks. */
  async openLocal(args: { name: string }) {
    db = await openDatabase(args.name, DATA_KEY);
    return { ok: true };
  },

  /**
   * Generates and inserts cases [from, to) in chunks, as a county PC holds them: hub-held
   * (stamped events, official numbers, deadlines), except one in 1,000 received here and not yet
   * synced (no hub deadline: the lists estimate it).
   */
  async fill(args: { from: number; to: number; chunk: number }) {
    if (!db) throw new Error('openLocal() first');
    let genMs = 0;
    let insertMs = 0;
    for (let i = args.from; i < args.to; i += args.chunk) {
      const g0 = performance.now();
      const docs: CaseDoc[] = [];
      for (let k = i; k < Math.min(args.to, i + args.chunk); k += 1) {
        docs.push(await generateCase({ index: k, now: DATA_NOW, asHubHeld: k % 1000 !== 0 }));
      }
      const i0 = performance.now();
      genMs += i0 - g0;
      const res = await db.cases.bulkInsert(docs);
      if (res.error.length)
        throw new Error(`bulkInsert: ${JSON.stringify(res.error[0]).slice(0, 300)}`);
      insertMs += performance.now() - i0;
    }
    return { genMs, insertMs, count: await countLocal() };
  },

  /**
   * Each screen's queries as the renderer issues them (db/caseQueries.ts), all at once as the
   * screen's live queries start, every row turned into JSON as the hooks do (decrypting the
   * applicant): the time is what the screen waits for. Parameters vary between repetitions
   * (no RxDB query-cache hits). `beforeReps` runs the deadline lists as earlier builds read
   * them (every open case loaded, deadlines computed in JS), for the same-run comparison.
   */
  async queries(args: { n: number; reps: number; beforeReps: number }) {
    if (!db) throw new Error('openLocal() first');
    const cases = db.cases as unknown as RxCollection<CaseDoc>;
    const r = rng(args.n);
    const villages = [
      'village-dq-01',
      'village-dq-02',
      'village-dq-03',
      'village-xh-01',
      'village-xh-02',
    ];
    const towns = ['town-dq', 'town-xh'];
    const out: Record<string, number[]> = {};
    const hits: Record<string, number> = {};
    const screen = async (name: string, finds: CaseQuery[], counts: CaseQuery[] = []) => {
      const t0 = performance.now();
      const [lists] = await Promise.all([
        Promise.all(
          finds.map(async (q) =>
            (await cases.find(q as MangoQuery<CaseDoc>).exec()).map((d) => d.toMutableJSON()),
          ),
        ),
        Promise.all(counts.map((q) => cases.count(q as MangoQuery<CaseDoc>).exec())),
      ]);
      (out[name] ??= []).push(performance.now() - t0);
      hits[name] = new Set(lists.flat().map((d) => d.id)).size;
    };
    for (let rep = 0; rep < args.reps; rep += 1) {
      const lim = 50 + rep;
      // Each repetition looks at another day of the data's last weeks.
      const day = new Date(DATA_NOW - (rep % 10) * 86_400_000);
      const w = dueWindow(seedCalendar, day);
      const due = dueListQueries(w, lim);
      const village = villages[rep % villages.length]!;
      await screen(
        '村居工作台 village workbench (returned, to deliver, today, due soon + counts)',
        [
          ...heldByStatuses(village, ['correction_required'], lim),
          ...heldByStatuses(village, TO_DELIVER_STATUSES, lim),
          // 今日收件 is always the data's last day (the other lists look at other days).
          touchedSince(chinaDate(new Date(DATA_NOW)), village),
          due.overdue,
          due.soon,
          due.awaiting,
        ],
        [due.overdueCount, due.soonCount],
      );
      const town = towns[rep % towns.length]!;
      await screen('镇街收件箱 town inbox (held + sent on)', [
        heldOpen(town, 100 + rep),
        townElsewhere(town, lim),
      ]);
      await screen(
        '督办 supervisor (overdue, due soon, 差评 + counts)',
        [due.overdue, due.soon, due.awaiting, badlyRated(lim)],
        [...openCountQueries(), due.overdueCount, due.soonCount],
      );
      await screen('全部办件 all cases, first page', searchQueries('', undefined, lim, null));
      await screen(
        '全部办件 filtered by status',
        searchQueries('', FILTER_STATUSES[rep % FILTER_STATUSES.length], lim, null),
      );
      const sample = await generateCase({
        index: Math.floor(r() * args.n),
        now: DATA_NOW,
        asHubHeld: true,
      });
      await screen(
        'search: provisional number (exact)',
        searchQueries(sample.provisionalNo, undefined, lim, null),
      );
      await screen(
        'search: number prefix (point+device+month)',
        searchQueries(sample.provisionalNo.slice(0, 14), undefined, lim, null),
      );
      await screen(
        'search: official number',
        searchQueries(sample.officialNo!, undefined, lim, null),
      );
      await screen(
        'search: applicant name prefix (surname first)',
        searchQueries(sample.applicantName.slice(0, 2), undefined, lim, null),
      );
      await screen(
        'search: ID number (by digest)',
        searchQueries(
          sample.applicant.idNumber,
          undefined,
          lim,
          await idDigest(sample.applicant.idNumber),
        ),
      );
      await screen(NAME_CONTAINS, [
        { selector: { applicantName: { $regex: sample.applicantName.slice(1, 3) } }, limit: lim },
      ]);
    }
    const matterOf = new Map(DEMO_MATTERS.map((m) => [m.code, m]));
    for (let rep = 0; rep < args.beforeReps; rep += 1) {
      const w = dueWindow(seedCalendar, new Date(DATA_NOW - rep * 86_400_000));
      const t0 = performance.now();
      const open = (await cases.find(allOpen() as MangoQuery<CaseDoc>).exec()).map(
        (d) => d.toMutableJSON() as CaseDoc,
      );
      let n = 0;
      for (const c of open) {
        const d = deadlineViewOf(
          c,
          matterOf.get(c.matterCode),
          seedCalendar,
          new Date(`${w.today}T02:00:00Z`),
        );
        if (d.daysLeft !== null && d.daysLeft <= DUE_SOON_WORKING_DAYS) n += 1;
      }
      (out[BEFORE_DEADLINES] ??= []).push(performance.now() - t0);
      hits[BEFORE_DEADLINES] = n;
    }
    return { timings: out, hits };
  },

  /** JS heap of the page after a full garbage collection: what the page really holds. */
  async retainedHeapMB() {
    const gc = (window as unknown as { gc?: () => void }).gc;
    if (gc) gc();
    const m = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    return m ? Math.round(m.usedJSHeapSize / 1048576) : -1;
  },

  async jsHeapMB() {
    const m = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    return m ? Math.round(m.usedJSHeapSize / 1048576) : -1;
  },
};

/** The storage with the schemas' `encrypted` lists dropped: no field encryption at all. */
function withoutEncryption<I, O>(storage: RxStorage<I, O>): RxStorage<I, O> {
  return {
    ...storage,
    createStorageInstance(params) {
      const schema = { ...params.schema };
      delete schema.encrypted;
      return storage.createStorageInstance({ ...params, schema });
    },
  };
}

(window as unknown as { bench: typeof api }).bench = api;
document.title = 'bench ready';
