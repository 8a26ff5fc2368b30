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
import { countyUnits } from '../support/dataGen.ts';
import {
  type StoreAccess,
  addUnits,
  addUsers,
  enrolDevices,
  extraUnits,
  http,
  login,
  seedDemo,
  startHub,
  type BenchHub,
} from '../support/hub.ts';
import { Sampler, commOf, processTree, type ResourceReport } from '../support/procStats.ts';
import { CHECKPOINT_ID } from '../../sync-server/src/workflow/workflowDocs.ts';
import { SimClient } from '../support/simClient.ts';
import { round, sleep, summarize, until, type Summary } from '../support/stats.ts';

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

export interface StormPhase {
  clients: number;
  casesPerClient: number;
  expected: number;
  allPushesAnsweredSec: number | null;
  convergedSec: number | null;
  timeoutSec: number;
  accepted: number;
  /** Cases whose push had not been answered when the time ran out (not lost: never sent). */
  unanswered: number;
  /** Accepted cases per second over the storm, and the convergence time it implies. */
  acceptedPerSec: number;
  projectedConvergenceSec: number | null;
  refusedOrConflict: number;
  sampleRefusal: string | null;
  /** Checked against the store after the storm. */
  found: number;
  lost: number;
  duplicatedEvents: number;
  clientsCaughtUp: number;
  pullRequests: number;
  /** Pulls answered with nothing new, and how long the storm's pulls took. */
  emptyPulls: number;
  pullLatencyMs: Summary;
  pullErrors: number;
  workflowBacklogAfter: number | null;
  /**
   * From the storm's start until the workflow processor had handled every change (its
   * checkpoint at the end of the feed: official numbers and deadlines bound), or null if not
   * within `drainTimeoutSec`.
   */
  workflowDrainedSec: number | null;
  drainTimeoutSec: number;
  hub: ResourceReport;
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
  setupSec: number;
  live: LivePhase[];
  pushOnly: PushOnlyPhase;
  storm: StormPhase;
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

function hubSampler(hub: BenchHub): Sampler {
  // The hub process and its store child (tsx's esbuild helper is not the hub's).
  return new Sampler(
    () => processTree(hub.pid()).filter((pid) => commOf(pid) !== 'esbuild'),
    500,
  ).start();
}

export async function hubLoad(
  opts: {
    liveClients: number[];
    liveSeconds: number;
    liveRate: number;
    stormClients: number;
    stormCases: number;
    stormTimeoutSec: number;
  },
  log: (m: string) => void,
): Promise<HubLoadResult> {
  const t0 = performance.now();
  const maxClients = Math.max(opts.stormClients, ...opts.liveClients);
  const hub = await startHub(log);
  const clients: SimClient[] = [];
  try {
    await seedDemo(hub);
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
      async (v) => (await enrolDevices(hub, store, v.id, 1))[0]!,
    );
    log(`enrolled ${devices.length} devices`);
    const sessions = await pool(devices, 4, (d: EnrollResponse, i) =>
      login(hub, d, `v.${slots[i]!.pointCode.toLowerCase()}`, DEMO_PASSWORD),
    );
    for (let i = 0; i < maxClients; i += 1)
      clients.push(new SimClient(hub.url, devices[i]!, sessions[i] as LoginResponse));
    // The hub caches reference data for 5 s: make sure it knows the new villages.
    await sleep(5500);
    const setupSec = round((performance.now() - t0) / 1000);
    log(`hub-load set-up done in ${setupSec} s`);

    let caseBase = 0;
    const live: LivePhase[] = [];
    for (const n of opts.liveClients) {
      const group = clients.slice(0, n);
      await pool(group, 50, (c) => c.connect());
      await Promise.all(group.map((c) => c.requestPull()));
      await Promise.all(group.map((c) => c.idle()));
      const pullsBefore = group.reduce((a, c) => a + c.pulls, 0);
      const sampler = hubSampler(hub);
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
    const writers = clients.slice(0, Math.min(100, clients.length));
    const writerDocs = await pool(writers, 4, (c, i) => c.makeCases(10, units, 500_000 + i * 100));
    const poSampler = hubSampler(hub);
    const po0 = performance.now();
    const poResults = (await Promise.all(writers.map((c, i) => c.push(writerDocs[i]!)))).flat();
    const poSec = (performance.now() - po0) / 1000;
    const poAccepted = poResults.filter((r) => r.status === 'accepted').length;
    const pushOnly: PushOnlyPhase = {
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

    // ---- reconnection storm -------------------------------------------------------------
    const group = clients.slice(0, opts.stormClients);
    log(`storm: preparing ${opts.stormClients} × ${opts.stormCases} offline cases`);
    const offline = await pool(group, 4, (c, i) =>
      c.makeCases(opts.stormCases, units, 1_000_000 + i * 1000),
    );
    const expectedIds = new Set(offline.flat().map((d) => d.id));
    const byVillage = new Map<string, Set<string>>();
    offline.forEach((docs, i) => {
      const v = group[i]!.villageId;
      const set = byVillage.get(v) ?? new Set<string>();
      for (const d of docs) set.add(d.id);
      byVillage.set(v, set);
    });
    const pullsBefore = group.reduce((a, c) => a + c.pulls, 0);
    const emptyBefore = group.reduce((a, c) => a + c.emptyPulls, 0);
    const latencyFrom = group.map((c) => c.pullMs.length);
    const sampler = hubSampler(hub);
    const stormStart = performance.now();
    // Every device comes back at once: stream, catch-up pull and push of its offline work.
    let answeredAt: number | null = null;
    const results: PushRowResult[] = [];
    const pushing = Promise.all(
      group.map(async (c, i) => {
        await c.connect().catch(() => undefined);
        void c.requestPull();
        results.push(...(await c.push(offline[i]!)));
      }),
    ).then(
      () => {
        answeredAt = performance.now();
      },
      (err: unknown) => log(`storm: a client gave up pushing: ${String(err)}`),
    );
    const timeoutMs = opts.stormTimeoutSec * 1000;
    const caughtUp = (c: SimClient) => {
      const mine = byVillage.get(c.villageId);
      if (!mine) return true;
      for (const id of mine) if (!c.seen.has(id)) return false;
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
        `storm: not converged in ${opts.stormTimeoutSec} s (${acceptedByDeadline}/${expectedIds.size} accepted); stopping the clients`,
      );
      for (const c of group) c.halt();
      await Promise.race([pushing, sleep(30_000)]);
    }
    const hubRes = sampler.stop();
    const pulls = group.reduce((a, c) => a + c.pulls, 0) - pullsBefore;
    const clientsCaughtUp = group.filter(caughtUp).length;
    for (const c of group) c.disconnect();
    await Promise.race([pushing, sleep(1000)]);

    // Exactly once: every case the hub answered "accepted" must be in the store once, with its
    // events once. Read from the store itself (the hub may still be digesting a backlog).
    log('storm: verifying against the store');
    const rowsPerId = await readCases(hub.store(), [...expectedIds]);
    // Lost = answered "accepted" but absent (or damaged) on the hub. Unanswered pushes are not lost.
    const acceptedIds = new Set(results.filter((r) => r.status === 'accepted').map((r) => r.id));
    let found = 0;
    let lost = 0;
    let duplicatedEvents = 0;
    for (const id of expectedIds) {
      const d = rowsPerId.get(id);
      if (!d) {
        if (acceptedIds.has(id)) lost += 1;
        continue;
      }
      found += 1;
      if (new Set(d.events.map((e) => e.id)).size !== d.events.length) duplicatedEvents += 1;
    }
    const answeredIds = new Set(results.map((r) => r.id));
    const elapsedSec = ((convergedAt ?? stoppedAt) - stormStart) / 1000;
    const rate = acceptedByDeadline / Math.max(elapsedSec, 0.001);
    const health = await http<{ workflow?: { backlog?: number } }>(`${hub.url}/api/health`).catch(
      () => null,
    );
    // The workflow's catch-up after the burst (numbers and deadlines of the storm's cases):
    // its checkpoint at the end of the cases feed. Read from the store, not `/api/health`,
    // whose backlog count and dead-letter query are themselves heavy reads at this size.
    const drainTimeoutSec = Math.max(60, opts.stormTimeoutSec * 4);
    const workflowAtEnd = async () => {
      const [cp, info] = await Promise.all([
        store
          .db<{ seq?: string }>('hub')
          .get(CHECKPOINT_ID)
          .catch(() => null),
        store.db('cases').info(),
      ]);
      return cp?.seq !== undefined && String(cp.seq) === String(info.update_seq);
    };
    const drained = await until(
      () => workflowAtEnd().catch(() => false),
      Math.max(0, drainTimeoutSec * 1000 - (performance.now() - stormStart)),
      2000,
    );
    const drainedAt = drained ? performance.now() : null;
    const notAccepted = results.filter((r) => r.status !== 'accepted');
    const storm: StormPhase = {
      clients: opts.stormClients,
      casesPerClient: opts.stormCases,
      expected: expectedIds.size,
      allPushesAnsweredSec:
        answeredAt !== null ? round(((answeredAt as number) - stormStart) / 1000) : null,
      convergedSec: convergedAt !== null ? round((convergedAt - stormStart) / 1000) : null,
      timeoutSec: opts.stormTimeoutSec,
      accepted: acceptedIds.size,
      unanswered: [...expectedIds].filter((id) => !answeredIds.has(id)).length,
      acceptedPerSec: round(rate),
      projectedConvergenceSec:
        convergedAt !== null ? null : rate > 0 ? Math.round(expectedIds.size / rate) : null,
      refusedOrConflict: notAccepted.length,
      sampleRefusal:
        notAccepted[0] && 'code' in notAccepted[0]
          ? `${notAccepted[0].code}: ${notAccepted[0].message}`
          : null,
      found,
      lost,
      duplicatedEvents,
      clientsCaughtUp,
      pullRequests: pulls,
      emptyPulls: group.reduce((a, c) => a + c.emptyPulls, 0) - emptyBefore,
      pullLatencyMs: summarize(group.flatMap((c, i) => c.pullMs.slice(latencyFrom[i]))),
      pullErrors: group.reduce((a, c) => a + c.pullErrors, 0),
      workflowBacklogAfter: health?.body?.workflow?.backlog ?? null,
      workflowDrainedSec: drainedAt !== null ? round((drainedAt - stormStart) / 1000) : null,
      drainTimeoutSec,
      hub: hubRes,
    };
    log(
      `storm: answered ${storm.allPushesAnsweredSec} s, converged ${storm.convergedSec} s, lost ${storm.lost}, hub peak ${hubRes.peakRssMB} MB; workflow drained ${storm.workflowDrainedSec ?? `not in ${drainTimeoutSec}`} s`,
    );
    return { setupSec, live, pushOnly, storm };
  } finally {
    for (const c of clients) c.disconnect();
    await hub.stop();
  }
}
