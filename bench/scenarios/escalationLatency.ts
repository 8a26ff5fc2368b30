/**
 * 3. Escalation latency village → town with both online: the village PC forwards a case (one
 *    local write in its RxDB); the town PC's sync engine hears of it over SSE, pulls it and
 *    the case shows up in the town's local database as held by the town. Measured from the
 *    village's write to the town's local change, both clocks being this machine's.
 *    Both sides are the renderer's real sync engine in two browser contexts.
 */
import { DEMO_MATTERS, DEMO_PASSWORD } from '@sibantong/shared';
import { enrolDevices, seedDemo, startHub } from '../support/hub.ts';
import type { Harness } from '../support/page.ts';
import type { StoreKind, StoreTarget } from '../support/couch.ts';
import { sleep, spread, summarize, type Spread, type Summary } from '../support/stats.ts';

export interface EscalationResult {
  store: StoreKind;
  escalations: number;
  latencyMs: Summary;
  /** Every escalation is a sample: median and spread (the samples themselves are kept). */
  latency: Spread;
  timedOut: number;
}

export async function escalationLatency(
  h: Harness,
  opts: { count: number },
  target: StoreTarget,
  log: (m: string) => void,
): Promise<EscalationResult> {
  const hub = await startHub(log, { couchUrl: target.couchUrl });
  try {
    await seedDemo(hub);
    const store = hub.attached();
    const [villageDevice] = await enrolDevices(hub, store, 'village-dq-01', 1);
    const [townDevice] = await enrolDevices(hub, store, 'town-dq', 1);
    const matter = DEMO_MATTERS.find(
      (m) => m.villageMode === 'accept_and_forward' && m.forwardTo === 'town',
    );
    if (!matter) throw new Error('no accept_and_forward matter in the demo catalogue');
    const village = await h.open();
    const town = await h.open();
    await village.call('client', {
      hubUrl: hub.url,
      enrolment: villageDevice,
      username: 'v.dq01',
      password: DEMO_PASSWORD,
    });
    await town.call('client', {
      hubUrl: hub.url,
      enrolment: townDevice,
      username: 't.dq',
      password: DEMO_PASSWORD,
    });
    await village.call('initialSync');
    await town.call('initialSync');

    // Cases received and accepted at the village, synced to both sides before the clock runs.
    const ids: string[] = [];
    for (let i = 0; i < opts.count; i += 1) {
      ids.push(
        (
          await village.call<{ id: string }>('villageNewCase', {
            index: i,
            matterCode: matter.code,
          })
        ).id,
      );
    }
    for (const id of ids) {
      const r = await town.call<{ ok: boolean }>('waitFor', { id, timeoutMs: 60_000 });
      if (!r.ok) throw new Error(`town never received ${id}`);
    }
    log(`escalation: ${ids.length} cases on both sides`);

    const latencies: number[] = [];
    let timedOut = 0;
    for (const id of ids) {
      const arrived = town.call<{ at: number; ok: boolean }>('waitFor', {
        id,
        holderUnitId: 'town-dq',
        timeoutMs: 20_000,
      });
      const { at } = await village.call<{ at: number }>('villageForward', {
        id,
        townId: 'town-dq',
      });
      const seen = await arrived;
      if (seen.ok) latencies.push(seen.at - at);
      else timedOut += 1;
      await sleep(100);
    }
    await village.call('closeDb');
    await town.call('closeDb');
    await village.close();
    await town.close();
    const latencyMs = summarize(latencies);
    log(`escalation: p50 ${latencyMs.p50} ms, p95 ${latencyMs.p95} ms, ${timedOut} timed out`);
    return {
      store: target.kind,
      escalations: ids.length,
      latencyMs,
      latency: spread(latencies, 0),
      timedOut,
    };
  } finally {
    await hub.stop();
  }
}
