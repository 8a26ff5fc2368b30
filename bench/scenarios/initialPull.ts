/**
 * 1. Initial pull of N realistic cases into a fresh client on IndexedDB in Chromium, against
 *    (a) PouchDB's native replication of the same documents from the same store and (b) a raw
 *    read of the store's `_changes` with documents.
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
import type { Harness } from '../support/page.ts';
import { round, summarize, type Summary } from '../support/stats.ts';

export interface InitialPullResult {
  docs: number;
  avgDocBytes: number;
  seedMs: number;
  product: { ms: number; docsPerSec: number; count: number };
  pouchdb: { ms: number; docsPerSec: number; count: number; batchSize: number };
  rawChanges: { ms: number; docsPerSec: number; count: number; pageSize: number };
  ratioVsPouch: number;
  ratioVsRaw: number;
  noChange: { restart: Summary; syncNow: Summary; localCases: number };
  emptyPull: { hubMs: Summary; storeMs: Summary };
  /** The product's engine on another field-encryption storage (fresh database each). */
  whatIfStorage: Array<{
    storage: 'crypto-js' | 'none';
    ms: number;
    docsPerSec: number;
    count: number;
    ratioVsPouch: number;
    ratioVsRaw: number;
  }>;
}

export async function initialPull(
  h: Harness,
  opts: { docs: number; rounds: number },
  log: (m: string) => void,
): Promise<InitialPullResult> {
  const hub = await startHub(log);
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

    // (b) raw read first, then (a) PouchDB, then the product: each from a fresh page/context.
    const rawPage = await h.open();
    // One untimed read first: the store has just started, and its first read of the feed
    // (LevelDB blocks, JIT) took up to twice as long; the ceiling is the warm store.
    await rawPage.call('rawChanges', { ...store, limit: 1000 });
    const raw = await rawPage.call<{ ms: number; count: number }>('rawChanges', {
      ...store,
      limit: 1000,
    });
    await rawPage.close();
    log(`raw _changes: ${raw.count} docs in ${Math.round(raw.ms)} ms`);

    const pouchPage = await h.open();
    const pouch = await pouchPage.call<{ ms: number; count: number; batchSize: number }>(
      'pouchPull',
      { ...store },
    );
    await pouchPage.close();
    log(`PouchDB replicate: ${pouch.count} docs in ${Math.round(pouch.ms)} ms`);

    const page = await h.open();
    await page.call('client', {
      hubUrl: hub.url,
      enrolment: device,
      username: 'c.agent',
      password: DEMO_PASSWORD,
    });
    const product = await page.call<{ ms: number; count: number; firstRound: unknown }>(
      'initialSync',
    );
    log(
      `product (RxDB + hub pull): ${product.count} docs in ${Math.round(product.ms)} ms; first round ${JSON.stringify(product.firstRound)}`,
    );
    if (product.count !== opts.docs)
      log(`WARNING: product pulled ${product.count} of ${opts.docs}`);

    // What-if rows: the same engine into a fresh database on the field encryption the product
    // had before (RxDB's crypto-js wrapper), and with no field encryption at all.
    const whatIf: InitialPullResult['whatIfStorage'] = [];
    for (const storage of ['crypto-js', 'none'] as const) {
      const w = await page.call<{ ms: number; count: number }>('initialSyncWith', { storage });
      whatIf.push({
        storage,
        ms: Math.round(w.ms),
        docsPerSec: Math.round(w.count / (w.ms / 1000)),
        count: w.count,
        ratioVsPouch: round(pouch.ms / w.ms, 2),
        ratioVsRaw: round(raw.ms / w.ms, 2),
      });
      log(`what-if storage ${storage}: ${w.count} docs in ${Math.round(w.ms)} ms`);
    }

    // Where a no-change sync spends its time: an empty pull through the hub vs the store alone.
    const emptyPull = await emptyPullCost(hub.url, store, device!, log);

    const nc = await page.call<{ cold: number[]; warm: number[]; count: number }>(
      'noChangeSync',
      opts.rounds,
    );
    await page.call('closeDb');
    await page.close();
    const dps = (n: number, ms: number) => Math.round(n / (ms / 1000));
    const result: InitialPullResult = {
      docs: opts.docs,
      avgDocBytes,
      seedMs: Math.round(seedMs),
      product: {
        ms: Math.round(product.ms),
        docsPerSec: dps(product.count, product.ms),
        count: product.count,
      },
      pouchdb: {
        ms: Math.round(pouch.ms),
        docsPerSec: dps(pouch.count, pouch.ms),
        count: pouch.count,
        batchSize: pouch.batchSize,
      },
      rawChanges: {
        ms: Math.round(raw.ms),
        docsPerSec: dps(raw.count, raw.ms),
        count: raw.count,
        pageSize: 1000,
      },
      ratioVsPouch: round(pouch.ms / product.ms, 2),
      ratioVsRaw: round(raw.ms / product.ms, 2),
      noChange: { restart: summarize(nc.cold), syncNow: summarize(nc.warm), localCases: nc.count },
      whatIfStorage: whatIf,
      emptyPull,
    };
    return result;
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
  const hubMs: number[] = [];
  const storeMs: number[] = [];
  for (let i = 0; i < 30; i += 1) {
    let t0 = performance.now();
    const r = await http<PullResponse>(
      `${hubUrl}/api/sync/cases/pull?limit=200&checkpoint=${encodeURIComponent(JSON.stringify({ seq }))}`,
      {
        token: session.accessToken,
      },
    );
    if (r.status !== 200) throw new Error(`empty pull: ${r.status}`);
    hubMs.push(performance.now() - t0);
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
    `empty pull: hub p50 ${result.hubMs.p50} ms / p95 ${result.hubMs.p95} ms; store _changes p50 ${result.storeMs.p50} ms`,
  );
  return result;
}
