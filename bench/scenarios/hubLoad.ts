/**
 * 5. The hub under load: 100 and 500 simulated live clients (SSE + pulls + a steady trickle
 *    of new cases), then a reconnection storm in which every client pushes its offline cases
 *    at once. Reports time to convergence, hub CPU and memory (hub process + store child), and
 *    checks that every case arrived exactly once.
 *
 * The county is the demo county plus generated towns and villages so that 500 devices sit
 * two to a village, as in a real county (~500 devices over a few hundred service points).
 */
import {
  DEMO_COUNTY,
  DEMO_PASSWORD,
  type CaseDoc,
  type EnrollResponse,
  type LoginResponse,
  type PushRowResult,
} from '@sibantong/shared';
import { countyUnits, type CountyUnits } from '../support/dataGen.ts';
import {
  type StoreAccess,
  addUnits,
  addUsers,
  enrolDevices,
  extraUnits,
  login,
  seedDemo,
  startHub,
  type BenchHub,
} from '../support/hub.ts';
import { Sampler, commOf, processTree, type ResourceReport } from '../support/procStats.ts';
import { controlNode, couchPids, type StoreKind, type StoreTarget } from '../support/couch.ts';
import { couchCounters } from '../support/couchCounters.ts';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/proxy.ts';
import { SimClient, type PushRow } from '../support/simClient.ts';
import {
  round,
  sleep,
  spread,
  summarize,
  until,
  type Spread,
  type Summary,
} from '../support/stats.ts';

export interface LivePhase {
  clients: number;
  seconds: number;
  newCasesPerSecond: number;
  pushed: number;
  pushLatencyMs: Summary;
  /** From the push being sent to the other device of the same village having pulled the case. */
  peerDeliveryMs: Summary;
  undelivered: number;
  pullRequests: number;
  hub: ResourceReport;
}

/** One storm: every device back at once with new cases and edits of cases it holds. */
export interface StormSample {
  clients: number;
  newCases: number;
  /** Edits and hand-offs of existing cases, each with the pulled version as assumed master. */
  edits: number;
  editKinds: Record<string, number>;
  /** Rows pushed (new cases + edits). */
  expected: number;
  allPushesAnsweredSec: number | null;
  /** Every device holds every new case of its village and every edit at its new version. */
  convergedSec: number | null;
  /** Every case of the storm has its official number (and deadlines when accepted) in the store. */
  numberedSec: number | null;
  /** Converged and numbered: the storm's figure. Null when either did not happen in time. */
  completeSec: number | null;
  timeoutSec: number;
  drainTimeoutSec: number;
  accepted: number;
  /** Rows whose push had not been answered when the time ran out (not lost: never sent). */
  unanswered: number;
  acceptedPerSec: number;
  refusedOrConflict: number;
  sampleRefusal: string | null;
  /** Checked against the store after the storm. */
  found: number;
  lost: number;
  /** Accepted edits whose event is not in the store's document. */
  lostEdits: number;
  duplicatedEvents: number;
  /** Official numbers held by more than one case (all cases this scenario wrote). */
  duplicatedOfficialNos: number;
  clientsCaughtUp: number;
  notNumbered: number;
  pullRequests: number;
  emptyPulls: number;
  /** Pulls served by a scan of the store's feed, not the scope index (absent in older runs). */
  scanPulls?: number;
  pullLatencyMs: Summary;
  pullErrors: number;
  /** CPU of the hub process(es) alone (not the embedded store's child), storm start to complete. */
  hubCpuSec: number;
  /** Hub CPU per accepted row, milliseconds (its pushes, its peers' pulls and the workflow). */
  hubCpuMsPerPushedCase: number | null;
  /** CPU of the store: the embedded store's child process, or every CouchDB node's process tree. */
  storeCpuSec: number | null;
  /** Store CPU per accepted row, milliseconds. */
  storeCpuMsPerPushedCase: number | null;
  /**
   * CouchDB only: its own counters that moved from the storm's start until numbered, summed over
   * its nodes (requests by method, documents read and written, documents mapped by indexes).
   */
  storeCounters: Record<string, number> | null;
  /** Cluster node killed and restarted during this storm (empty otherwise). */
  nodeEvents: string[];
  hub: ResourceReport;
}

