/**
 * The supervisor's side over a real hub: recording the follow-up steps of a 差评 ticket
 * (POST /api/tickets/:id/steps) and reading the writes the hub refused (GET /api/refusals).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDoc, RefusalsResponse, TicketDoc, TicketStepResponse } from '@sibantong/shared';
import { http, waitFor, type TestClient } from './helpers/client.js';
import { MATTER_PENSION, newCase, pushVersions, withEvent } from './helpers/cases.js';
import { storeModes, type HubHandle } from './helpers/hubProcess.js';
import { demoHubWithUsers } from './helpers/demoHub.js';

describe.each(storeModes())('差评 follow-up and refusals on the %s store', (mode) => {
  let hub: HubHandle;
  let v: TestClient;
  let sup: TestClient;
  let agent: TestClient;

  beforeAll(async () => {
    ({
      hub,
      users: [v, sup, agent],
    } = await demoHubWithUsers(mode, ['v.dq01', 'sup', 'c.agent'] as const));
  });
  afterAll(async () => {
    await hub?.stop();
  });

  async function badRatingTicket(): Promise<TicketDoc> {
    let d = await newCase(v, { matterCode: MATTER_PENSION });
    d = withEvent(v, d, 'accept', {});
    d = withEvent(v, d, 'conclude', { outcome: 'approved', opinion: '符合条件，准予登记' });
    d = withEvent(v, d, 'deliver_result', { method: 'collected', recipientName: '王小明' });
    d = withEvent(v, d, 'rate', { level: 4, channel: 'pad', realName: true, text: '态度差' });
    const [res] = await pushVersions(v, [[null, d]]);
    expect(res?.status).toBe('accepted');
    return waitFor(async () =>
      [...(await sup.pullAll<TicketDoc>('tickets')).values()].find((t) => t.caseId === d.id),
    );
  }

  const step = (c: TestClient, id: string, body: unknown) =>
    http<TicketStepResponse & { code?: string; message?: string }>(
      `${hub.url}/api/tickets/${encodeURIComponent(id)}/steps`,
      { token: c.token, body },
    );

  it('records verify → rectify → feedback → call back, in order, stamped with hub time', async () => {
    const ticket = await badRatingTicket();
    expect(ticket.status).toBe('open');

    const before = Date.now();
    const verified = await step(sup, ticket.id, { status: 'verifying', note: '已电话核实' });
    expect(verified.status).toBe(200);
    expect(verified.body.ticket.status).toBe('verifying');
    const s0 = verified.body.ticket.steps[0]!;
    expect(s0).toMatchObject({
      byUserId: sup.actor.userId,
      byRole: 'supervisor',
      note: '已电话核实',
    });
    expect(Date.parse(s0.at)).toBeGreaterThanOrEqual(before - 5000);
    expect(Object.keys(verified.body.ticket)).not.toContain('hubScope');

    // The same step twice (a second supervisor, or a double click) is a state conflict.
    const again = await step(sup, ticket.id, { status: 'verifying', note: '重复' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TICKET_STEP_OUT_OF_ORDER');
    // Skipping a step is refused too.
    expect((await step(sup, ticket.id, { status: 'feedback', note: '跳过' })).body.code).toBe(
      'TICKET_STEP_OUT_OF_ORDER',
    );

    // The centre agent may rectify, but not close.
    expect(
      (await step(agent, ticket.id, { status: 'rectifying', note: '窗口已整改' })).status,
    ).toBe(200);
    expect((await step(sup, ticket.id, { status: 'feedback', note: '已反馈申请人' })).status).toBe(
      200,
    );
    const agentClose = await step(agent, ticket.id, {
      status: 'closed',
      note: '回访',
      callBackResult: 'satisfied',
    });
    expect(agentClose.status).toBe(403);
    expect(agentClose.body.code).toBe('ROLE_NOT_PERMITTED');

    const noResult = await step(sup, ticket.id, { status: 'closed', note: '回访' });
    expect(noResult.status).toBe(400);
    expect(noResult.body).toMatchObject({ code: 'TICKET_CALLBACK_REQUIRED' });
    expect(noResult.body.message).toMatch(/回访结果/);

    const closed = await step(sup, ticket.id, {
      status: 'closed',
      note: '回访申请人，认可整改',
      callBackResult: 'basically_satisfied',
    });
    expect(closed.status).toBe(200);
    expect(closed.body.ticket.steps.map((s) => s.status)).toEqual([
      'verifying',
      'rectifying',
      'feedback',
      'closed',
    ]);
    expect((await step(sup, ticket.id, { status: 'closed', note: 'x' })).body.code).toBe(
      'TICKET_CLOSED',
    );

    // It flows to the village (its case) through the tickets pull collection.
    const atVillage = await waitFor(async () => {
      const t = (await v.pullAll<TicketDoc>('tickets')).get(ticket.id);
      return t?.status === 'closed' ? t : null;
    });
    expect(atVillage.steps[3]).toMatchObject({ callBackResult: 'basically_satisfied' });
  });

  it('refuses bad input, other roles and unknown tickets with 4xx and a Chinese message', async () => {
    const ticket = await badRatingTicket();
    const cases: Array<[TestClient, string, unknown, number, string]> = [
      [v, ticket.id, { status: 'verifying', note: '村里登记' }, 403, 'ROLE_NOT_PERMITTED'],
      [sup, 'ticket:none', { status: 'verifying', note: '核实' }, 404, 'TICKET_NOT_FOUND'],
      [sup, ticket.id, { status: 'verifying', note: '   ' }, 400, 'TICKET_NOTE_REQUIRED'],
      [
        sup,
        ticket.id,
        { status: 'verifying', note: '长'.repeat(501) },
        400,
        'TICKET_NOTE_TOO_LONG',
      ],
      [sup, ticket.id, { status: 'reopened', note: '核实' }, 400, 'INVALID_BODY'],
      [sup, ticket.id, { status: 'verifying' }, 400, 'INVALID_BODY'],
      [sup, ticket.id, { status: 'verifying', note: '核实', byUserId: 'x' }, 400, 'INVALID_BODY'],
      [
        sup,
        ticket.id,
        { status: 'verifying', note: '核实', callBackResult: 'satisfied' },
        400,
        'TICKET_CALLBACK_ONLY_ON_CLOSE',
      ],
    ];
    for (const [c, id, body, status, code] of cases) {
      const r = await step(c, id, body);
      expect({ status: r.status, code: r.body.code }, JSON.stringify(body)).toEqual({
        status,
        code,
      });
      expect(r.body.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    const raw = await http(`${hub.url}/api/tickets/${ticket.id}/steps`, {
      token: sup.token,
      raw: '{"status":',
      headers: { 'content-type': 'application/json' },
    });
    expect(raw.status).toBe(400);
    const anonymous = await http(`${hub.url}/api/tickets/${ticket.id}/steps`, {
      body: { status: 'verifying', note: '核实' },
    });
    expect(anonymous.status).toBe(401);
    // Nothing was recorded.
    const stored = (await sup.pullAll<TicketDoc>('tickets')).get(ticket.id);
    expect(stored?.steps).toEqual([]);
  });

  it('keeps every refused row for the supervisor, without applicant identity, in pages', async () => {
    const names = ['赵一', '钱二', '孙三'];
    const refusedCases: CaseDoc[] = [];
    for (const applicantName of names) {
      // Rating a case that was never delivered: the shared machine refuses the event.
      let d = await newCase(v, { matterCode: MATTER_PENSION, applicantName });
      d = withEvent(v, d, 'rate', { level: 5, channel: 'pad', realName: true });
      const [res] = await pushVersions(v, [[null, d]]);
      expect(res?.status).toBe('refused');
      refusedCases.push(d);
    }
    // The same refused row again (a retry) adds no second record.
    await pushVersions(v, [[null, refusedCases[2]!]]);

    const list = (c: TestClient, q = '') =>
      http<RefusalsResponse & { code?: string }>(`${hub.url}/api/refusals${q}`, { token: c.token });
    expect((await list(v)).status).toBe(403);
    expect((await list(v)).body.code).toBe('ROLE_NOT_PERMITTED');
    expect((await list(agent)).status).toBe(403);
    expect((await list(sup, '?limit=0')).body.code).toBe('INVALID_LIMIT');
    expect((await list(sup, '?limit=abc')).body.code).toBe('INVALID_QUERY');

    const all = await list(sup, '?limit=200');
    expect(all.status).toBe(200);
    const mine = all.body.refusals.filter((r) => refusedCases.some((c) => c.id === r.caseId));
    expect(mine).toHaveLength(3);
    // Newest first.
    expect(mine.map((r) => r.caseId)).toEqual(refusedCases.map((c) => c.id).reverse());
    const first = mine[0]!;
    const rate = refusedCases[2]!.events.find((e) => e.type === 'rate')!;
    expect(first).toMatchObject({
      provisionalNo: refusedCases[2]!.provisionalNo,
      userId: v.actor.userId,
      role: 'village_helper',
      deviceId: v.deviceId,
      unitId: 'village-dq-01',
      refusedEventIds: [rate.id],
      refusedEventTypes: ['rate'],
    });
    expect(first.code).toMatch(/^[A-Z_]+$/);
    expect(first.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(Date.parse(first.hubTime)).not.toBeNaN();
    const text = JSON.stringify(all.body);
    for (const c of refusedCases) {
      expect(text).not.toContain(c.applicantName);
      expect(text).not.toContain(c.applicant.idNumber);
      expect(text).not.toContain(c.applicantIdDigest);
    }

    // Paging: two, then the rest, no overlap.
    const p1 = await list(sup, '?limit=2');
    expect(p1.body.refusals).toHaveLength(2);
    expect(p1.body.next).not.toBeNull();
    const p2 = await list(sup, `?limit=200&before=${encodeURIComponent(p1.body.next!)}`);
    const ids = [...p1.body.refusals, ...p2.body.refusals].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(all.body.refusals.map((r) => r.id));
    expect(p2.body.next).toBeNull();
  });
});
