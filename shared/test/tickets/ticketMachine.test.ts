/** The 差评 follow-up rule: fixed order, one step at a time, who may record, what closing needs. */
import { describe, expect, it } from 'vitest';
import {
  TICKET_STATUSES,
  applyTicketStep,
  checkTicketStep,
  nextTicketStatus,
  validateTicketDoc,
  type TicketDoc,
  type TicketStatus,
} from '../../src/index.js';

const sup = { userId: 'sup', name: '县督办', role: 'supervisor' as const };
const agent = { userId: 'c.agent', name: '中心代办', role: 'centre_agent' as const };

const ticket: TicketDoc = {
  id: 'ticket:dev-v.dq01:12',
  caseId: 'case-1',
  ratingEventId: 'dev-v.dq01:12',
  level: 5,
  status: 'open',
  dueDate: '2026-03-20',
  createdAt: '2026-03-10T02:00:00.000Z',
  updatedAt: '2026-03-10T02:00:00.000Z',
  steps: [],
};

const codeOf = (r: { ok: boolean; code?: string }) => (r.ok ? 'OK' : r.code);

describe('ticket follow-up rule', () => {
  it('walks open → verifying → rectifying → feedback → closed, one step at a time', () => {
    let t: TicketDoc = ticket;
    const path: Array<[TicketStatus, string]> = [
      ['verifying', '已电话联系申请人核实情况'],
      ['rectifying', '窗口已整改，增加叫号提醒'],
      ['feedback', '已向申请人反馈整改结果'],
    ];
    for (const [i, [status, note]] of path.entries()) {
      const r = applyTicketStep(
        t,
        { status, note },
        i === 1 ? agent : sup,
        `2026-03-1${i + 1}T02:00:00.000Z`,
      );
      if (!r.ok) throw new Error(r.messageZh);
      t = r.value;
      expect(t.status).toBe(status);
    }
    const closed = applyTicketStep(
      t,
      { status: 'closed', note: ' 回访申请人，表示认可 ', callBackResult: 'satisfied' },
      sup,
      '2026-03-16T02:00:00.000Z',
    );
    if (!closed.ok) throw new Error(closed.messageZh);
    expect(closed.value.status).toBe('closed');
    expect(closed.value.updatedAt).toBe('2026-03-16T02:00:00.000Z');
    expect(closed.value.steps.map((s) => s.status)).toEqual([
      'verifying',
      'rectifying',
      'feedback',
      'closed',
    ]);
    expect(closed.value.steps[1]).toMatchObject({ byUserId: 'c.agent', byRole: 'centre_agent' });
    expect(closed.value.steps[3]).toMatchObject({
      note: '回访申请人，表示认可',
      callBackResult: 'satisfied',
      byName: '县督办',
    });
    expect(codeOf(validateTicketDoc(closed.value))).toBe('OK');
    expect(nextTicketStatus('closed')).toBeNull();
  });

  it('refuses every skipped, repeated or backward step', () => {
    for (const from of TICKET_STATUSES) {
      for (const to of TICKET_STATUSES) {
        if (from === 'closed' || nextTicketStatus(from) === to) continue;
        const r = checkTicketStep(from, { status: to, note: '说明' }, 'supervisor');
        expect(codeOf(r), `${from} → ${to}`).toBe('TICKET_STEP_OUT_OF_ORDER');
      }
    }
    expect(codeOf(checkTicketStep('closed', { status: 'closed', note: 'x' }, 'supervisor'))).toBe(
      'TICKET_CLOSED',
    );
  });

  it('lets the supervisor record all steps, the centre agent all but the call back, no one else', () => {
    expect(
      codeOf(checkTicketStep('open', { status: 'verifying', note: '核实' }, 'centre_agent')),
    ).toBe('OK');
    expect(
      codeOf(
        checkTicketStep(
          'feedback',
          { status: 'closed', note: '回访', callBackResult: 'satisfied' },
          'centre_agent',
        ),
      ),
    ).toBe('ROLE_NOT_PERMITTED');
    for (const role of ['village_helper', 'town_lead', 'dept_assistant', 'it_admin'] as const) {
      expect(codeOf(checkTicketStep('open', { status: 'verifying', note: '核实' }, role))).toBe(
        'ROLE_NOT_PERMITTED',
      );
    }
  });

  it('needs a note on every step and a call-back result only on closing', () => {
    expect(codeOf(checkTicketStep('open', { status: 'verifying', note: '  ' }, 'supervisor'))).toBe(
      'TICKET_NOTE_REQUIRED',
    );
    expect(
      codeOf(
        checkTicketStep('open', { status: 'verifying', note: '字'.repeat(501) }, 'supervisor'),
      ),
    ).toBe('TICKET_NOTE_TOO_LONG');
    expect(
      codeOf(checkTicketStep('feedback', { status: 'closed', note: '回访' }, 'supervisor')),
    ).toBe('TICKET_CALLBACK_REQUIRED');
    expect(
      codeOf(
        checkTicketStep(
          'open',
          { status: 'verifying', note: '核实', callBackResult: 'satisfied' },
          'supervisor',
        ),
      ),
    ).toBe('TICKET_CALLBACK_ONLY_ON_CLOSE');
  });
});