export interface StormResult {
  hubs: number;
  /** Requests each hub served through the round-robin proxy (two hubs only). */
  requestsPerHub: number[] | null;
  samples: StormSample[];
  completeSec: Spread;
  convergedSec: Spread;
  numberedSec: Spread;
  hubCpuMsPerPushedCase: Spread;
  storeCpuMsPerPushedCase: Spread;
  lost: number;
  duplicatedEvents: number;
  duplicatedOfficialNos: number;
}

/** Pushes alone (no streams, no pulls): the hub's write path in isolation. */
export interface PushOnlyPhase {
  clients: number;
  casesPerClient: number;
  seconds: number;
  acceptedPerSec: number;
  accepted: number;
  hub: ResourceReport;
}

export interface HubLoadResult {
  store: StoreKind;
  setupSec: number;
  live: LivePhase[];
  pushOnly: PushOnlyPhase | null;
  storm: StormResult;
}

export interface HubLoadOptions {
  liveClients: number[];
  liveSeconds: number;
  liveRate: number;
  stormClients: number;
  stormCases: number;
  /** Share of each device's storm rows that are edits of existing cases (0..1). */
  stormEditShare: number;
  stormTimeoutSec: number;
  samples: number;
  /** 2: two hub processes on one CouchDB behind a round-robin proxy (storm only). */
  hubs?: 1 | 2;
  /**
   * Cluster only: node 2 is killed (SIGKILL) this many seconds into each storm and started
   * again `downSec` later (storm only).
   */
  killNode?: { atSec: number; downSec: number };
}

async function pool<T, R>(
  items: T[],
  width: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

/** Documents by id straight from the store (`_all_docs` with keys), in chunks. */
async function readCases(store: StoreAccess, ids: string[]): Promise<Map<string, CaseDoc>> {
  const auth = `Basic ${Buffer.from(`${store.user}:${store.password}`).toString('base64')}`;
  const out = new Map<string, CaseDoc>();
  for (let i = 0; i < ids.length; i += 2000) {
    const res = await fetch(`${store.url}/${store.casesDb}/_all_docs?include_docs=true`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ keys: ids.slice(i, i + 2000) }),
      signal: AbortSignal.timeout(120_000),
    });
    const body = (await res.json()) as { rows: Array<{ key: string; doc?: CaseDoc | null }> };
    for (const row of body.rows) if (row.doc) out.set(row.key, row.doc);
  }
  return out;
}

/** The hub processes alone, or with the embedded store's child (tsx's esbuild helper is not the hub's). */
function hubSampler(hubs: BenchHub[], withStore: boolean): Sampler {
  return new Sampler(
    () =>
      withStore
        ? hubs.flatMap((h) => processTree(h.pid()).filter((pid) => commOf(pid) !== 'esbuild'))
        : hubs.map((h) => h.pid()),
    500,
  ).start();
}

/** The store: the embedded store's child of each hub, or the CouchDB nodes (and their children). */
function storeSampler(hubs: BenchHub[], target: StoreTarget): Sampler {
  return new Sampler(
    () =>
      target.couchUrl
        ? couchPids(target).flatMap((pid) => processTree(pid))
        : hubs.flatMap((h) =>
            processTree(h.pid()).filter((pid) => pid !== h.pid() && commOf(pid) !== 'esbuild'),
          ),
    500,
  ).start();
}

/**
 * Cases not yet done by the workflow: no official number, or accepted with no deadlines.
 * Read from the store (the same criterion on every store kind; a checkpoint string means
 * nothing to compare on CouchDB).
 */
async function notNumbered(store: StoreAccess, ids: Iterable<string>): Promise<Set<string>> {
  const list = [...ids];
  const docs = await readCases(store, list);
  const out = new Set<string>();
  for (const id of list) {
    const d = docs.get(id);
    if (!d) {
      out.add(id);
      continue;
    }
    if (!d.officialNo) out.add(id);
    else if (d.deadlines === null && d.events.some((e) => e.type === 'accept')) out.add(id);
  }
  return out;
}

/** Cases a poll reads while many are left (see waitNumbered). */
const POLL_SAMPLE = 500;

