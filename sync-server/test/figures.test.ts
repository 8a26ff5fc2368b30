/**
 * The cockpit's figures over a real hub seeded with `seed-demo --history`: every figure, in
 * every dimension, agrees with a brute-force count over the stored cases (read straight from
 * the store), also after a new case syncs; a town lead gets their own town only; drill-down
 * returns exactly the cases behind a number.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_COUNTY,
  DEMO_MATTERS,
  DEMO_USERS,
  DRILLABLE_METRICS,
  chinaDate,
  countWorkingDays,
  buildCalendar,
  SEED_CALENDAR_YEARS,
  validateFigureCasesResponse,
  validateFiguresResponse,
  validateSupervisionLedgerResponse,
  type CaseDoc,
  type Result,
  type CaseEvent,
  type RefusalsResponse,
} from '@sibantong/shared';
import type {
  FigureCasesResponse,
  FigureCounts,
  FigureMetric,
  FiguresResponse,
  SupervisionLedgerResponse,
} from '@sibantong/shared';
import { enrolDevices, http, loginAs, waitFor, type TestClient } from './helpers/client.js';
import { MATTER_PENSION, newCase, pushVersions, withEvent } from './helpers/cases.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';
import { storeAdmin } from './helpers/storeAdmin.js';
import { OFFLINE_DAYS, OFFLINE_VILLAGE } from '../src/seed/historyPlan.js';
import { lastDayOf } from '../src/figures/figureAggregates.js';
import { outsideDays } from '../src/figures/figureQuery.js';
import { dayNumberToIsoDate, requireDayNumber } from '@sibantong/shared/calendar/isoDate';

const dayAfter = (day: string) => dayNumberToIsoDate(requireDayNumber(day) + 1);

type Dim = 'all' | 'town' | 'village' | 'matter' | 'department';

/** The value a case has in a dimension ('all': ''; a department: its matter's, else 'other'). */
function keyOf(doc: CaseDoc, dim: Dim): string {
  if (dim === 'town') return doc.townId;
  if (dim === 'village') return doc.originUnitId;
  if (dim === 'matter') return doc.matterCode;
  if (dim === 'department') {
    const dept = DEMO_MATTERS.find((m) => m.code === doc.matterCode)?.implementingUnitId ?? '';
    return dept.startsWith('dept-') ? dept : 'other';
  }
  return '';
}

/** The metrics of docs/cockpit.md one case counts in over from..to (a rating once per event). */
function metricsOf(doc: CaseDoc, from: string, to: string, today: string): FigureMetric[] {
  const out: FigureMetric[] = [];
  const inRange = (iso: string | undefined) => {
    if (!iso) return false;
    const d = chinaDate(iso);
    return d >= from && d <= to;
  };
  const first = (t: CaseEvent['type']) => doc.events.find((e) => e.type === t);
  const at = (e: CaseEvent | undefined) => e?.hubTime;
  const rc = first('receive');
  const ac = first('accept');
  const cc = first('conclude');
  if (inRange(at(rc))) {
    out.push('received');
    if (
      rc?.type === 'receive' &&
      (rc.payload.agentAuthorised || rc.payload.channel === 'home_visit')
    )
      out.push('assisted');
  }
  if (inRange(at(first('inform_missing')))) out.push('informed');
  if (inRange(at(first('refuse')))) out.push('notAccepted');
  if (inRange(at(ac))) {
    out.push('accepted');
    if (ac?.type === 'accept' && ac.payload.deferred) out.push('deferred');
  }
  const due = doc.deadlines?.promisedDue;
  if (inRange(at(cc))) {
    const cd = chinaDate(at(cc)!);
    out.push('concluded');
    if (ac && chinaDate(at(ac)!) === cd) out.push('instant');
    out.push(due && cd > due ? 'late' : 'onTime');
  }
  for (const e of doc.events) {
    if (e.type === 'rate' && inRange(e.hubTime)) out.push(`rate${e.payload.level}` as FigureMetric);
  }
  if (['accepted', 'accepted_deferred', 'processing'].includes(doc.status) && due && due < today) {
    out.push('overdueOpen');
  }
  return out;
}

