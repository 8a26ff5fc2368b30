/**
 * The workflow processor over a real hub: official numbers, deadlines on hub time, due-soon
 * and overdue records, a follow-up ticket for every 差评, the backlog in /api/health, and
 * the calendar that IT imports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  addWorkingDays,
  type CaseDoc,
  type EnrollResponse,
  type HealthResponse,
} from '@sibantong/shared';
import { enrolDevices, http, loginAs, waitFor, type TestClient } from './helpers/client.js';
import {
  MATTER_LEGAL_AID,
  MATTER_PENSION,
  newCase,
  pushVersions,
  withEvent,
} from './helpers/cases.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';
import { AttachedEmbeddedStore, readEndpoint } from '../src/store/embeddedStore.js';
import { CouchStore } from '../src/store/couchStore.js';
import { Lease } from '../src/workflow/lease.js';

const DAY = 24 * 3600 * 1000;
/** 农村危房改造补助申请: promised 20, legal 30 working days (accept and forward to town). */
const MATTER_RENOVATION = '11330999002300021H7050040010000';
const chinaDate = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3600 * 1000).toISOString().slice(0, 10);

interface Supervision {
  id: string;
  caseId: string;
  kind: 'due_soon' | 'overdue';
  dueDate: string;
  unitId: string;
}
interface Ticket {
  id: string;
  caseId: string;
  ratingEventId: string;
  level: number;
  status: string;
  dueDate: string;
}