/**
 * Waits until every case in `ids` is numbered (and deadlined when accepted); returns the rest.
 * While many are left, each poll reads a sample of them and reads them all only once the
 * sample is done: reading all of the 40,000 cases left after a storm every second was itself
 * a large share of the embedded store's work, slowing the workflow it was timing.
 */
async function waitNumbered(
  store: StoreAccess,
  ids: Iterable<string>,
  deadline: number,
): Promise<Set<string>> {
  let left = new Set(ids);
  let round = 0;
  for (;;) {
    round += 1;
    if (left.size > POLL_SAMPLE * 4) {
      const all = [...left];
      // Spread over the set (the workflow follows the feed, so the first ids finish first).
      const step = Math.floor(all.length / POLL_SAMPLE);
      const sample = all.filter((_, i) => i % step === round % step).slice(0, POLL_SAMPLE);
      const pending = await notNumbered(store, sample).catch(() => new Set(sample));
      for (const id of sample) if (!pending.has(id)) left.delete(id);
      if (pending.size > 0 && performance.now() <= deadline) {
        await sleep(1000);
        continue;
      }
    }
    left = await notNumbered(store, left).catch(() => left);
    if (left.size === 0 || performance.now() > deadline) return left;
    await sleep(1000);
  }
}

/** Deterministic shuffle (the same mix of new cases and edits on every run). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i -= 1) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export async function hubLoad(
  opts: HubLoadOptions,
  target: StoreTarget,
  log: (m: string) => void,
): Promise<HubLoadResult> {
  const t0 = performance.now();
  const twoHubs = opts.hubs === 2;
  const stormOnly = twoHubs || opts.killNode !== undefined;
  if (twoHubs && !target.couchUrl) throw new Error('two hubs need a CouchDB store');
  const liveClients = stormOnly ? [] : opts.liveClients;
  const maxClients = Math.max(opts.stormClients, ...liveClients);
  const hub = await startHub(log, { couchUrl: target.couchUrl });
  const hubs: BenchHub[] = [hub];
  let proxy: RoundRobinProxy | null = null;
  const clients: SimClient[] = [];
  try {
    await seedDemo(hub);
    if (twoHubs) {
      hubs.push(await startHub(log, { sibling: hub }));
      proxy = await startRoundRobinProxy(hubs.map((h) => h.url));
      log(`two hubs behind ${proxy.url}`);
    }
    const front = { url: proxy?.url ?? hub.url };
    const villagesNeeded = Math.ceil(maxClients / 2);
    const extra = extraUnits(villagesNeeded);
    const store = hub.attached();
    await addUnits(store, extra);
    const villages = extra.filter((u) => u.level === 'village');
    const units = countyUnits([...DEMO_COUNTY, ...extra]);
    log(`added ${extra.length} units; adding ${villages.length} users`);
    await addUsers(
      store,
      villages.map((v) => ({
        username: `v.${v.pointCode.toLowerCase()}`,
        name: `帮办${v.pointCode}`,
        role: 'village_helper' as const,
        orgUnitId: v.id,
      })),
      DEMO_PASSWORD,
    );
    const slots = Array.from({ length: maxClients }, (_, i) => villages[Math.floor(i / 2)]!);
    const devices = await pool(
      slots,
      8,
      async (v) => (await enrolDevices(front, store, v.id, 1))[0]!,
    );
    log(`enrolled ${devices.length} devices`);
    const sessions = await pool(devices, 4, (d: EnrollResponse, i) =>
      login(front, d, `v.${slots[i]!.pointCode.toLowerCase()}`, DEMO_PASSWORD),
    );
    for (let i = 0; i < maxClients; i += 1)
      clients.push(new SimClient(front.url, devices[i]!, sessions[i] as LoginResponse));
    // The hub caches reference data for 5 s: make sure it knows the new villages.
    await sleep(5500);
    const setupSec = round((performance.now() - t0) / 1000);
    log(`hub-load set-up done in ${setupSec} s`);

    let caseBase = 0;
    const live: LivePhase[] = [];
    for (const n of liveClients) {
      const group = clients.slice(0, n);
      await pool(group, 50, (c) => c.connect());
      await Promise.all(group.map((c) => c.requestPull()));
      await Promise.all(group.map((c) => c.idle()));
      const pullsBefore = group.reduce((a, c) => a + c.pulls, 0);
      const sampler = hubSampler(hubs, true);
      const pushLat: number[] = [];
      const pending = new Map<string, { sentAt: number; peer: SimClient }>();
      const delivered: number[] = [];
      for (const c of group) {
        c.onPulled = (ids, at) => {
          for (const id of ids) {
            const p = pending.get(id);
            if (p && p.peer === c) {
              delivered.push(at - p.sentAt);
              pending.delete(id);
            }
          }
        };
      }
      const total = Math.max(1, Math.round(opts.liveSeconds * opts.liveRate));
      const pushes: Promise<void>[] = [];
      const start = Date.now();
      for (let k = 0; k < total; k += 1) {
        const due = start + (k * 1000) / opts.liveRate;
        await sleep(Math.max(0, due - Date.now()));
        const i = Math.floor(Math.random() * group.length);
        const c = group[i]!;
        const peer = group[i % 2 === 0 ? i + 1 : i - 1] ?? c;
        pushes.push(
          (async () => {
            const [doc] = await c.makeCases(1, units, (caseBase += 1));
            const sentAt = Date.now();
            pending.set(doc!.id, { sentAt, peer });
            const [res] = await c.push([doc!]);
            pushLat.push(Date.now() - sentAt);
            if (res?.status !== 'accepted') pending.delete(doc!.id);
          })(),
        );
      }
      await Promise.all(pushes);
      await until(() => pending.size === 0, 15_000, 100);
      const hubRes = sampler.stop();
      for (const c of group) c.onPulled = null;
      const pulls = group.reduce((a, c) => a + c.pulls, 0) - pullsBefore;
      live.push({
        clients: n,
        seconds: opts.liveSeconds,
        newCasesPerSecond: opts.liveRate,
        pushed: total,
        pushLatencyMs: summarize(pushLat),
        peerDeliveryMs: summarize(delivered),
        undelivered: pending.size,
        pullRequests: pulls,
        hub: hubRes,
      });
      log(
        `live ${n}: push p95 ${summarize(pushLat).p95} ms, peer delivery p95 ${summarize(delivered).p95} ms, hub ${hubRes.cpuPercentOfOneCore}% CPU, ${hubRes.peakRssMB} MB`,
      );
      for (const c of group) c.disconnect();
      await sleep(500);
    }

    // ---- push path alone ---------------------------------------------------------------
    let pushOnly: PushOnlyPhase | null = null;
    if (!stormOnly) {
      const writers = clients.slice(0, Math.min(100, clients.length));
      const writerDocs = await pool(writers, 4, (c, i) =>
        c.makeCases(10, units, 500_000 + i * 100),
      );
      const poSampler = hubSampler(hubs, true);
      const po0 = performance.now();
      const poResults = (await Promise.all(writers.map((c, i) => c.push(writerDocs[i]!)))).flat();
      const poSec = (performance.now() - po0) / 1000;
      const poAccepted = poResults.filter((r) => r.status === 'accepted').length;
      pushOnly = {
        clients: writers.length,
        casesPerClient: 10,
        seconds: round(poSec),
        acceptedPerSec: round(poAccepted / poSec),
        accepted: poAccepted,
        hub: poSampler.stop(),
      };
      log(
        `push only: ${poAccepted} cases from ${writers.length} clients in ${round(poSec)} s (${pushOnly.acceptedPerSec}/s)`,
      );
    }

    // ---- reconnection storms ------------------------------------------------------------
    const group = clients.slice(0, opts.stormClients);
    const access = hub.store();
    const allIds = new Set<string>();
    const samples: StormSample[] = [];
    for (let k = 0; k < opts.samples; k += 1) {
      samples.push(await stormOnce(k, group, units, opts, access, hubs, allIds, target, log));
    }
    const stat = (f: (s: StormSample) => number | null) =>
      spread(samples.map((s) => f(s) ?? NaN).filter((v) => Number.isFinite(v)));
    const storm: StormResult = {
      hubs: hubs.length,
      requestsPerHub: proxy ? proxy.counts() : null,
      samples,
      completeSec: stat((s) => s.completeSec),
      convergedSec: stat((s) => s.convergedSec),
      numberedSec: stat((s) => s.numberedSec),
      hubCpuMsPerPushedCase: stat((s) => s.hubCpuMsPerPushedCase),
      storeCpuMsPerPushedCase: stat((s) => s.storeCpuMsPerPushedCase),
      lost: samples.reduce((a, s) => a + s.lost + s.lostEdits, 0),
      duplicatedEvents: samples.reduce((a, s) => a + s.duplicatedEvents, 0),
      duplicatedOfficialNos: Math.max(0, ...samples.map((s) => s.duplicatedOfficialNos)),
    };
    return { store: target.kind, setupSec, live, pushOnly, storm };
  } finally {
    for (const c of clients) c.disconnect();
    await proxy?.close();
    for (const h of [...hubs].reverse()) await h.stop();
  }
}

/**
 * One storm. Untimed preparation: each device pushes the cases its edits will touch and pulls
 * them back (the hub's version is the edit's assumed master state), and the workflow numbers
 * them. Then every device comes back at once: stream, catch-up pull, and a push of its new
 * cases mixed with its edits (accept, hand-off to the town, conclusion), in batches of 100.
 */
