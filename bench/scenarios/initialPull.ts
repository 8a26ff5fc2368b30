/**
 * 1. Initial pull of N realistic cases into a fresh client on IndexedDB in Chromium, against
 *    (a) PouchDB's native replication of the same documents from the same store, at the
 *    product's page size (1,000) and at PouchDB's default (100), and (b) a raw read of the
 *    store's `_changes` with documents. Every figure is sampled `samples` times (median and
 *    spread), each sample in a fresh browser context; the hub's CPU per pulled case is read
 *    from /proc around each of the product's pulls.
 * 2. No-change sync with those N cases local (engine restart, and "sync now" on a running one).
 *
 * The hub is seeded with documents it would hold (hub-stamped events, official numbers), in
 * the scope of the centre agent (county scope sees every case), so the hub's pull serves all
 * of them and the store holds exactly the same documents PouchDB reads.
 */
import { DEMO_PASSWORD } from '@sibantong/shared';
import { averageJsonBytes, generateCases } from '../support/dataGen.ts';
import {
  enrolDevices,
  http,
  login,
  seedDemo,
  seedHubHeldCases,
  startHub,
  type StoreAccess,
} from '../support/hub.ts';
import type { EnrollResponse, PullResponse } from '@sibantong/shared';
import type { BenchPage, Harness } from '../support/page.ts';
import type { InitialPullProfile, SyncNowProfile } from '../page/main.ts';
import { Sampler, processTree } from '../support/procStats.ts';
import { couchPids, type StoreKind, type StoreTarget } from '../support/couch.ts';
import { ratioOf, spread, summarize, type Spread, type Summary } from '../support/stats.ts';

export interface InitialPullResult {
  store: StoreKind;
  docs: number;
  avgDocBytes: number;
  seedMs: number;
  samples: number;
  /** The product (renderer's engine, RxDB, hub pull in pages of 1,000), a fresh browser context each. */
  productMs: Spread;
  /** PouchDB `replicate` of the same database, at the product's page size and at its own default. */
  pouchdb: Array<{ batchSize: number; ms: Spread }>;
  /** Raw `_changes` read (pages of 1,000), after one untimed read: the warm store's ceiling. */
  rawMs: Spread;
  rawPageSize: number;
  count: { product: number; pouchdb: number; raw: number };
  /** Ratios of medians: how many times faster the product is (> 1: faster). */
  ratioVsPouchEqualBatch: number;
  ratioVsPouchDefault: number;
  ratioVsRaw: number;
  /** Where the product's last sample spent its time (calls summed by kind; they overlap). */
  productProfile?: InitialPullProfile;
  /** CPU of the hub process alone while serving the product's pulls, per case pulled (ms). */
  hubCpuMsPerPulledCase: Spread;
  /** CPU of the store (embedded store's child, or the CouchDB nodes) per case pulled (ms). */
  storeCpuMsPerPulledCase: Spread;
  noChange: {
    restart: Spread;
    syncNow: Spread;
    localCases: number;
    syncNowProfile: SyncNowProfile;
  };
  emptyPull: { hubMs: Summary; storeMs: Summary };
}

export const PRODUCT_PAGE = 1000;
/** PouchDB's own default `batch_size`. */
export const POUCH_DEFAULT_BATCH = 100;