describe.each(storeModes())('workflow on the %s store', (mode) => {
  let hub: HubHandle;
  let devices: EnrollResponse[];
  let v: TestClient;
  let sup: TestClient;

  beforeAll(async () => {
    hub = await startHub({ mode });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    devices = await enrolDevices(hub, 'village-dq-01', 4);
    v = await loginAs(hub, devices[0]!, 'v.dq01');
    sup = await loginAs(hub, devices[1]!, 'sup');
    // Users of other units log in on a device of their own unit, enrolled on first use: do it
    // now, before a test moves the hub clock past the enrolment codes' validity.
    await loginAs(hub, devices[2]!, 'it');
    await loginAs(hub, devices[3]!, 'v.xh01');
  });
  afterAll(async () => {
    await hub?.stop();
  });

  async function hubCase(
    id: string,
    ready: (d: CaseDoc) => boolean,
    timeoutMs?: number,
  ): Promise<CaseDoc> {
    return waitFor(async () => {
      const d = (await v.pullAll('cases')).get(id);
      return d && ready(d) ? d : null;
    }, timeoutMs);
  }

  async function setClock(offsetMs: number): Promise<void> {
    // Tokens are checked against the shifted clock too, so log in afresh after the shift.
    const it_ = await loginAs(hub, devices[2]!, 'it');
    expect(
      (await http(`${hub.url}/api/admin/clock`, { token: it_.token, body: { offsetMs } })).status,
    ).toBe(200);
    v = await loginAs(hub, devices[0]!, 'v.dq01');
    sup = await loginAs(hub, devices[1]!, 'sup');
  }

  it('binds a unique official number to every case it receives', async () => {
    const docs = await Promise.all([newCase(v), newCase(v), newCase(v)]);
    const results = await pushVersions(
      v,
      docs.map((d) => [null, d] as [null, CaseDoc]),
    );
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    const bound = await Promise.all(docs.map((d) => hubCase(d.id, (x) => x.officialNo !== null)));
    const numbers = bound.map((d) => d.officialNo);
    expect(new Set(numbers).size).toBe(3);
    for (const n of numbers) expect(n).toMatch(/^SX-\d{4}-\d{6}$/);
    // The number is final: a later event does not change it.
    const next = withEvent(v, bound[0]!, 'log', { text: '补记' });
    const [res] = await pushVersions(v, [[bound[0]!, next]]);
    expect(res?.status === 'accepted' && res.document.officialNo).toBe(numbers[0]);
  });

  it('computes deadlines on hub time and raises due-soon and overdue records', async () => {
    const received = await newCase(v, { matterCode: MATTER_LEGAL_AID });
    const accepted = withEvent(v, received, 'accept', {});
    const [res] = await pushVersions(v, [[null, accepted]]);
    expect(res?.status).toBe('accepted');
    const stored = await hubCase(received.id, (d) => d.deadlines !== null);
    const acceptEvent = stored.events.find((e) => e.type === 'accept')!;
    const start = chinaDate(acceptEvent.hubTime!);
    expect(stored.deadlines).toMatchObject({
      startDate: start,
      promisedDue: addWorkingDays(start, 3),
      legalDue: addWorkingDays(start, 7),
    });

    const promisedDue = stored.deadlines!.promisedDue;
    // Move the hub clock to the working day before the promised deadline: due soon.
    const dayBefore = Date.parse(`${addWorkingDays(start, 2)}T02:00:00Z`) - Date.now();
    await setClock(dayBefore);
    const scan1 = await http<{ raised: number }>(`${hub.url}/api/admin/workflow/scan`, {
      token: sup.token,
      method: 'POST',
    });
    expect(scan1.status).toBe(200);
    const soon = await waitFor(async () => {
      const all = await sup.pullAll<Supervision>('supervision');
      return [...all.values()].find((s) => s.caseId === received.id && s.kind === 'due_soon');
    });
    expect(soon).toMatchObject({ dueDate: promisedDue, unitId: 'village-dq-01' });

    // Past the deadline: overdue (督办); scanning again never duplicates a record.
    await setClock(Date.parse(`${promisedDue}T02:00:00Z`) + 3 * DAY - Date.now());
    await http(`${hub.url}/api/admin/workflow/scan`, { token: sup.token, method: 'POST' });
    await http(`${hub.url}/api/admin/workflow/scan`, { token: sup.token, method: 'POST' });
    const records = await waitFor(async () => {
      const all = [...(await sup.pullAll<Supervision>('supervision')).values()].filter(
        (s) => s.caseId === received.id,
      );
      return all.some((s) => s.kind === 'overdue') ? all : null;
    });
    expect(records.map((r) => r.kind).sort()).toEqual(['due_soon', 'overdue']);
    // The village that holds the case sees its own records; another village does not.
    expect(
      [...(await v.pullAll<Supervision>('supervision')).values()].some(
        (s) => s.caseId === received.id,
      ),
    ).toBe(true);
    const other = await loginAs(hub, devices[3]!, 'v.xh01');
    expect([...(await other.pullAll<Supervision>('supervision')).values()]).toHaveLength(0);
    await setClock(0);

    // Concluding the case resolves its open records.
    const latest = await hubCase(received.id, () => true);
    const concluded = withEvent(v, latest, 'conclude', {
      outcome: 'approved',
      opinion: '已提供法律援助',
    });
    expect((await pushVersions(v, [[latest, concluded]]))[0]?.status).toBe('accepted');
    await waitFor(async () => {
      const all = [
        ...(await sup.pullAll<Supervision & { resolved: boolean }>('supervision')).values(),
      ];
      const mine = all.filter((s) => s.caseId === received.id);
      return mine.length === 2 && mine.every((s) => s.resolved);
    });
  });

  it('opens a follow-up ticket for every 差评, with its own working-day deadline', async () => {
    let d = await newCase(v, { matterCode: MATTER_PENSION });
    d = withEvent(v, d, 'accept', {});
    d = withEvent(v, d, 'conclude', { outcome: 'approved', opinion: '符合条件，准予登记' });
    d = withEvent(v, d, 'deliver_result', { method: 'collected', recipientName: '王小明' });
    d = withEvent(v, d, 'rate', { level: 5, channel: 'pad', realName: true, text: '等太久' });
    const [res] = await pushVersions(v, [[null, d]]);
    expect(res?.status).toBe('accepted');
    const rating = (res as { document: CaseDoc }).document.events.find((e) => e.type === 'rate')!;
    const ticket = await waitFor(async () =>
      [...(await sup.pullAll<Ticket>('tickets')).values()].find((t) => t.caseId === d.id),
    );
    expect(ticket).toMatchObject({ ratingEventId: rating.id, level: 5, status: 'open' });
    expect(ticket.dueDate).toBe(addWorkingDays(chinaDate(rating.hubTime!), 5));
    expect(Object.keys(ticket)).not.toContain('hubScope');
    expect([...(await v.pullAll<Ticket>('tickets')).values()].map((t) => t.id)).toContain(
      ticket.id,
    );

    // A good rating opens nothing.
    let g = await newCase(v, { matterCode: MATTER_PENSION });
    g = withEvent(v, g, 'accept', {});
    g = withEvent(v, g, 'conclude', { outcome: 'approved', opinion: '准予' });
    g = withEvent(v, g, 'deliver_result', { method: 'collected', recipientName: '王小明' });
    g = withEvent(v, g, 'rate', { level: 1, channel: 'pad', realName: true });
    await pushVersions(v, [[null, g]]);
    await hubCase(g.id, (x) => x.officialNo !== null);
    expect(
      [...(await sup.pullAll<Ticket>('tickets')).values()].filter((t) => t.caseId === g.id),
    ).toHaveLength(0);
  });

  it('numbers a case whose deadline reaches an uncovered year, with a provisional deadline that importing the year makes exact', async () => {
    // 农村危房改造补助申请: promised 20, legal 30 working days. Accepted on 2026-12-10 (hub
    // clock), its deadlines fall in 2027, a year the seed calendar does not know.
    await setClock(Date.parse('2026-12-10T02:00:00Z') - Date.now());
    let d = await newCase(v, { matterCode: MATTER_RENOVATION });
    d = withEvent(v, d, 'accept', {});
    expect((await pushVersions(v, [[null, d]]))[0]?.status).toBe('accepted');
    const numbered = await hubCase(d.id, (x) => x.officialNo !== null && x.deadlines !== null);
    expect(numbered.officialNo).toMatch(/^SX-2026-\d{6}$/);
    // Weekends only in 2027: 1/1 (元旦) counts, so one working day earlier than the truth.
    expect(numbered.deadlines).toMatchObject({
      startDate: '2026-12-10',
      promisedDue: '2027-01-07',
      provisional: true,
    });
    // Nothing failed: no dead letter, health ok.
    const health = await http<HealthResponse>(`${hub.url}/api/health`, { token: sup.token });
    expect(health.body.workflow.deadLetters).toBe(0);
    expect(health.body.status).toBe('ok');
    // IT sees the case among the provisional ones.
    const before = await hub.cli(['calendar', '--json']);
    expect(before.code).toBe(0);
    expect(before.json).toMatchObject({ nextYear: expect.any(Number) });
    expect((before.json as { provisionalCases: number }).provisionalCases).toBeGreaterThanOrEqual(
      1,
    );

    // IT imports 2027: the hub recomputes the provisional deadline by itself (no new push).
    const file = path.join(hub.dataDir, 'cn-2027.json');
    writeFileSync(
      file,
      JSON.stringify({
        year: 2027,
        holidays: [
          { date: '2027-01-01', name: '元旦' },
          { date: '2027-02-06', name: '春节' },
          { date: '2027-02-07', name: '春节' },
          { date: '2027-02-08', name: '春节' },
          { date: '2027-02-09', name: '春节' },
          { date: '2027-02-10', name: '春节' },
          { date: '2027-02-11', name: '春节' },
          { date: '2027-02-12', name: '春节' },
        ],
        workdays: [{ date: '2027-02-20', name: '春节' }],
      }),
    );
    const imported = await hub.cli(['calendar', 'import', file]);
    expect(imported.code).toBe(0);
    // The import tells IT that the hub recomputes the provisional case(s).
    expect(imported.json).toMatchObject({
      year: 2027,
      status: { nextYearCovered: expect.any(Boolean) },
    });
    // Counted before the write (the running hub may have recomputed by the time it answers).
    expect((imported.json as { recomputeCases: number }).recomputeCases).toBeGreaterThanOrEqual(1);
    expect((await sup.pullAll<{ id: string }>('calendars')).has('2027')).toBe(true);
    const exact = await hubCase(d.id, (x) => x.deadlines?.provisional === false, 30_000);
    expect(exact.deadlines).toMatchObject({ promisedDue: '2027-01-08', provisional: false });
    expect(exact.officialNo).toBe(numbered.officialNo);
    const after = await hub.cli(['calendar', '--json']);
    expect(after.json).toMatchObject({ provisionalCases: 0 });
    expect((after.json as { years: number[] }).years).toContain(2027);
    await setClock(0);
  });
  it('lets only one processor hold the workflow lease', async () => {
    const store =
      mode === 'embedded'
        ? new AttachedEmbeddedStore(hub.dataDir, readEndpoint(hub.dataDir)!.port, hub.prefix)
        : new CouchStore(process.env.COUCHDB_URL!, hub.prefix);
    const health = await http<{ workflow: { active: boolean } }>(`${hub.url}/api/health`, {
      token: sup.token,
    });
    expect(health.body.workflow.active).toBe(true);
    // A second processor (here: in the test process) cannot take the lease the hub renews.
    const rival = new Lease(store);
    expect(await rival.acquireOrRenew()).toBe(false);

    // Renewals of one holder that overlap (a busy event loop delays one past the next tick)
    // all keep the lease: one of them wins the write, the others find the lease still theirs.
    // Before, the losers answered "lost" and a 1,000,000-case rebuild started over.
    const id = `lease:test-${mode}-${Date.now()}`;
    const holder = new Lease(store, id);
    const other = new Lease(store, id);
    expect(await holder.acquireOrRenew()).toBe(true);
    const mine = await Promise.all(Array.from({ length: 20 }, () => holder.acquireOrRenew()));
    expect(mine).toEqual(mine.map(() => true));
    const theirs = await Promise.all(Array.from({ length: 20 }, () => other.acquireOrRenew()));
    expect(theirs).toEqual(theirs.map(() => false));
  });
});