async function stormOnce(
  k: number,
  group: SimClient[],
  units: CountyUnits,
  opts: HubLoadOptions,
  access: StoreAccess,
  hubs: BenchHub[],
  allIds: Set<string>,
  target: StoreTarget,
  log: (m: string) => void,
): Promise<StormSample> {
  const editsPer = Math.round(opts.stormCases * opts.stormEditShare);
  const newPer = opts.stormCases - editsPer;
  const base = 1_000_000 + k * 200_000;
  log(`storm ${k + 1}/${opts.samples}: preparing ${group.length} × ${editsPer} cases to edit`);
  const prep = await pool(group, 4, (c, i) => c.makeCases(editsPer, units, base + i * 200));
  await pool(group, 25, async (c, i) => {
    await c.push(prep[i]!);
    await c.requestPull();
  });
  const prepIds = prep.flat().map((d) => d.id);
  for (const id of prepIds) allIds.add(id);
  const prepLeft = await waitNumbered(access, prepIds, performance.now() + 600_000);
  if (prepLeft.size) log(`storm ${k + 1}: ${prepLeft.size} prepared cases never numbered`);
  // Every device catches up, so it holds the hub's version of its own and its peer's cases.
  await pool(group, 25, (c) => c.requestPull());

  const rows: PushRow[][] = [];
  const newIds = new Set<string>();
  const edited: Array<{ id: string; eventId: string; village: string }> = [];
  const editKinds: Record<string, number> = {};
  for (let i = 0; i < group.length; i += 1) {
    const c = group[i]!;
    const fresh = await c.makeCases(newPer, units, base + 100_000 + i * 200);
    for (const d of fresh) newIds.add(d.id);
    const mine: PushRow[] = fresh.map((d) => ({ assumedMasterState: null, newDocumentState: d }));
    for (const d of prep[i]!) {
      const e = c.makeEdit(d.id);
      if (!e) continue;
      mine.push(e.row);
      edited.push({ id: d.id, eventId: e.eventId, village: c.villageId });
      editKinds[e.kind] = (editKinds[e.kind] ?? 0) + 1;
    }
    rows.push(shuffled(mine, 7919 * (i + 1) + k));
  }
  for (const id of newIds) allIds.add(id);
  const expected = rows.reduce((a, r) => a + r.length, 0);
  const newByVillage = new Map<string, string[]>();
  for (let i = 0; i < group.length; i += 1) {
    const v = group[i]!.villageId;
    const list = newByVillage.get(v) ?? [];
    for (const r of rows[i]!) if (r.assumedMasterState === null) list.push(r.newDocumentState.id);
    newByVillage.set(v, list);
  }
  const editsByVillage = new Map<string, Array<{ id: string; eventId: string }>>();
  for (const e of edited)
    editsByVillage.set(e.village, [...(editsByVillage.get(e.village) ?? []), e]);

  const pullsBefore = group.reduce((a, c) => a + c.pulls, 0);
  const emptyBefore = group.reduce((a, c) => a + c.emptyPulls, 0);
  const scansBefore = group.reduce((a, c) => a + c.scanPulls, 0);
  const errorsBefore = group.reduce((a, c) => a + c.pullErrors, 0);
  const latencyFrom = group.map((c) => c.pullMs.length);
  // The hub process(es) alone: the embedded store's child is sampled on its own.
  const sampler = hubSampler(hubs, false);
  const counters = await couchCounters(target.couchUrl);
  const stSampler = storeSampler(hubs, target);
  const stormStart = performance.now();
  log(`storm ${k + 1}: ${expected} rows from ${group.length} devices, from now`);
  // A cluster node killed and restarted mid-storm: nothing may be lost or duplicated.
  const nodeEvents: string[] = [];
  const nodeControl = opts.killNode
    ? (async () => {
        const { atSec, downSec } = opts.killNode!;
        await sleep(atSec * 1000);
        await controlNode(target, 'kill-node', 2);
        nodeEvents.push(`node 2 killed at ${round((performance.now() - stormStart) / 1000)} s`);
        log(`storm ${k + 1}: ${nodeEvents.at(-1)}`);
        await sleep(downSec * 1000);
        await controlNode(target, 'start-node', 2);
        nodeEvents.push(`back at ${round((performance.now() - stormStart) / 1000)} s`);
        log(`storm ${k + 1}: node 2 ${nodeEvents.at(-1)}`);
      })().catch((err: unknown) => {
        nodeEvents.push(`node control failed: ${String(err)}`);
      })
    : null;
  let answeredAt: number | null = null;
  const results: PushRowResult[] = [];
  const pushing = Promise.all(
    group.map(async (c, i) => {
      await c.connect().catch(() => undefined);
      void c.requestPull();
      results.push(...(await c.pushRows(rows[i]!)));
    }),
  ).then(
    () => {
      answeredAt = performance.now();
    },
    (err: unknown) => log(`storm: a client gave up pushing: ${String(err)}`),
  );
  const timeoutMs = opts.stormTimeoutSec * 1000;
  const caughtUp = (c: SimClient) => {
    for (const id of newByVillage.get(c.villageId) ?? []) if (!c.seen.has(id)) return false;
    for (const e of editsByVillage.get(c.villageId) ?? [])
      if (!c.holds(e.id, e.eventId)) return false;
    return true;
  };
  await Promise.race([pushing, sleep(timeoutMs)]);
  const converged = await until(
    () => answeredAt !== null && group.every(caughtUp),
    Math.max(0, timeoutMs - (performance.now() - stormStart)),
    200,
  );
  const convergedAt = converged ? performance.now() : null;
  const stoppedAt = performance.now();
  const acceptedByDeadline = results.filter((r) => r.status === 'accepted').length;
  if (!converged) {
    log(
      `storm: not converged in ${opts.stormTimeoutSec} s (${acceptedByDeadline}/${expected} accepted); stopping the clients`,
    );
    for (const c of group) c.halt();
    await Promise.race([pushing, sleep(30_000)]);
  }
  const pulls = group.reduce((a, c) => a + c.pulls, 0) - pullsBefore;
  const clientsCaughtUp = group.filter(caughtUp).length;
  for (const c of group) c.disconnect();
  await Promise.race([pushing, sleep(1000)]);

  // The workflow's catch-up is part of the figure: official numbers and deadlines of every case
  // the storm touched, read from the store until done or out of time.
  const drainTimeoutSec = Math.max(60, opts.stormTimeoutSec * 4);
  const touched = [...newIds, ...edited.map((e) => e.id)];
  const left = await waitNumbered(access, touched, stormStart + drainTimeoutSec * 1000);
  const numberedAt = left.size === 0 ? performance.now() : null;
  const hubRes = sampler.stop();
  const storeRes = stSampler.stop();
  const storeCounters = await counters.stop();
  await nodeControl;

  log('storm: verifying against the store');
  const stored = await readCases(access, [...allIds]);
  const acceptedIds = new Set(results.filter((r) => r.status === 'accepted').map((r) => r.id));
  let found = 0;
  let lost = 0;
  let duplicatedEvents = 0;
  for (const id of newIds) {
    const d = stored.get(id);
    if (!d) {
      if (acceptedIds.has(id)) lost += 1;
      continue;
    }
    found += 1;
    if (new Set(d.events.map((e) => e.id)).size !== d.events.length) duplicatedEvents += 1;
  }
  let lostEdits = 0;
  for (const e of edited) {
    const d = stored.get(e.id);
    if (acceptedIds.has(e.id) && !d?.events.some((x) => x.id === e.eventId)) lostEdits += 1;
    if (d && new Set(d.events.map((x) => x.id)).size !== d.events.length) duplicatedEvents += 1;
  }
  const officialCount = new Map<string, number>();
  for (const d of stored.values())
    if (d.officialNo) officialCount.set(d.officialNo, (officialCount.get(d.officialNo) ?? 0) + 1);
  const duplicatedOfficialNos = [...officialCount.values()].filter((n) => n > 1).length;

  const answeredIds = new Set(results.map((r) => r.id));
  const elapsedSec = ((convergedAt ?? stoppedAt) - stormStart) / 1000;
  const notAccepted = results.filter((r) => r.status !== 'accepted');
  const sec = (at: number | null) => (at !== null ? round((at - stormStart) / 1000) : null);
  const convergedSec = sec(convergedAt);
  const numberedSec = sec(numberedAt);
  const hubCpuSec = hubRes.cpuSeconds;
  const sample: StormSample = {
    clients: group.length,
    newCases: newIds.size,
    edits: edited.length,
    editKinds,
    expected,
    allPushesAnsweredSec: sec(answeredAt),
    convergedSec,
    numberedSec,
    completeSec:
      convergedSec !== null && numberedSec !== null ? Math.max(convergedSec, numberedSec) : null,
    timeoutSec: opts.stormTimeoutSec,
    drainTimeoutSec,
    accepted: acceptedIds.size,
    unanswered: rows.flat().filter((r) => !answeredIds.has(r.newDocumentState.id)).length,
    acceptedPerSec: round(acceptedByDeadline / Math.max(elapsedSec, 0.001)),
    refusedOrConflict: notAccepted.length,
    sampleRefusal:
      notAccepted[0] && 'code' in notAccepted[0]
        ? `${notAccepted[0].status} ${notAccepted[0].code}: ${notAccepted[0].message}`
        : null,
    found,
    lost,
    lostEdits,
    duplicatedEvents,
    duplicatedOfficialNos,
    clientsCaughtUp,
    notNumbered: left.size,
    pullRequests: pulls,
    emptyPulls: group.reduce((a, c) => a + c.emptyPulls, 0) - emptyBefore,
    scanPulls: group.reduce((a, c) => a + c.scanPulls, 0) - scansBefore,
    pullLatencyMs: summarize(group.flatMap((c, i) => c.pullMs.slice(latencyFrom[i]))),
    pullErrors: group.reduce((a, c) => a + c.pullErrors, 0) - errorsBefore,
    hubCpuSec,
    hubCpuMsPerPushedCase: acceptedIds.size
      ? round((hubCpuSec * 1000) / acceptedIds.size, 2)
      : null,
    storeCpuSec: storeRes.cpuSeconds,
    storeCpuMsPerPushedCase: acceptedIds.size
      ? round((storeRes.cpuSeconds * 1000) / acceptedIds.size, 2)
      : null,
    storeCounters,
    nodeEvents,
    hub: hubRes,
  };
  log(
    `storm ${k + 1}: ${sample.newCases} new + ${sample.edits} edits; answered ${sample.allPushesAnsweredSec} s, converged ${convergedSec ?? '—'} s, numbered ${numberedSec ?? `— (${left.size} left)`} s; lost ${lost + lostEdits}, dup official nos ${duplicatedOfficialNos}; hub ${hubCpuSec} s CPU`,
  );
  if (storeCounters)
    log(
      `storm ${k + 1}: CouchDB counters (per accepted row): ${Object.entries(storeCounters)
        .slice(0, 12)
        .map(([name, n]) => `${name} ${round(n / Math.max(1, acceptedIds.size), 2)}`)
        .join(', ')}`,
    );
  // Halted clients stay halted: the next sample needs live ones.
  for (const c of group) c.resume();
  return sample;
}