export async function initialPull(
  h: Harness,
  opts: { docs: number; rounds: number; samples: number },
  target: StoreTarget,
  log: (m: string) => void,
): Promise<InitialPullResult> {
  const hub = await startHub(log, { couchUrl: target.couchUrl });
  try {
    await seedDemo(hub);
    log(`generating ${opts.docs} cases`);
    const docs = await generateCases(opts.docs, { asHubHeld: true, now: Date.now() });
    const avgDocBytes = averageJsonBytes(docs.slice(0, 2000));
    const seedMs = await seedHubHeldCases(hub, docs, log);
    log(`seeded ${docs.length} cases (${avgDocBytes} B avg) in ${Math.round(seedMs)} ms`);
    const store = hub.store();
    const attached = hub.attached();
    const [device] = await enrolDevices(hub, attached, 'county-sx', 1);

    // Raw read: one untimed read first (the store has just started; its first read of the
    // feed took up to twice as long), then the samples.
    const rawPage = await h.open();
    await rawPage.call('rawChanges', { ...store, limit: PRODUCT_PAGE });
    const raw: number[] = [];
    let rawCount = 0;
    for (let i = 0; i < opts.samples; i += 1) {
      const r = await rawPage.call<{ ms: number; count: number }>('rawChanges', {
        ...store,
        limit: PRODUCT_PAGE,
      });
      raw.push(r.ms);
      rawCount = r.count;
    }
    await rawPage.close();
    log(`raw _changes: ${rawCount} docs, ${raw.map((v) => Math.round(v)).join(' / ')} ms`);

    // PouchDB at the product's page size and at its own default, samples interleaved so a
    // slow minute of the machine does not fall on one setting only.
    const pouch = new Map<number, number[]>([
      [PRODUCT_PAGE, []],
      [POUCH_DEFAULT_BATCH, []],
    ]);
    let pouchCount = 0;
    for (let i = 0; i < opts.samples; i += 1) {
      for (const batchSize of pouch.keys()) {
        const page = await h.open();
        const r = await page.call<{ ms: number; count: number }>('pouchPull', {
          ...store,
          batchSize,
        });
        await page.close();
        pouch.get(batchSize)!.push(r.ms);
        pouchCount = r.count;
      }
    }
    log(
      `PouchDB: ${[...pouch].map(([b, v]) => `batch ${b}: ${v.map((x) => Math.round(x)).join(' / ')} ms`).join('; ')}`,
    );

    // The product: a fresh browser context (empty IndexedDB) per sample; the last one stays
    // open for the no-change rounds.
    const product: number[] = [];
    const cpuPerCase: number[] = [];
    const storeCpuPerCase: number[] = [];
    let productCount = 0;
    let pullProfile: InitialPullProfile | undefined;
    let page: BenchPage | null = null;
    for (let i = 0; i < opts.samples; i += 1) {
      if (page) {
        await page.call('closeDb');
        await page.close();
      }
      page = await h.open();
      await page.call('client', {
        hubUrl: hub.url,
        enrolment: device,
        username: 'c.agent',
        password: DEMO_PASSWORD,
      });
      const cpu = new Sampler(() => [hub.pid()], 500).start();
      const storeCpu = new Sampler(
        () =>
          target.couchUrl
            ? couchPids(target).flatMap((pid) => processTree(pid))
            : processTree(hub.storePid()),
        500,
      ).start();
      // The last sample also sums where its time went (the others are timed bare).
      const last = i === opts.samples - 1;
      const r = await page.call<{ ms: number; count: number; profile?: InitialPullProfile }>(
        'initialSync',
        { profile: last },
      );
      if (r.profile) {
        pullProfile = r.profile;
        log(
          `product, where the last sample's ${r.profile.wallMs} ms went (summed, overlapping): ${Object.entries(
            r.profile.calls,
          )
            .sort((a, b) => b[1].ms - a[1].ms)
            .map(([k, v]) => `${k} ${v.n}× ${v.rows ? `${v.rows} rows ` : ''}${v.ms} ms`)
            .join('; ')}`,
        );
      }
      const used = cpu.stop();
      const storeUsed = storeCpu.stop();
      if (r.count > 0) storeCpuPerCase.push((storeUsed.cpuSeconds * 1000) / r.count);
      product.push(r.ms);
      productCount = r.count;
      if (r.count > 0) cpuPerCase.push((used.cpuSeconds * 1000) / r.count);
      if (r.count !== opts.docs) log(`WARNING: product pulled ${r.count} of ${opts.docs}`);
    }
    log(`product (RxDB + hub pull): ${product.map((v) => Math.round(v)).join(' / ')} ms`);

    // Where a no-change sync spends its time: an empty pull through the hub vs the store alone.
    const emptyPull = await emptyPullCost(hub.url, store, device!, log);

    const nc = await page!.call<{
      cold: number[];
      warm: number[];
      count: number;
      profile: SyncNowProfile;
    }>('noChangeSync', opts.rounds);
    const p = nc.profile;
    log(
      `"sync now", last round: cases active at ${p.activeAt} ms, idle at ${p.idleAt} ms, idle callback at ${p.idleCallbackAt} ms, RxDB queues done ${JSON.stringify(p.queues)}, in sync at ${p.inSyncAt} ms; requests: ${p.requests.map((r) => `${r.path} @${r.startMs}+${r.ms}`).join(', ')}; storage: ${p.storage.map((r) => `${r.call}(${r.rows ?? r.what ?? ''}${r.index ? ` plan ${r.index}` : ''}) @${r.startMs}+${r.ms}`).join(', ')}; main-thread long tasks: ${p.longTasks.map((t) => `@${t.startMs}+${t.ms}`).join(', ') || 'none'}; the upstream query alone on an idle database: ${p.queryAlone.join(', ')} ms; its index read with IndexedDB directly: ${JSON.stringify(p.rawIdb)}`,
    );
    await page!.call('closeDb');
    await page!.close();
    const productMs = spread(product, 0);
    const pouchdb = [...pouch].map(([batchSize, v]) => ({ batchSize, ms: spread(v, 0) }));
    const rawMs = spread(raw, 0);
    const pouchAt = (b: number) => pouchdb.find((p) => p.batchSize === b)?.ms;
    return {
      store: target.kind,
      docs: opts.docs,
      avgDocBytes,
      seedMs: Math.round(seedMs),
      samples: opts.samples,
      productMs,
      pouchdb,
      rawMs,
      rawPageSize: PRODUCT_PAGE,
      count: { product: productCount, pouchdb: pouchCount, raw: rawCount },
      // Time ratios: PouchDB's time over the product's (the product is that many times faster).
      ratioVsPouchEqualBatch: ratioOf(pouchAt(PRODUCT_PAGE), productMs),
      ratioVsPouchDefault: ratioOf(pouchAt(POUCH_DEFAULT_BATCH), productMs),
      ratioVsRaw: ratioOf(rawMs, productMs),
      ...(pullProfile ? { productProfile: pullProfile } : {}),
      hubCpuMsPerPulledCase: spread(cpuPerCase, 3),
      storeCpuMsPerPulledCase: spread(storeCpuPerCase, 3),
      noChange: {
        restart: spread(nc.cold, 0),
        syncNow: spread(nc.warm, 0),
        localCases: nc.count,
        syncNowProfile: nc.profile,
      },
      emptyPull,
    };
  } finally {
    await hub.stop();
  }
}

