/**
 * The refusal log cannot be flooded: a helper pushing refused rows as fast as the hub answers
 * (before: ~1,400 records a second, each with text of the helper's choosing) adds at most its
 * device's budget, exactly, even with many pushes at once; the rest is counted into one summary
 * record the supervisor sees. Text from the row is stored without control or direction
 * characters, and records past the retention period are deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc, EnrollResponse, RefusalRecord, RefusalsResponse } from '@sibantong/shared';
import { newCase } from './helpers/cases.js';
import {
  enrolDevices,
  http,
  loginAs,
  waitFor,
  type HttpResult,
  type TestClient,
} from './helpers/client.js';
import { startHub, type HubHandle } from './helpers/hubProcess.js';

const BURST = 100;

describe('the refusal log under a flood', () => {
  let hub: HubHandle;
  let devices: EnrollResponse[];
  let v: TestClient;
  let v2: TestClient;
  let sup: TestClient;
  let it_: TestClient;
  let template: CaseDoc;

  beforeAll(async () => {
    hub = await startHub({ mode: 'embedded', env: { HUB_REFUSAL_BURST: String(BURST) } });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    devices = await enrolDevices(hub, 'village-dq-01', 4);
    v = await loginAs(hub, devices[0]!, 'v.dq01');
    v2 = await loginAs(hub, devices[1]!, 'v.dq01');
    sup = await loginAs(hub, devices[2]!, 'sup');
    it_ = await loginAs(hub, devices[3]!, 'it');
    template = await newCase(v);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  /** A row the hub refuses at once (DELETE_FORBIDDEN), unique so it is not a retry. */
  const refusedRow = (n: number, extra: Partial<CaseDoc> = {}) => ({
    assumedMasterState: null,
    newDocumentState: { ...template, id: `case-flood-${n}`, ...extra, _deleted: true } as CaseDoc,
  });

  async function allRefusals(): Promise<RefusalRecord[]> {
    const out: RefusalRecord[] = [];
    let before: string | null = null;
    for (;;) {
      const q: URLSearchParams = new URLSearchParams({
        limit: '200',
        ...(before ? { before } : {}),
      });
      const r: HttpResult<RefusalsResponse> = await http<RefusalsResponse>(
        `${hub.url}/api/refusals?${q}`,
        { token: sup.token },
      );
      expect(r.status).toBe(200);
      out.push(...r.body.refusals);
      if (!r.body.next) return out;
      before = r.body.next;
    }
  }

  it('stores text from the row without control or direction characters', async () => {
    const res = await v2.push([
      refusedRow(0, { provisionalNo: '\u202eDQ01\u0007-<b>x</b>\u2066' }),
    ]);
    expect(res.body.results[0]?.status).toBe('refused');
    const rec = await waitFor(async () =>
      (await allRefusals()).find((r) => r.caseId === 'case-flood-0'),
    );
    expect(rec.provisionalNo).toBe('DQ01-<b>x</b>');
  });

  it('records at most the device budget from many concurrent pushes, and summarises the rest', async () => {
    const pushes = 50;
    const perPush = 10;
    const answers = await Promise.all(
      Array.from({ length: pushes }, (_, p) =>
        v.push(Array.from({ length: perPush }, (_, i) => refusedRow(1000 + p * perPush + i))),
      ),
    );
    // Every row is still answered as refused: the device learns about each one.
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body.results.every((r) => r.status === 'refused')).toBe(true);
    }
    const summary = await waitFor(async () =>
      (await allRefusals()).find(
        (r) => r.deviceId === v.deviceId && r.code === 'REFUSALS_SUPPRESSED',
      ),
    );
    const own = (await allRefusals()).filter(
      (r) => r.deviceId === v.deviceId && r.code !== 'REFUSALS_SUPPRESSED',
    );
    // The bucket refills one token every 10 s: a test this short may earn one or two more.
    expect(own.length).toBeGreaterThanOrEqual(BURST);
    expect(own.length).toBeLessThanOrEqual(BURST + 3);
    const counted = Number(/另有 (\d+) 条/.exec(summary.message)?.[1]);
    expect(own.length + counted).toBe(pushes * perPush);
    expect(summary.message).toContain('未逐条记录');
  });

  it('deletes records older than the retention period', async () => {
    expect((await allRefusals()).length).toBeGreaterThan(0);
    const shift = await http(`${hub.url}/api/admin/clock`, {
      token: it_.token,
      body: { offsetMs: 181 * 86_400_000 },
    });
    expect(shift.status).toBe(200);
    try {
      // Tokens issued before the shift have expired in hub time.
      sup = await loginAs(hub, devices[2]!, 'sup');
      expect(await allRefusals()).toEqual([]);
    } finally {
      it_ = await loginAs(hub, devices[3]!, 'it');
      await http(`${hub.url}/api/admin/clock`, { token: it_.token, body: { offsetMs: 0 } });
    }
  });
});
