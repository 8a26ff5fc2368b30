/**
 * A catalogue of forged or malformed pushes. Each is refused with its own stable code and a
 * Chinese message, and nothing of it is stored; a refused row never blocks the rows after it.
 */
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc, CaseEvent, EnrollResponse, PushRow } from '@sibantong/shared';
import { idDigest } from '@sibantong/shared';
import {
  authHeaders,
  enrolDevices,
  http,
  loginAs,
  waitFor,
  type TestClient,
} from './helpers/client.js';
import {
  MATTER_LEGAL_AID,
  newCase,
  pushVersions,
  validIdNumber,
  withEvent,
} from './helpers/cases.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';

interface RowForgery {
  name: string;
  code: string;
  by?: 'v' | 'v2';
  row: () => Promise<PushRow> | PushRow;
}
interface RequestForgery {
  name: string;
  code: string;
  status: number;
  send: () => Promise<{ status: number; body: unknown }>;
}

const lastEvent = (doc: CaseDoc): CaseEvent => doc.events[doc.events.length - 1]!;
function tamperLast(doc: CaseDoc, change: (e: Record<string, unknown>) => void): CaseDoc {
  const e = structuredClone(lastEvent(doc)) as unknown as Record<string, unknown>;
  change(e);
  return { ...doc, events: [...doc.events.slice(0, -1), e as unknown as CaseEvent] };
}