/** 30 sequential empty pulls (checkpoint at the end) through the hub, and the store's own `_changes`. */
async function emptyPullCost(
  hubUrl: string,
  store: StoreAccess,
  device: EnrollResponse,
  log: (m: string) => void,
) {
  const session = await login({ url: hubUrl }, device, 'c.agent', DEMO_PASSWORD);
  const auth = `Basic ${Buffer.from(`${store.user}:${store.password}`).toString('base64')}`;
  const info = (await (
    await fetch(`${store.url}/${store.casesDb}`, { headers: { authorization: auth } })
  ).json()) as { update_seq: unknown };
  const seq = String(info.update_seq);
  // The hub's own checkpoint at the end of the feed, as a device holds it (on CouchDB the
  // store's `update_seq` is no checkpoint the hub's index knows: such a pull takes the scan).
  let checkpoint: { seq: string } | null = null;
  for (let page = 0; page < 1000; page += 1) {
    const q: string = checkpoint
      ? `&checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}`
      : '';
    const r: { status: number; body: PullResponse } = await http<PullResponse>(
      `${hubUrl}/api/sync/cases/pull?limit=1000${q}`,
      {
        token: session.accessToken,
      },
    );
    if (r.status !== 200) throw new Error(`pull to the end: ${r.status}`);
    checkpoint = r.body.checkpoint;
    if (r.body.documents.length === 0) break;
  }
  const paths = new Map<string, number>();
  const hubMs: number[] = [];
  const storeMs: number[] = [];
  for (let i = 0; i < 30; i += 1) {
    let t0 = performance.now();
    const r = await http<PullResponse>(
      `${hubUrl}/api/sync/cases/pull?limit=200&checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}`,
      {
        token: session.accessToken,
      },
    );
    if (r.status !== 200) throw new Error(`empty pull: ${r.status}`);
    hubMs.push(performance.now() - t0);
    const fresh = r.headers.get('x-pull-fresh')?.split(';')[0];
    const path = `${r.headers.get('x-pull-path') ?? '?'}${fresh ? ` (fresh: ${fresh})` : ''}`;
    paths.set(path, (paths.get(path) ?? 0) + 1);
    t0 = performance.now();
    await (
      await fetch(
        `${store.url}/${store.casesDb}/_changes?include_docs=true&limit=200&since=${seq}`,
        { headers: { authorization: auth } },
      )
    ).json();
    storeMs.push(performance.now() - t0);
    await new Promise((res) => setTimeout(res, 200));
  }
  const result = { hubMs: summarize(hubMs), storeMs: summarize(storeMs) };
  log(
    `empty pull: hub p50 ${result.hubMs.p50} ms / p95 ${result.hubMs.p95} ms (${[...paths].map(([k, n]) => `${n}× ${k}`).join(', ')}); store _changes p50 ${result.storeMs.p50} ms`,
  );
  return result;
}
