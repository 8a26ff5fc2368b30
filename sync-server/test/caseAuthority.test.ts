/**
 * Authority at receipt and the rules around it, against a real hub over HTTP (issue 13; issue
 * 19 faults 3, 4, 5; issue 14's repeated claim). Each test is a finding that today's hub got
 * wrong: a back-dated extension or log line by a former holder, a supplement lost to a
 * suspension by device-id order, a case that grew past every cap, a result delivered to a
 * village of another town, identity fields never checked, a case vanishing for one refused
 * event, 退回 after a move, and a claim recorded twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_CASE_BYTES,
  MAX_CASE_EVENTS,
  MAX_NEW_EVENTS_PER_ROW,
  compareEvents,
  createEvent,
  deriveCaseFields,
  idDigest,
  jsonBytes,
  type CaseDoc,
  type CaseEvent,
  type CaseEventType,
  type EnrollResponse,
  type EventPayloads,
  type PushRowResult,
} from '@sibantong/shared';
import { enrolDevices, http, loginAs, waitFor, type TestClient } from './helpers/client.js';
import { MATTER_PENSION, newCase, pushVersions } from './helpers/cases.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';

/** An event by `client` written on the history `seen` (what its PC had when it wrote it). */
function eventOn<T extends CaseEventType>(
  client: TestClient,
  seen: readonly CaseEvent[],
  type: T,
  payload: EventPayloads[T],
): CaseEvent {
  return createEvent({
    caseEvents: seen,
    type,
    payload,
    actor: client.actor,
    deviceId: client.deviceId,
    counter: client.nextCounter(),
    now: new Date(),
  }) as CaseEvent;
}

/** The document a client pushes: the hub's copy plus its new events, derived fields redone. */
function plus(doc: CaseDoc, ...events: CaseEvent[]): CaseDoc {
  const all = [...doc.events, ...events];
  return { ...doc, events: all, ...deriveCaseFields(all), updatedAt: new Date().toISOString() };
}

const codeOf = (r: PushRowResult | undefined) => (r && 'code' in r ? r.code : r?.status);

/** Tomorrow in China: a valid 容缺 due date for a matter with 3 working days. */
function chinaTomorrow(): string {
  return new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
}