/** The definitions of docs/cockpit.md, counted one case at a time. */
function bruteForce(cases: CaseDoc[], from: string, to: string, today: string, town?: string) {
  const counts = new Map<string, number>(); // `${dim}|${key}|${metric}`
  let spanDays = 0;
  let spanCases = 0;
  const calendar = buildCalendar(SEED_CALENDAR_YEARS);
  for (const doc of cases) {
    if (town && doc.townId !== town) continue;
    for (const metric of metricsOf(doc, from, to, today)) {
      for (const dim of ['all', 'town', 'village', 'matter', 'department'] as const) {
        const k = `${dim}|${keyOf(doc, dim)}|${metric}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
    const ac = doc.events.find((e) => e.type === 'accept');
    const cc = doc.events.find((e) => e.type === 'conclude');
    const cd = cc?.hubTime ? chinaDate(cc.hubTime) : '';
    if (ac?.hubTime && cd >= from && cd <= to) {
      spanDays += countWorkingDays(chinaDate(ac.hubTime), cd, calendar);
      spanCases += 1;
    }
  }
  return { counts, avg: spanCases ? Math.round((spanDays / spanCases) * 10) / 10 : null };
}

// Every metric a case list stands behind is checked against the brute-force count.
const CASE_METRICS = DRILLABLE_METRICS;

/** The hub's answer is what the desktop accepts (shared schema; '' when it does). */
function schemaProblem(check: (v: unknown) => Result<unknown>, body: unknown): string {
  const v = check(body);
  return v.ok ? '' : v.messageZh;
}

function expectAgree(f: FiguresResponse, truth: ReturnType<typeof bruteForce>, dims: Dim[]) {
  expect(schemaProblem(validateFiguresResponse, f)).toBe('');
  const get = (dim: Dim, key: string, m: FigureMetric) =>
    truth.counts.get(`${dim}|${key}|${m}`) ?? 0;
  for (const m of CASE_METRICS) expect(f.totals[m] ?? 0, `total ${m}`).toBe(get('all', '', m));
  for (const dim of dims) {
    if (dim === 'all') continue;
    const shown = new Map(f.breakdown[dim].map((r) => [r.key, r.counts] as [string, FigureCounts]));
    const keys = new Set([...shown.keys()]);
    for (const k of truth.counts.keys()) if (k.startsWith(`${dim}|`)) keys.add(k.split('|')[1]!);
    for (const key of keys) {
      for (const m of CASE_METRICS) {
        expect(shown.get(key)?.[m] ?? 0, `${dim} ${key} ${m}`).toBe(get(dim, key, m));
      }
    }
  }
  expect(f.avgWorkingDays).toBe(truth.avg);
}

describe.each(storeModes())('cockpit figures on the %s store', (mode) => {
  let hub: HubHandle;
  let sup: TestClient;
  let supDevice: Parameters<typeof loginAs>[1];
  let townLead: TestClient;
  let village: TestClient;
  let today: string;
  let from: string;

  async function storedCases(): Promise<CaseDoc[]> {
    const admin = storeAdmin(hub);
    const r = await admin.get(`/${admin.db('cases')}/_all_docs?include_docs=true`);
    const rows = (r.body as { rows: Array<{ id: string; doc: CaseDoc }> }).rows;
    return rows.filter((x) => !x.id.startsWith('_design/')).map((x) => x.doc);
  }

  const figures = (c: TestClient, q: string) =>
    http<FiguresResponse & { code?: string }>(`${hub.url}/api/figures?${q}`, { token: c.token });

  /**
   * The hub answers from its daily aggregates (figureAggregates.ts), which follow the
   * databases' feeds: wait until they have read every change written so far (nothing in a
   * feed after their position), so what is compared is the aggregates' exactness, not their lag.
   */
  async function settled(): Promise<void> {
    const admin = storeAdmin(hub);
    await waitFor(
      async () => {
        const state = (await admin.get(`/${admin.db('hub')}/figures:aggregates`)).body as {
          ready?: boolean;
          seqs?: Record<string, string>;
        };
        if (!state.ready) return false;
        for (const db of ['cases', 'tickets', 'supervision', 'refusals']) {
          const since = encodeURIComponent(state.seqs?.[db] ?? '0');
          const feed = (await admin.get(`/${admin.db(db)}/_changes?since=${since}&limit=1`))
            .body as { results: unknown[] };
          if (feed.results.length > 0) return false;
        }
        return true;
      },
      60_000,
      200,
    );
  }

  beforeAll(async () => {
    hub = await startHub({ mode });
    const seeded = await hub.cli(['seed-demo', '--history', '--days', '30', '--seed', '7']);
    expect(seeded.code, seeded.stderr).toBe(0);
    const history = (seeded.json as { history: { cases: number; refused: number } }).history;
    expect(history.cases).toBeGreaterThan(100);
    expect(history.refused).toBe(0);
    const devices = await enrolDevices(hub, 'village-dq-01', 3);
    supDevice = devices[0]!;
    [sup, townLead, village] = await Promise.all([
      loginAs(hub, devices[0]!, 'sup'),
      loginAs(hub, devices[1]!, 't.xh'),
      loginAs(hub, devices[2]!, 'v.dq01'),
    ]);
    today = chinaDate(new Date());
    from = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
  }, 240_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it('every county figure, in every dimension, equals a count over the stored cases', async () => {
    await settled();
    // The hub answers from its aggregates, not from the views.
    const admin = storeAdmin(hub);
    const state = await admin.get(`/${admin.db('hub')}/figures:aggregates`);
    expect(state.body).toMatchObject({ type: 'figure_aggregates', ready: true });
    const r = await figures(sup, `from=${from}&to=${today}&grain=week`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.scope).toMatchObject({ kind: 'county', unitId: 'county-sx', name: '示县' });
    const cases = await storedCases();
    expectAgree(r.body, bruteForce(cases, from, today, today), [
      'all',
      'town',
      'village',
      'matter',
      'department',
    ]);
    // The demo history has something true to show everywhere.
    for (const m of [
      'received',
      'concluded',
      'deferred',
      'informed',
      'rate4',
      'overdueOpen',
    ] as const) {
      expect(r.body.totals[m], m).toBeGreaterThan(0);
    }
    expect(r.body.totals.tickets).toBeGreaterThan(0);
    expect(r.body.totals.supervisionOpen! + r.body.totals.supervisionClosed!).toBeGreaterThan(0);
    // Trend buckets add up to the totals.
    const trendSum = r.body.trend.reduce((n, p) => n + (p.counts.received ?? 0), 0);
    expect(trendSum).toBe(r.body.totals.received);
    for (const p of r.body.trend) expect(new Date(`${p.period}T00:00:00Z`).getUTCDay()).toBe(1);
  });

  it.skipIf(mode !== 'couchdb')(
    'the views answer exactly as the aggregates (a second hub on the same CouchDB, aggregates off)',
    async () => {
      // The views answer until the aggregates are built, and with HUB_FIGURE_AGGREGATES=off:
      // whole months from the `months` view, the days at a range's ends from `facts`.
      const dir = mkdtempSync(path.join(tmpdir(), 'sbt-hub-views-'));
      mkdirSync(path.join(dir, 'secrets'), { mode: 0o700 });
      copyFileSync(
        path.join(hub.dataDir, 'secrets', 'at-rest-keys.json'),
        path.join(dir, 'secrets', 'at-rest-keys.json'),
      );
      const viewsHub = await startHub({
        mode: 'couchdb',
        env: { HUB_DB_PREFIX: hub.prefix, HUB_DATA_DIR: dir, HUB_FIGURE_AGGREGATES: 'off' },
      });
      try {
        const [device] = await enrolDevices(viewsHub, 'village-dq-02', 1);
        const supViews = await loginAs(viewsHub, device!, 'sup');
        await settled();
        const mid = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
        for (const q of [
          `from=${from}&to=${today}&grain=week`,
          `from=${from}&to=${today}&grain=month`,
          `from=${mid}&to=${today}&grain=day`,
        ]) {
          const [fromAggregates, fromViews] = await Promise.all([
            figures(sup, q),
            http<FiguresResponse>(`${viewsHub.url}/api/figures?${q}`, { token: supViews.token }),
          ]);
          expect(fromViews.status).toBe(200);
          expect({ ...fromViews.body, asOf: '' }, q).toEqual({ ...fromAggregates.body, asOf: '' });
        }
      } finally {
        await viewsHub.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );

  it('rebuilds its aggregates over the ones it had (a restore, a version change) to the same figures', async () => {
    await settled();
    const q = `from=${from}&to=${today}&grain=week`;
    const before = await figures(sup, q);
    // The hub finds its aggregates not ready at start (as after a version change): it drops
    // every aggregate document and writes them again from the views.
    const admin = storeAdmin(hub);
    const path = `/${admin.db('hub')}/figures:aggregates`;
    const state = (await admin.get(path)).body as Record<string, unknown>;
    expect((await admin.put(path, { ...state, ready: false })).status).toBeLessThan(300);
    // Stopped as a crash would (its follower must not write its state over ours), then started.
    const storePid = hub.mode === 'embedded' ? hub.storePid() : 0;
    await hub.kill9();
    if (storePid) {
      await waitFor(async () => {
        try {
          process.kill(storePid, 0);
          return false;
        } catch {
          return true;
        }
      }, 30_000);
    }
    await hub.restart();
    sup = await loginAs(hub, supDevice, 'sup');
    await settled();
    const after = await figures(sup, q);
    expect(after.status).toBe(200);
    expect({ ...after.body, asOf: '' }).toEqual({ ...before.body, asOf: '' });
    expectAgree(after.body, bruteForce(await storedCases(), from, today, today), [
      'all',
      'town',
      'village',
      'matter',
      'department',
    ]);
  }, 120_000);

  it('a range holding most of a month (read as the month less its days outside) counts only its days', async () => {
    await settled();
    const cases = await storedCases();
    // The month ten days back, from the day after its first day with anything counted: that
    // day lies outside, and the hub must take it back out of the month's figures.
    const month = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 7);
    const last = lastDayOf(month);
    let first = `${month}-01`;
    // 超期在办 is as of today whatever the range: not what a day counts.
    const countedOn = (day: string) =>
      [...bruteForce(cases, day, day, today).counts.keys()].filter(
        (k) => !k.endsWith('|overdueOpen'),
      ).length;
    while (first < last && countedOn(first) === 0) first = dayAfter(first);
    const a = dayAfter(first);
    expect(outsideDays(a, last), `${a}..${last} is read as its month`).not.toBeNull();
    expect(countedOn(first)).toBeGreaterThan(0);
    const r = await figures(sup, `from=${a}&to=${last}&grain=day`);
    expect(r.status).toBe(200);
    expectAgree(r.body, bruteForce(cases, a, last, today), [
      'all',
      'town',
      'village',
      'matter',
      'department',
    ]);
    // No row is left at zero where only the day outside counted.
    for (const dim of ['town', 'village', 'matter', 'department'] as const) {
      for (const row of r.body.breakdown[dim]) {
        expect(
          Object.values(row.counts).every((n) => n !== 0),
          `${dim} ${row.key}`,
        ).toBe(true);
      }
    }
  });

  it('a narrower range counts only its days', async () => {
    await settled();
    const mid = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
    const end = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    const r = await figures(sup, `from=${mid}&to=${end}&grain=day`);
    expect(r.status).toBe(200);
    expectAgree(r.body, bruteForce(await storedCases(), mid, end, today), [
      'all',
      'village',
      'matter',
    ]);
    expect(r.body.trend).toHaveLength(11);
  });

  it('a town lead gets their own town only, and cannot drill into another town', async () => {
    await settled();
    const r = await figures(townLead, `from=${from}&to=${today}`);
    expect(r.status).toBe(200);
    expect(r.body.scope).toMatchObject({ kind: 'town', unitId: 'town-xh' });
    expectAgree(r.body, bruteForce(await storedCases(), from, today, today, 'town-xh'), [
      'all',
      'village',
      'matter',
    ]);
    const villages = r.body.breakdown.village.map((v) => v.key);
    expect(villages.length).toBeGreaterThan(0);
    for (const v of villages) expect(DEMO_COUNTY.find((u) => u.id === v)?.parentId).toBe('town-xh');
    expect(r.body.breakdown.town).toEqual([]);
    const other = await http<{ code: string }>(
      `${hub.url}/api/figures/cases?metric=received&from=${from}&to=${today}&dim=town&key=town-dq`,
      { token: townLead.token },
    );
    expect(other.status).toBe(403);
    const drill = await http<FigureCasesResponse>(
      `${hub.url}/api/figures/cases?metric=received&from=${from}&to=${today}`,
      { token: townLead.token },
    );
    expect(drill.body.cases.length).toBeGreaterThan(0);
    for (const c of drill.body.cases) expect(c.townId).toBe('town-xh');
    // A village helper has no cockpit.
    expect((await figures(village, `from=${from}&to=${today}`)).status).toBe(403);
  });

  it("drill-down from a town's overdue count lists exactly the cases behind it", async () => {
    await settled();
    const f = await figures(sup, `from=${from}&to=${today}`);
    const row = f.body.breakdown.town.find((t) => (t.counts.overdueOpen ?? 0) > 0)!;
    expect(row).toBeTruthy();
    const r = await http<FigureCasesResponse>(
      `${hub.url}/api/figures/cases?metric=overdueOpen&dim=town&key=${row.key}&limit=2000`,
      { token: sup.token },
    );
    expect(r.status).toBe(200);
    expect(schemaProblem(validateFigureCasesResponse, r.body)).toBe('');
    expect(r.body.total).toBe(row.counts.overdueOpen);
    const expected = (await storedCases())
      .filter(
        (c) =>
          c.townId === row.key &&
          ['accepted', 'accepted_deferred', 'processing'].includes(c.status) &&
          c.deadlines &&
          c.deadlines.promisedDue < today,
      )
      .map((c) => c.id)
      .sort();
    expect(r.body.cases.map((c) => c.id).sort()).toEqual(expected);
    // Listing fields and the masked ID only: no name, no full ID.
    expect(JSON.stringify(r.body)).not.toMatch(/"applicant"|"applicantName"|"idNumber"/);
  });

  it('every drill-down lists exactly the cases behind its number, in every dimension', async () => {
    await settled();
    const cases = await storedCases();
    const f = await figures(sup, `from=${from}&to=${today}&grain=week`);
    expect(f.status).toBe(200);
    let listed = 0;
    for (const metric of CASE_METRICS) {
      // The whole county, and the town, village, matter and department with most of the metric.
      const targets: Array<[Dim, string]> = [['all', '']];
      for (const dim of ['town', 'village', 'matter', 'department'] as const) {
        const top = [...f.body.breakdown[dim]].sort(
          (a, b) => (b.counts[metric] ?? 0) - (a.counts[metric] ?? 0),
        )[0];
        if (top && (top.counts[metric] ?? 0) > 0) targets.push([dim, top.key]);
      }
      for (const [dim, key] of targets) {
        const q = `metric=${metric}&from=${from}&to=${today}&limit=2000${dim === 'all' ? '' : `&dim=${dim}&key=${key}`}`;
        const r = await http<FigureCasesResponse>(`${hub.url}/api/figures/cases?${q}`, {
          token: sup.token,
        });
        expect(r.status, q).toBe(200);
        const expected = cases
          .filter((c) => keyOf(c, dim) === key && metricsOf(c, from, today, today).includes(metric))
          .map((c) => c.id)
          .sort();
        expect(r.body.cases.map((c) => c.id).sort(), q).toEqual(expected);
        expect(r.body.total, q).toBe(expected.length);
        listed += expected.length;
      }
    }
    expect(listed).toBeGreaterThan(500);
  }, 120_000);

  it('a case that syncs now is counted within seconds', async () => {
    await settled();
    const before = await figures(sup, `from=${today}&to=${today}`);
    const doc = await newCase(village, { matterCode: MATTER_PENSION });
    const [res] = await pushVersions(village, [[null, doc]]);
    expect(res?.status).toBe('accepted');
    const after = await waitFor(async () => {
      const r = await figures(sup, `from=${today}&to=${today}`);
      return (r.body.totals.received ?? 0) > (before.body.totals.received ?? 0) ? r : null;
    });
    expect(after.body.totals.received).toBe((before.body.totals.received ?? 0) + 1);
    expectAgree(after.body, bruteForce(await storedCases(), today, today, today), [
      'all',
      'village',
    ]);
    // And every figure of the whole range, in every dimension, right after it.
    await settled();
    const whole = await figures(sup, `from=${from}&to=${today}&grain=week`);
    expectAgree(whole.body, bruteForce(await storedCases(), from, today, today), [
      'all',
      'town',
      'village',
      'matter',
      'department',
    ]);
  });

  it('a running case concluded now moves out of 超期在办 into 办结, exactly', async () => {
    await settled();
    // Past-due work of the history, held where a demo user works (a village or a town).
    const overdue = (await storedCases()).filter(
      (c) =>
        ['accepted', 'accepted_deferred', 'processing'].includes(c.status) &&
        !!c.deadlines &&
        c.deadlines.promisedDue < today &&
        DEMO_USERS.some(
          (u) => u.orgUnitId === c.holderUnitId && ['village_helper', 'town_lead'].includes(u.role),
        ),
    );
    expect(
      overdue.length,
      'the history leaves past-due work at villages and towns',
    ).toBeGreaterThan(0);
    const before = await figures(sup, `from=${from}&to=${today}&grain=week`);
    let concluded = false;
    for (const c of overdue.slice(0, 10)) {
      const user = DEMO_USERS.find(
        (u) => u.orgUnitId === c.holderUnitId && ['village_helper', 'town_lead'].includes(u.role),
      )!;
      const holder = await loginAs(hub, village.device, user.username);
      const master = (await holder.pullAll('cases')).get(c.id);
      if (!master) continue;
      const next = withEvent(holder, master, 'conclude', {
        outcome: 'approved',
        opinion: '材料齐全，准予办理',
      });
      const [res] = await pushVersions(holder, [[master, next]]);
      if (res?.status === 'accepted') {
        concluded = true;
        break;
      }
    }
    expect(concluded, 'one of them could be concluded by its holder').toBe(true);
    const after = await waitFor(async () => {
      const r = await figures(sup, `from=${from}&to=${today}&grain=week`);
      return (r.body.totals.concluded ?? 0) > (before.body.totals.concluded ?? 0) ? r : null;
    });
    expect(after.body.totals.overdueOpen).toBe((before.body.totals.overdueOpen ?? 0) - 1);
    await settled();
    const r = await figures(sup, `from=${from}&to=${today}&grain=week`);
    expectAgree(r.body, bruteForce(await storedCases(), from, today, today), [
      'all',
      'town',
      'village',
      'matter',
      'department',
    ]);
  });

  it('names PCs as IT named them: the refused writes and the village PCs not synced for days', async () => {
    await settled();
    const r = await http<RefusalsResponse>(`${hub.url}/api/refusals?limit=200`, {
      token: sup.token,
    });
    expect(r.status).toBe(200);
    expect(r.body.refusals.length).toBeGreaterThan(0);
    for (const x of r.body.refusals) {
      expect(x.deviceName, x.deviceId).toMatch(/便民服务点 1号机$/);
    }
    const f = await figures(sup, `from=${from}&to=${today}`);
    expect(f.body.totals.refusedWrites).toBe(r.body.refusals.length);
    // 柳塘村's PC has been offline for the last days of the history.
    const stale = f.body.staleDevices.find((d) => d.unitId === OFFLINE_VILLAGE);
    expect(stale).toMatchObject({ name: '柳塘村便民服务点 1号机', unitName: '柳塘村' });
    expect(stale!.days).toBeGreaterThanOrEqual(OFFLINE_DAYS);
    expect(f.body.staleDevices.map((d) => d.unitId)).not.toContain('village-dq-01');
    // The town lead of 西湖街道 does not see 东桥镇's PCs.
    const t = await figures(townLead, `from=${from}&to=${today}`);
    expect(t.body.staleDevices.find((d) => d.unitId === OFFLINE_VILLAGE)).toBeUndefined();
  });

  it('督办台账 lists the overdue records issued in the range, a town lead only their town’s', async () => {
    const admin = storeAdmin(hub);
    const raw = await admin.get(`/${admin.db('supervision')}/_all_docs?include_docs=true`);
    const all = (raw.body as { rows: Array<{ id: string; doc: Record<string, unknown> }> }).rows
      .filter((x) => !x.id.startsWith('_design/') && x.doc.kind === 'overdue')
      .map((x) => x.doc as { id: string; caseId: string; issuedAt: string; resolved: boolean });
    const inRange = all.filter(
      (d) => chinaDate(d.issuedAt) >= from && chinaDate(d.issuedAt) <= today,
    );
    expect(inRange.some((d) => d.resolved) && inRange.some((d) => !d.resolved)).toBe(true);
    const r = await http<SupervisionLedgerResponse>(
      `${hub.url}/api/figures/supervision?from=${from}&to=${today}`,
      { token: sup.token },
    );
    expect(r.status).toBe(200);
    expect(schemaProblem(validateSupervisionLedgerResponse, r.body)).toBe('');
    expect(r.body.records.map((x) => x.id).sort()).toEqual(inRange.map((d) => d.id).sort());
    const t = await http<SupervisionLedgerResponse>(
      `${hub.url}/api/figures/supervision?from=${from}&to=${today}`,
      { token: townLead.token },
    );
    const cases = new Map((await storedCases()).map((c) => [c.id, c]));
    expect(t.body.records.map((x) => x.id).sort()).toEqual(
      inRange
        .filter((d) => cases.get(d.caseId)?.townId === 'town-xh')
        .map((d) => d.id)
        .sort(),
    );
  });

  it('refuses a bad range with a clear code', async () => {
    const r = await figures(sup, `from=${today}&to=2020-01-01`);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('FIGURES_RANGE_INVALID');
  });
});
