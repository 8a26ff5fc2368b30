import { describe, expect, it } from 'vitest';
import { deriveCaseFields } from '../../src/case/caseMachine.js';
import type { CaseDoc, CaseEvent } from '../../src/case/caseTypes.js';
import { validateCaseDoc } from '../../src/schemas/validators.js';
import { caseDocOf, fullJourney } from '../case/fixtures.js';

const events = fullJourney().events;
const goodDoc = (): CaseDoc => caseDocOf(events, deriveCaseFields(events));

const withEvent = (index: number, change: (event: CaseEvent) => unknown): unknown => {
  const doc = goodDoc();
  return { ...doc, events: doc.events.map((event, i) => (i === index ? change(event) : event)) };
};

const messageOf = (doc: unknown) => {
  const result = validateCaseDoc(doc);
  return result.ok ? 'OK' : result.messageZh;
};

describe('caseSchema', () => {
  it('takes a contact phone by the one phone rule, in its stored form', () => {
    const withPhone = (phone: string) => {
      const doc = goodDoc();
      return { ...doc, applicant: { ...doc.applicant, phone } };
    };
    for (const phone of ['13800138000', '010-01234567', '01001234567', '0571-88886666'])
      expect(messageOf(withPhone(phone)), phone).toBe('OK');
    for (const phone of ['', '12345', '88886666', '+86 13800138000', '138 0013 8000'])
      expect(messageOf(withPhone(phone)), phone).toContain('/applicant/phone');
  });

  it('refuses an applicantIdMasked that is not masked (it is stored in clear)', () => {
    const doc = goodDoc();
    expect(messageOf({ ...doc, applicantIdMasked: '110101********123X' })).toBe('OK');
    expect(messageOf({ ...doc, applicantIdMasked: '******************' })).toBe('OK');
    expect(messageOf({ ...doc, applicantIdMasked: '11010119900307123X' })).toContain(
      '/applicantIdMasked',
    );
  });

  it('accepts a document built from the full journey', () => {
    expect(validateCaseDoc(goodDoc())).toEqual({ ok: true, value: goodDoc() });
  });

  it('ignores and strips RxDB bookkeeping fields', () => {
    const stored = {
      ...goodDoc(),
      _rev: '1-abc',
      _deleted: false,
      _meta: { lwt: 1 },
      _attachments: {},
    };
    const result = validateCaseDoc(stored);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).not.toHaveProperty('_rev');
  });

  it('accepts hub-set fields', () => {
    const doc = {
      ...goodDoc(),
      officialNo: 'SX-2026-000123',
      deadlines: {
        startDate: '2026-03-03',
        legalDue: '2026-03-31',
        promisedDue: '2026-03-13',
        promisedDaysLeft: -2,
        computedAt: '2026-03-16T00:00:00.000Z',
      },
      events: events.map((event) => ({ ...event, hubTime: '2026-03-02T05:00:00.000+08:00' })),
    };
    expect(messageOf(doc)).toBe('OK');
  });

  it('refuses with SCHEMA_INVALID and a Chinese message naming the problems', () => {
    const { applicantName: _dropped, ...missing } = goodDoc();
    const result = validateCaseDoc({ ...missing, status: 'lost', extra: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('SCHEMA_INVALID');
      expect(result.messageZh).toContain('办件格式不正确');
      expect(result.messageZh).toContain('缺少字段 applicantName');
      expect(result.messageZh).toContain('/status 取值不在允许范围内');
      expect(result.messageZh).toContain('不允许的字段 extra');
    }
  });

  it('checks each payload against its event type', () => {
    const refuseAt = events.length; // append a refuse with an empty reason
    const doc = goodDoc();
    const badRefuse = {
      ...doc.events[0]!,
      id: 'dev-x:1',
      type: 'refuse',
      payload: { reason: '', guidance: 'g', approverName: 'a' },
    };
    expect(messageOf({ ...doc, events: [...doc.events, badRefuse] })).toContain(
      `/events/${refuseAt}/payload/reason 不能为空`,
    );
    const rateIndex = events.findIndex((event) => event.type === 'rate');
    expect(
      messageOf(
        withEvent(rateIndex, (e) => ({
          ...e,
          payload: { level: 6, channel: 'window', realName: true },
        })),
      ),
    ).toContain(`/events/${rateIndex}/payload/level 数值超出范围`);
    expect(
      messageOf(
        withEvent(1, (e) => ({
          ...e,
          payload: { deferred: { materialIds: [], dueDate: '2026-3-1', commitmentSigned: false } },
        })),
      ),
    ).toMatch(/至少需要 1 项.*格式不正确.*取值应为 true/);
    expect(
      messageOf(
        withEvent(0, (e) => ({ ...e, payload: { ...(e.payload as object), surprise: true } })),
      ),
    ).toContain('不允许的字段 surprise');
    expect(messageOf(withEvent(0, (e) => ({ ...e, type: 'teleport' })))).toContain(
      '/events/0/type 取值不在允许范围内',
    );
  });

  it('checks the event envelope', () => {
    expect(messageOf(withEvent(0, (e) => ({ ...e, lamport: 0 })))).toContain(
      '/events/0/lamport 数值超出范围',
    );
    expect(messageOf(withEvent(0, (e) => ({ ...e, deviceTime: 'yesterday' })))).toContain(
      '/events/0/deviceTime 格式不正确',
    );
    expect(
      messageOf(withEvent(0, (e) => ({ ...e, actor: { ...(e.actor as object), role: 'mayor' } }))),
    ).toContain('/events/0/actor/role 取值不在允许范围内');
    expect(messageOf({ ...goodDoc(), events: [] })).toContain('/events 至少需要 1 项');
  });

  it('lists at most five problems and counts the rest', () => {
    const result = validateCaseDoc({ id: 'x' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.messageZh).toMatch(/等共 \d+ 处$/);
  });

  it('refuses non-objects', () => {
    expect(validateCaseDoc(null)).toMatchObject({ ok: false, code: 'SCHEMA_INVALID' });
    expect(validateCaseDoc([])).toMatchObject({ ok: false, code: 'SCHEMA_INVALID' });
  });
});