describe.each(storeModes())('case authority on the %s store', (mode) => {
  let hub: HubHandle;
  let devices: EnrollResponse[];
  let v: TestClient;
  let vLate: TestClient;
  let t: TestClient;
  let c: TestClient;
  let xh: TestClient;

  beforeAll(async () => {
    hub = await startHub({ mode });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    devices = await enrolDevices(hub, 'village-dq-01', 5);
    v = await loginAs(hub, devices[0]!, 'v.dq01');
    // A second PC of the same village helper: the one that was offline.
    vLate = await loginAs(hub, devices[1]!, 'v.dq01');
    t = await loginAs(hub, devices[2]!, 't.dq');
    c = await loginAs(hub, devices[3]!, 'c.agent');
    xh = await loginAs(hub, devices[4]!, 'v.xh01');
  });
  afterAll(async () => {
    await hub?.stop();
  });

  async function hubCopy(id: string, who: TestClient = c): Promise<CaseDoc | undefined> {
    return (await who.pullAll('cases')).get(id);
  }

  /** Received, accepted (容缺 when asked) and forwarded by the village; claimed by the town. */
  async function forwardedCase(deferred = false): Promise<CaseDoc> {
    const fresh = await newCase(v);
    const receive = fresh.events[0]!;
    const accept = eventOn(
      v,
      [receive],
      'accept',
      deferred
        ? {
            deferred: {
              materialIds: ['hukou'],
              dueDate: chinaTomorrow(),
              commitmentSigned: true,
            },
          }
        : {},
    );
    // The village's PC had seen one more event than this history shows (say, a log line of a
    // colleague's PC it pulled), so a gap of one lamport is left before the handoff.
    const forward = {
      ...eventOn(v, [receive, accept], 'forward', { toUnitId: 'town-dq', materials: [] }),
      lamport: accept.lamport + 2,
    } as CaseEvent;
    const [r1] = await pushVersions(v, [[null, plus(fresh, accept, forward)]]);
    expect(r1?.status).toBe('accepted');
    const stored = (r1 as { document: CaseDoc }).document;
    const claim = eventOn(t, stored.events, 'claim', {});
    const [r2] = await pushVersions(t, [[stored, plus(stored, claim)]]);
    expect(r2?.status).toBe('accepted');
    return (r2 as { document: CaseDoc }).document;
  }

  /**
   * An event by `client` placed right after `after` and before the handoff: what a PC that had
   * not yet seen the handoff would write (the lamport gap left by forwardedCase).
   */
  function backDated<T extends CaseEventType>(
    client: TestClient,
    doc: CaseDoc,
    after: CaseEvent,
    type: T,
    payload: EventPayloads[T],
  ): CaseEvent {
    const upTo = doc.events.filter((e) => compareEvents(e, after) <= 0);
    const event = eventOn(client, upTo, type, payload);
    const next = doc.events.find((e) => compareEvents(e, after) > 0);
    expect(next && compareEvents(event, next) < 0).toBe(true);
    return event;
  }

  it('refuses an extension and a log line a village back-dates before its handoff', async () => {
    const doc = await forwardedCase();
    const accept = doc.events.find((e) => e.type === 'accept')!;
    const withNumbers = await waitFor(async () => {
      const d = await hubCopy(doc.id);
      return d?.deadlines ? d : null;
    });
    const extend = backDated(vLate, doc, accept, 'extend', {
      reason: '情况复杂',
      extraDays: 30,
      approverName: '村主任',
    });
    const log = backDated(vLate, doc, accept, 'log', { text: '补记的日志' });
    const results = await pushVersions(vLate, [
      [null, { ...withNumbers, events: [extend] }],
      [null, { ...withNumbers, events: [log] }],
    ]);
    expect(results.map(codeOf)).toEqual(['LATE_EVENT_NOT_HOLDER', 'LATE_EVENT_NOT_HOLDER']);
    expect(results[0] && 'message' in results[0] ? results[0].message : '').toContain('延期');
    // The town's case is untouched: no extension, no log line, the same deadlines.
    await new Promise((r) => setTimeout(r, 1500));
    const after = (await hubCopy(doc.id))!;
    expect(after.events.map((e) => e.id)).toEqual(withNumbers.events.map((e) => e.id));
    expect(after.deadlines?.legalDue).toBe(withNumbers.deadlines?.legalDue);
    expect(after.deadlines?.promisedDue).toBe(withNumbers.deadlines?.promisedDue);
  });

  it('keeps a 容缺 supplement the village took in before it heard of the handoff', async () => {
    const doc = await forwardedCase(true);
    const accept = doc.events.find((e) => e.type === 'accept')!;
    const supplement = backDated(vLate, doc, accept, 'supplement', {
      materials: [{ materialId: 'hukou', name: '户口簿', originals: 1, copies: 1, missing: false }],
    });
    const [r] = await pushVersions(vLate, [[doc, plus(doc, supplement)]]);
    expect(r?.status).toBe('accepted');
    const after = (await hubCopy(doc.id))!;
    expect(after.events.map((e) => e.id)).toContain(supplement.id);
    expect(after.status).toBe('processing');
    expect(after.holderUnitId).toBe('town-dq');
  });

  // Issue 19 fault 3: which of the two sorts first used to decide whether the materials survive.
  for (const supplementSortsFirst of [true, false]) {
    for (const townFirst of [true, false]) {
      it(`keeps a village supplement and a town suspension (supplement sorts ${supplementSortsFirst ? 'first' : 'last'}, ${townFirst ? 'town' : 'village'} pushes first)`, async () => {
        const doc = await forwardedCase(true);
        const suspend = eventOn(t, doc.events, 'suspend', { kind: '现场勘验', reason: '需勘验' });
        let supplement = eventOn(v, doc.events, 'supplement', {
          materials: [
            { materialId: 'hukou', name: '户口簿', originals: 1, copies: 1, missing: false },
          ],
        });
        // Same history seen by both; the device ids decide the order — force each one.
        if (compareEvents(supplement, suspend) < 0 !== supplementSortsFirst) {
          supplement = {
            ...supplement,
            lamport: supplementSortsFirst ? suspend.lamport - 1 : suspend.lamport + 1,
          };
        }
        const pushTown = async () => (await pushVersions(t, [[doc, plus(doc, suspend)]]))[0];
        const pushVillage = async () => (await pushVersions(v, [[doc, plus(doc, supplement)]]))[0];
        const [first, second] = townFirst
          ? [await pushTown(), await pushVillage()]
          : [await pushVillage(), await pushTown()];
        expect([first?.status, second?.status]).toEqual(['accepted', 'accepted']);
        const after = (await hubCopy(doc.id))!;
        const ids = after.events.map((e) => e.id);
        expect(ids).toContain(supplement.id);
        expect(ids).toContain(suspend.id);
        expect(after.status).toBe('suspended');
      });
    }
  }

  it('refuses a row past the per-row cap alone, and the rest of the batch goes through', async () => {
    const doc = await newCase(v);
    const logs: CaseEvent[] = [];
    for (let i = 0; i <= MAX_NEW_EVENTS_PER_ROW; i += 1) {
      logs.push(eventOn(v, [...doc.events, ...logs], 'log', { text: `日志${i}` }));
    }
    const other = await newCase(v);
    const results = await pushVersions(v, [
      [null, plus(doc, ...logs)],
      [null, other],
    ]);
    expect(results.map(codeOf)).toEqual(['PUSH_EVENTS_LIMIT', 'accepted']);
    // Split as the client does, it goes through.
    const split = await pushVersions(v, [[null, plus(doc, ...logs.slice(0, 250))]]);
    expect(split[0]?.status).toBe('accepted');
  });

  it('refuses an oversized row alone instead of failing its whole batch', async () => {
    const doc = await newCase(v);
    const logs: CaseEvent[] = [];
    for (let bytes = 0; bytes < 1.1 * 1024 * 1024;) {
      const log = eventOn(v, logs.length ? [logs[logs.length - 1]!] : doc.events, 'log', {
        text: 'x'.repeat(1990),
      });
      logs.push(log);
      bytes += jsonBytes(log);
    }
    const other = await newCase(v);
    const r = await v.push([
      { assumedMasterState: null, newDocumentState: plus(doc, ...logs) },
      { assumedMasterState: null, newDocumentState: other },
    ]);
    expect(r.status).toBe(200);
    expect(r.body.results.map(codeOf)).toEqual(['ROW_TOO_LARGE', 'accepted']);
  });

  it('keeps a case under its caps however its rows are cut', async () => {
    const fresh = await newCase(v);
    const [r0] = await pushVersions(v, [[null, fresh]]);
    expect(r0?.status).toBe('accepted');
    let known: CaseEvent[] = [...fresh.events];
    let refusal: PushRowResult | undefined;
    // Rows without an assumed master carry only their new events, 500 log lines each.
    for (let round = 0; round < 14 && !refusal; round += 1) {
      const batch: CaseEvent[] = [];
      for (let i = 0; i < MAX_NEW_EVENTS_PER_ROW; i += 1) {
        batch.push(
          eventOn(v, [...known, ...batch], 'log', { text: `第${round}轮第${i}条工作日志` }),
        );
      }
      const [r] = await pushVersions(v, [[null, { ...fresh, events: batch }]]);
      if (r?.status !== 'accepted') refusal = r;
      known = [...known, ...batch];
    }
    expect(['CASE_TOO_LARGE', 'CASE_EVENTS_LIMIT']).toContain(codeOf(refusal));
    const stored = (await hubCopy(fresh.id))!;
    expect(stored.events.length).toBeLessThanOrEqual(MAX_CASE_EVENTS);
    expect(jsonBytes(stored)).toBeLessThanOrEqual(MAX_CASE_BYTES);
  });

  it('delivers a 即办 result only at the case’s own windows', async () => {
    const fresh = await newCase(v, { matterCode: MATTER_PENSION });
    const receive = fresh.events[0]!;
    const accept = eventOn(v, [receive], 'accept', {});
    const conclude = eventOn(v, [receive, accept], 'conclude', {
      outcome: 'approved',
      opinion: '准予',
      deliverAtUnitId: 'village-xh-01',
    });
    const [r] = await pushVersions(v, [[null, plus(fresh, accept, conclude)]]);
    expect(codeOf(r)).toBe('TARGET_UNIT_INVALID');
    expect(r && 'refusedEventIds' in r ? r.refusedEventIds : []).toEqual([conclude.id]);
    // The other town's village never gets the applicant's identity.
    expect((await xh.pullAll('cases')).has(fresh.id)).toBe(false);
    // Delivered at the origin, the same conclusion is fine.
    const stored = (await hubCopy(fresh.id, v))!;
    const atHome = eventOn(v, stored.events, 'conclude', {
      outcome: 'approved',
      opinion: '准予',
      deliverAtUnitId: 'village-dq-01',
    });
    const [ok] = await pushVersions(v, [[stored, plus(stored, atHome)]]);
    expect(ok?.status).toBe('accepted');
  });

  it('re-checks the applicant’s identity fields with the shared rules', async () => {
    const variants: Array<[string, string[], (d: CaseDoc) => Promise<CaseDoc>]> = [
      ['ID "123"', ['APPLICANT_ID_INVALID'], (d) => withId(d, '123')],
      [
        'wrong check digit',
        ['APPLICANT_ID_INVALID'],
        (d) => withId(d, flipCheck(d.applicant.idNumber)),
      ],
      [
        'invalid USCC',
        ['APPLICANT_ID_INVALID'],
        async (d) => ({
          ...(await withId(d, '91110000600037341X')),
          applicant: { ...d.applicant, kind: 'enterprise', idNumber: '91110000600037341X' },
        }),
      ],
      [
        'phone "abc"',
        ['APPLICANT_PHONE_INVALID', 'CASE_SCHEMA_INVALID'],
        async (d) => ({ ...d, applicant: { ...d.applicant, phone: 'abc' } }),
      ],
      [
        'full ID in the masked field',
        ['APPLICANT_MASK_MISMATCH', 'CASE_SCHEMA_INVALID'],
        async (d) => ({ ...d, applicantIdMasked: d.applicant.idNumber }),
      ],
      [
        'a masked field that is not this ID’s',
        ['APPLICANT_MASK_MISMATCH'],
        async (d) => ({ ...d, applicantIdMasked: '440301********0000' }),
      ],
      [
        'agent with a bad ID',
        ['AGENT_ID_INVALID'],
        async (d) => ({
          ...d,
          applicant: {
            ...d.applicant,
            agent: { name: '代办人', idNumber: '110101199003071231', phone: '13900139000' },
          },
        }),
      ],
    ];
    const docs: CaseDoc[] = [];
    for (const [, , change] of variants) docs.push(await change(await newCase(v)));
    const results = await pushVersions(
      v,
      docs.map((d) => [null, d]),
    );
    variants.forEach(([name, codes], i) => {
      const code = codeOf(results[i]) ?? '';
      expect([name, codes.includes(code) ? 'refused as expected' : code]).toEqual([
        name,
        'refused as expected',
      ]);
      expect(results[i] && 'message' in results[i]! ? results[i].message : '').toMatch(
        /[\u4e00-\u9fff]/,
      );
    });
    const all = await c.pullAll('cases');
    for (const d of docs) expect(all.has(d.id)).toBe(false);
  });

  it('stores the accepted part of a new case whose later event is refused', async () => {
    const fresh = await newCase(v);
    const receive = fresh.events[0]!;
    const badAccept = eventOn(v, [receive], 'accept', {
      deferred: { materialIds: ['hukou'], dueDate: '2020-01-01', commitmentSigned: true },
    });
    const [r] = await pushVersions(v, [[null, plus(fresh, badAccept)]]);
    expect(r?.status).toBe('refused');
    expect(codeOf(r)).toBe('INVALID_PAYLOAD');
    expect(r && 'refusedEventIds' in r ? r.refusedEventIds : []).toEqual([badAccept.id]);
    const master = r && 'master' in r ? r.master : null;
    expect(master?.events.map((e) => e.id)).toEqual([receive.id]);
    // The case did not vanish: the village and the hub keep the receive.
    const stored = (await hubCopy(fresh.id, v))!;
    expect(stored.events.map((e) => e.id)).toEqual([receive.id]);
    expect(stored.status).toBe('received');
  });

  it('returns a moved case to its new village, never to the one it left', async () => {
    const fresh = await newCase(v);
    const forward = eventOn(v, fresh.events, 'forward', { toUnitId: 'town-dq', materials: [] });
    const [r1] = await pushVersions(v, [[null, plus(fresh, forward)]]);
    expect(r1?.status).toBe('accepted');
    const moved = await http<{ document: CaseDoc }>(`${hub.url}/api/admin/cases/${fresh.id}/move`, {
      token: c.token,
      body: { toUnitId: 'village-dq-02', reason: '申请人户籍迁至二村' },
    });
    expect(moved.status).toBe(200);
    const doc = (await hubCopy(fresh.id, t))!;
    const toOld = eventOn(t, doc.events, 'return_for_correction', {
      toUnitId: 'village-dq-01',
      reason: '材料不清',
    });
    const [refused] = await pushVersions(t, [[doc, plus(doc, toOld)]]);
    expect(codeOf(refused)).toBe('TARGET_UNIT_INVALID');
    const toNew = eventOn(t, doc.events, 'return_for_correction', {
      toUnitId: 'village-dq-02',
      reason: '材料不清',
    });
    const [accepted] = await pushVersions(t, [[doc, plus(doc, toNew)]]);
    expect(accepted?.status).toBe('accepted');
    expect((await hubCopy(fresh.id))?.holderUnitId).toBe('village-dq-02');
  });

  it("takes an edit on the moved header against an older record of the hub's copy; still refuses a header of its own", async () => {
    // The town PC holds the moved case (origin 二村) but RxDB's record of the hub's copy is
    // the version before the move (the app closed between RxDB's two writes of a page).
    const fresh = await newCase(v);
    const forward = eventOn(v, fresh.events, 'forward', { toUnitId: 'town-dq', materials: [] });
    const [r1] = await pushVersions(v, [[null, plus(fresh, forward)]]);
    const before = (r1 as { document: CaseDoc }).document;
    const moved = await http(`${hub.url}/api/admin/cases/${fresh.id}/move`, {
      token: c.token,
      body: { toUnitId: 'village-dq-02', reason: '申请人户籍迁至二村' },
    });
    expect(moved.status).toBe(200);
    const now = (await hubCopy(fresh.id, t))!;
    const claim = eventOn(t, now.events, 'claim', {});
    const [ok] = await pushVersions(t, [[before, plus(now, claim)]]);
    expect(ok?.status).toBe('accepted');
    // A header neither the record nor the hub ever had is still a change.
    const log = eventOn(t, [...now.events, claim], 'log', { text: '电话联系申请人' });
    const after = (await hubCopy(fresh.id, t))!;
    const [bad] = await pushVersions(t, [
      [before, { ...plus(after, log), originUnitId: 'village-dq-03' }],
    ]);
    expect(codeOf(bad)).toBe('CASE_IDENTITY_CHANGED');
  });

  it('refuses a second claim by the user who already handles the case', async () => {
    const doc = await forwardedCase();
    const again = eventOn(t, doc.events, 'claim', {});
    const [r] = await pushVersions(t, [[doc, plus(doc, again)]]);
    expect(codeOf(r)).toBe('CLAIM_DUPLICATED');
    expect((await hubCopy(doc.id))?.events.filter((e) => e.type === 'claim')).toHaveLength(1);
  });
});

async function withId(doc: CaseDoc, idNumber: string): Promise<CaseDoc> {
  return {
    ...doc,
    applicant: { ...doc.applicant, idNumber },
    applicantIdDigest: await idDigest(idNumber),
    applicantIdMasked:
      idNumber.length > 10
        ? `${idNumber.slice(0, 6)}${'*'.repeat(idNumber.length - 10)}${idNumber.slice(-4)}`
        : '*'.repeat(idNumber.length),
  };
}

function flipCheck(id: string): string {
  const last = id.slice(-1) === '0' ? '1' : '0';
  return id.slice(0, -1) + last;
}