describe.each(storeModes())('forged pushes on the %s store', (mode) => {
  let hub: HubHandle;
  let devices: EnrollResponse[];
  let v: TestClient;
  let v2: TestClient;
  let centre: TestClient;
  let base: CaseDoc;
  let before: Map<string, string>;

  beforeAll(async () => {
    hub = await startHub({ mode });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    devices = await enrolDevices(hub, 'village-dq-01', 4);
    v = await loginAs(hub, devices[0]!, 'v.dq01');
    v2 = await loginAs(hub, devices[1]!, 'v.dq02');
    centre = await loginAs(hub, devices[2]!, 'c.agent');
    const fresh = await newCase(v);
    const [res] = await pushVersions(v, [[null, fresh]]);
    expect(res?.status).toBe('accepted');
    // Let the workflow bind the official number first, so the snapshot below is final.
    base = await waitFor(async () => {
      const d = (await v.pullAll('cases')).get(fresh.id);
      return d?.officialNo ? d : null;
    });
    before = await snapshot();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  async function snapshot(): Promise<Map<string, string>> {
    const all = await centre.pullAll('cases');
    return new Map([...all].map(([id, d]) => [id, JSON.stringify(d.events.map((e) => e.id))]));
  }

  const logOn = (doc: CaseDoc, who = v) => withEvent(who, doc, 'log', { text: '工作日志' });

  const rowForgeries: RowForgery[] = [
    {
      name: 'deletes a case',
      code: 'DELETE_FORBIDDEN',
      row: () => ({ assumedMasterState: base, newDocumentState: { ...base, _deleted: true } }),
    },
    {
      name: 'breaks the schema',
      code: 'CASE_SCHEMA_INVALID',
      row: async () => {
        const d = (await newCase(v)) as unknown as Record<string, unknown>;
        delete d.applicant;
        return { assumedMasterState: null, newDocumentState: d as unknown as CaseDoc };
      },
    },
    {
      name: 'claims a master of another case',
      code: 'ASSUMED_MASTER_MISMATCH',
      row: () => ({
        assumedMasterState: { ...base, id: 'case-other' },
        newDocumentState: logOn(base),
      }),
    },
    {
      name: 'drops events it knew (history shortened)',
      code: 'HISTORY_SHORTENED',
      row: () => {
        const next = logOn(base);
        return {
          assumedMasterState: base,
          newDocumentState: { ...next, events: [lastEvent(next)] },
        };
      },
    },
    {
      name: 'rewrites an existing event',
      code: 'EVENT_IMMUTABLE',
      row: () => {
        const first = structuredClone(base.events[0]!) as CaseEvent & {
          payload: { applicantName: string };
        };
        first.payload.applicantName = '改过的名字';
        const next = logOn(base);
        return {
          assumedMasterState: base,
          newDocumentState: { ...next, events: [first, ...next.events.slice(1)] },
        };
      },
    },
    {
      name: 'stamps its own hub time',
      code: 'EVENT_HUBTIME_FORGED',
      row: () => ({
        assumedMasterState: base,
        newDocumentState: tamperLast(logOn(base), (e) => (e.hubTime = '2020-01-01T00:00:00.000Z')),
      }),
    },
    {
      name: 'writes in another user’s name',
      code: 'EVENT_ACTOR_NOT_CALLER',
      row: () => ({
        assumedMasterState: base,
        newDocumentState: tamperLast(
          logOn(base),
          (e) => (e.actor = { ...(e.actor as object), userId: 'u-v.dq02' }),
        ),
      }),
    },
    {
      name: 'claims a role it does not have',
      code: 'EVENT_ACTOR_FORGED',
      row: () => ({
        assumedMasterState: base,
        newDocumentState: tamperLast(
          logOn(base),
          (e) =>
            (e.actor = { ...(e.actor as object), role: 'centre_agent', orgUnitId: 'county-sx' }),
        ),
      }),
    },
    {
      name: 'writes from another device',
      code: 'EVENT_DEVICE_MISMATCH',
      row: () => ({
        assumedMasterState: base,
        newDocumentState: tamperLast(logOn(base), (e) => (e.deviceId = 'dev-someone-else')),
      }),
    },
    {
      name: 'sets the official number',
      code: 'OFFICIAL_NO_FORGED',
      row: () => ({
        assumedMasterState: base,
        newDocumentState: { ...logOn(base), officialNo: 'SX-2026-999999' },
      }),
    },
    {
      name: 'sets deadlines',
      code: 'DEADLINES_FORGED',
      row: () => ({
        assumedMasterState: base,
        newDocumentState: {
          ...logOn(base),
          deadlines: {
            startDate: '2026-01-05',
            legalDue: '2099-01-01',
            promisedDue: '2099-01-01',
            computedAt: '2026-01-05T00:00:00.000Z',
          },
        },
      }),
    },
    {
      name: 'adds former units',
      code: 'FORMER_UNITS_FORGED',
      row: () => ({
        assumedMasterState: base,
        newDocumentState: { ...logOn(base), formerUnitIds: ['village-xh-01'] },
      }),
    },
    {
      name: 'renames the applicant of a stored case',
      code: 'CASE_IDENTITY_CHANGED',
      row: () => ({
        assumedMasterState: base,
        newDocumentState: { ...logOn(base), applicantName: '别人' },
      }),
    },
    {
      name: 'disagrees with its own receive event',
      code: 'CASE_HEADER_MISMATCH',
      row: async () => ({
        assumedMasterState: null,
        newDocumentState: { ...(await newCase(v)), applicantName: '另一个人' },
      }),
    },
    {
      name: 'names a matter not in the catalogue',
      code: 'UNKNOWN_MATTER',
      row: async () => ({
        assumedMasterState: null,
        newDocumentState: await newCase(v, { matterCode: 'NO-SUCH-MATTER' }),
      }),
    },
    {
      name: 'claims another village as origin',
      code: 'ORIGIN_UNIT_MISMATCH',
      row: async () => ({
        assumedMasterState: null,
        newDocumentState: { ...(await newCase(v)), originUnitId: 'village-dq-02' },
      }),
    },
    {
      name: 'files the case under another town',
      code: 'TOWN_MISMATCH',
      row: async () => ({
        assumedMasterState: null,
        newDocumentState: { ...(await newCase(v)), townId: 'town-xh' },
      }),
    },
    {
      name: 'carries a digest of another ID number',
      code: 'APPLICANT_DIGEST_MISMATCH',
      row: async () => ({
        assumedMasterState: null,
        newDocumentState: {
          ...(await newCase(v)),
          applicantIdDigest: await idDigest(validIdNumber(999)),
        },
      }),
    },
    {
      name: 'uses an unsafe case id',
      code: 'CASE_ID_INVALID',
      row: async () => ({
        assumedMasterState: null,
        newDocumentState: await newCase(v, { id: 'bad id/../x' }),
      }),
    },
    {
      name: 'acts on another village’s case',
      code: 'OUT_OF_SCOPE',
      by: 'v2',
      row: () => ({ assumedMasterState: base, newDocumentState: logOn(base, v2) }),
    },
    {
      name: 'concludes a case never accepted',
      code: 'ILLEGAL_TRANSITION',
      row: () => ({
        assumedMasterState: base,
        newDocumentState: withEvent(v, base, 'conclude', { outcome: 'approved', opinion: '同意' }),
      }),
    },
    {
      name: 'assigns like a centre agent',
      code: 'ROLE_NOT_PERMITTED',
      row: () => ({
        assumedMasterState: base,
        newDocumentState: withEvent(v, base, 'assign', {
          toUserId: 'u-v.dq01',
          toUserName: '李秀英',
        }),
      }),
    },
    {
      name: 'receives the same case twice',
      code: 'RECEIVE_DUPLICATED',
      row: () => {
        const first = base.events[0]! as CaseEvent & { type: 'receive' };
        return {
          assumedMasterState: base,
          newDocumentState: withEvent(v, base, 'receive', first.payload),
        };
      },
    },
    {
      name: 'forwards to a town it does not belong to',
      code: 'TARGET_UNIT_INVALID',
      row: () => ({
        assumedMasterState: base,
        newDocumentState: withEvent(v, base, 'forward', { toUnitId: 'town-xh', materials: [] }),
      }),
    },
    {
      name: 'accepts under 容缺 with a due date in the past',
      code: 'INVALID_PAYLOAD',
      row: () => ({
        assumedMasterState: base,
        newDocumentState: withEvent(v, base, 'accept', {
          deferred: { materialIds: ['id-card'], dueDate: '2020-01-01', commitmentSigned: true },
        }),
      }),
    },
    {
      name: 'adds an event of another case',
      code: 'CASE_ID_MISMATCH',
      row: () => ({
        assumedMasterState: base,
        newDocumentState: tamperLast(logOn(base), (e) => (e.caseId = 'case-other')),
      }),
    },
    {
      name: 'sends two different events under one id',
      code: 'EVENT_ID_CONFLICT',
      row: () => {
        const one = logOn(base);
        const twin = structuredClone(lastEvent(one)) as CaseEvent & { payload: { text: string } };
        twin.payload.text = '另一条';
        return {
          assumedMasterState: base,
          newDocumentState: { ...one, events: [...one.events, twin] },
        };
      },
    },
    {
      name: 'starts a case without a receive event',
      code: 'CASE_NOT_RECEIVED',
      row: async () => {
        const d = await newCase(v);
        const log = withEvent(v, d, 'log', { text: '无收件' });
        return { assumedMasterState: null, newDocumentState: { ...log, events: [lastEvent(log)] } };
      },
    },
  ];

  const push = (body: unknown, token?: string, headers?: Record<string, string>) =>
    http(`${hub.url}/api/sync/cases/push`, {
      token: token ?? v.token,
      ...(typeof body === 'string'
        ? { raw: body, headers: headers ?? { 'content-type': 'application/json' } }
        : { body }),
    });

  const requestForgeries: RequestForgery[] = [
    { name: 'malformed JSON', code: 'INVALID_JSON', status: 400, send: () => push('{"rows": [') },
    { name: 'empty body', code: 'EMPTY_BODY', status: 400, send: () => push('') },
    {
      name: 'not JSON at all',
      code: 'UNSUPPORTED_MEDIA_TYPE',
      status: 415,
      send: () => push('rows=1', undefined, { 'content-type': 'text/plain' }),
    },
    {
      name: 'rows of the wrong type',
      code: 'INVALID_BODY',
      status: 400,
      send: () => push({ rows: 'all of them' }),
    },
    {
      name: 'an oversized body',
      code: 'BODY_TOO_LARGE',
      status: 413,
      send: () => push({ rows: [], pad: 'x'.repeat(3 * 1024 * 1024) }),
    },
    {
      name: 'too many rows',
      code: 'PUSH_TOO_MANY_ROWS',
      status: 400,
      send: () =>
        push({
          rows: Array.from({ length: 101 }, () => ({
            assumedMasterState: null,
            newDocumentState: base,
          })),
        }),
    },
    {
      name: 'no token',
      code: 'AUTH_REQUIRED',
      status: 401,
      send: () => http(`${hub.url}/api/sync/cases/push`, { body: { rows: [] } }),
    },
    {
      name: 'a token with a forged signature',
      code: 'TOKEN_INVALID',
      status: 401,
      send: () =>
        push(
          { rows: [{ assumedMasterState: base, newDocumentState: logOn(base) }] },
          `${v.token.slice(0, -4)}AAAA`,
        ),
    },
    {
      name: 'a revoked device',
      code: 'DEVICE_REVOKED',
      status: 401,
      send: async () => {
        const victim = await loginAs(hub, devices[3]!, 'v.dq01');
        expect((await hub.cli(['device', 'revoke', devices[3]!.deviceId])).code).toBe(0);
        return push(
          { rows: [{ assumedMasterState: base, newDocumentState: logOn(base, victim) }] },
          victim.token,
        );
      },
    },
  ];

  const seen: string[] = [];

  it.each(rowForgeries.map((f) => [f.name, f] as const))(
    'refuses a push that %s',
    async (_name, f) => {
      const row = await f.row();
      const client = f.by === 'v2' ? v2 : v;
      const r = await client.push([row]);
      expect(r.status).toBe(200);
      const [res] = r.body.results;
      expect(res?.status).toBe('refused');
      expect(res && 'code' in res ? res.code : '').toBe(f.code);
      expect(res && 'message' in res ? res.message : '').toMatch(/[\u4e00-\u9fff]/);
      seen.push(f.code);
    },
  );

  it.each(requestForgeries.map((f) => [f.name, f] as const))(
    'refuses a request with %s',
    async (_name, f) => {
      const r = await f.send();
      expect(r.status).toBe(f.status);
      expect((r.body as { code: string }).code).toBe(f.code);
      expect((r.body as { message: string }).message).toMatch(/[\u4e00-\u9fff]/);
      seen.push(f.code);
    },
  );

  it('answers a body far over the limit with the refusal while the PC is still sending it', async () => {
    // 24 MB over a kept-alive connection, as browsers send: the hub refuses at the first bytes.
    // It used to close the connection while the sender was still writing, which then saw
    // EPIPE (a network error: a PC retries the same batch) instead of 413 and its code (a PC
    // splits the batch).
    const agent = new Agent({ keepAlive: true });
    try {
      for (let i = 0; i < 3; i += 1) {
        const answer = await postInChunks(
          `${hub.url}/api/sync/cases/push`,
          { ...authHeaders(v.token), 'content-type': 'application/json' },
          24 * 1024 * 1024,
          agent,
        );
        expect(answer.error).toBeNull();
        expect(answer.status).toBe(413);
        expect((JSON.parse(answer.text) as { code: string }).code).toBe('BODY_TOO_LARGE');
      }
    } finally {
      agent.destroy();
    }
    expect((await http(`${hub.url}/api/health`)).status).toBe(200);
  });

  it('gave every forgery its own code, and stored nothing', async () => {
    expect(seen.length).toBe(rowForgeries.length + requestForgeries.length);
    expect(seen.length).toBeGreaterThanOrEqual(25);
    expect(new Set(seen).size).toBe(seen.length);
    expect(await snapshot()).toEqual(before);
  });

  it('never blocks the rows after a refused one', async () => {
    const good = await newCase(v, { matterCode: MATTER_LEGAL_AID });
    const r = await v.push([
      {
        assumedMasterState: base,
        newDocumentState: { ...logOn(base), officialNo: 'SX-2026-999999' },
      },
      { assumedMasterState: null, newDocumentState: good },
      { assumedMasterState: base, newDocumentState: logOn(base) },
    ]);
    expect(r.body.results.map((x) => x.status)).toEqual(['refused', 'accepted', 'accepted']);
    const refused = r.body.results[0]!;
    expect(refused.status === 'refused' && refused.master?.id).toBe(base.id);
  });
});

/**
 * POSTs `total` bytes of body, 1 MB a write, and keeps writing whatever the answer: the status
 * and text of the answer, or the error the connection gave the sender.
 */
function postInChunks(
  url: string,
  headers: Record<string, string>,
  total: number,
  agent: Agent,
): Promise<{ status: number; text: string; error: string | null }> {
  return new Promise((resolve) => {
    let status = 0;
    let text = '';
    let error: string | null = null;
    let answered = false;
    let written = false;
    const done = () => resolve({ status, text, error });
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(total) } },
      (res) => {
        status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          answered = true;
          if (written) done();
        });
      },
    );
    req.on('error', (err) => {
      error = (err as NodeJS.ErrnoException).code ?? err.message;
      done();
    });
    void (async () => {
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let sent = 0; sent < total && error === null; sent += chunk.length) {
        await new Promise<void>((r) => req.write(chunk, () => r()));
      }
      req.end();
      written = true;
      if (answered) done();
    })();
  });
}
