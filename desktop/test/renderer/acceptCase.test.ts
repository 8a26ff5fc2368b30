import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor, MatterDoc } from '@sibantong/shared';
import {
  buildNewCase,
  validateAccept,
  type AcceptInput,
} from '../../src/renderer/features/village/acceptCase';
import { toCatalogueMatter } from '../../src/renderer/hooks/useReference';

const paper = { form: 'paper', source: 'applicant' } as const;
const matterDoc: MatterDoc = {
  id: 'M1',
  basicCode: 'B1',
  name: '农村宅基地和建房（规划许可）审批',
  matterType: '01',
  exerciseLevel: '5',
  implementingBody: '示县大桥镇人民政府',
  legalDays: 20,
  promisedDays: 10,
  caseType: 'promised',
  serviceObjects: ['1'],
  villageMode: 'accept_and_forward',
  level: 'town',
  materials: [
    { id: 'id-card', name: '身份证', originals: 1, copies: 1, necessity: 'required', ...paper },
    { id: 'plan', name: '建房设计图', originals: 1, copies: 0, necessity: 'deferrable', ...paper },
  ],
  active: true,
  updatedAt: '2026-11-01T00:00:00.000Z',
};
const matter = toCatalogueMatter(matterDoc);
const DEMO_ID_BAD = '110105194912310021';
const actor: Actor = {
  userId: 'u-v',
  name: '李秀英',
  role: 'village_helper',
  orgUnitId: 'village-dq-01',
};

function input(over: Partial<AcceptInput> = {}): AcceptInput {
  return {
    matter,
    applicantKind: 'person',
    name: '张三',
    idNumber: '11010519491231002X',
    phone: '13812345678',
    legalRepresentative: '',
    byAgent: false,
    agentName: '',
    agentIdNumber: '',
    agentPhone: '',
    agentLetterSigned: false,
    materials: matter.materials.map((m) => ({
      materialId: m.id,
      name: m.name,
      necessity: m.necessity,
      originals: 1,
      copies: 0,
      state: 'received',
    })),
    commitmentDate: null,
    commitmentSigned: false,
    promisedDue: '2099-12-31',
    ...over,
  };
}

describe('accept form checks', () => {
  beforeEach(() => localStorage.clear());

  it('gives a Chinese message for every bad field', () => {
    const e = validateAccept(
      input({ matter: undefined, name: ' ', idNumber: '110105194912310021', phone: '123' }),
      'accept',
    );
    expect(e.matter).toBe('请选择申请事项');
    expect(e.name).toBe('请输入申请人姓名');
    expect(e.idNumber).toContain('校验位');
    expect(e.phone).toContain('联系电话');
  });

  it('takes a contact phone as shared’s rule does: mobiles with +86 or spaces, landlines with area code', async () => {
    for (const phone of ['010-01234567', '0571 88886666', '+86 138 1234 5678', '86-13812345678'])
      expect(validateAccept(input({ phone }), 'accept').phone).toBeUndefined();
    for (const phone of ['123', '88886666', '12812345678', '+1 415 555 0100'])
      expect(validateAccept(input({ phone }), 'accept').phone).toContain('联系电话格式不正确');
    expect(validateAccept(input({ phone: ' ' }), 'accept').phone).toBe('请输入联系电话');
    // Stored in the normalised form the case schema (and so the hub) accepts.
    const doc = await buildNewCase(input({ phone: '+86 138 1234 5678' }), 'accept', {
      actor,
      deviceId: 'dev-1',
      townId: 'town-dq',
      provisionalNo: 'DQ01-AAAA-20261122-0003',
    });
    expect(doc.applicant.phone).toBe('13812345678');
  });

  it('says what is wrong with an ID number or USCC in shared’s words', () => {
    const id = (idNumber: string) => validateAccept(input({ idNumber }), 'accept').idNumber;
    expect(id(' 11010519491231002x ')).toBeUndefined();
    expect(id('')).toBe('请输入身份证号码');
    expect(id('1101051949123100')).toContain('18 位');
    expect(id('110105194902301234')).toContain('出生日期');
    expect(id('110105299901010011')).toContain('出生日期');
    expect(id('110105194912310021')).toContain('校验位');
    const uscc = (idNumber: string) =>
      validateAccept(input({ applicantKind: 'enterprise', idNumber }), 'accept').idNumber;
    expect(uscc('91350100M000100Y43')).toBeUndefined();
    expect(uscc(' ')).toBe('请输入统一社会信用代码');
    expect(uscc('91350100I000100Y43')).toContain('不含 I、O、Z、S、V');
    expect(uscc('91350100M000100Y44')).toContain('校验位');
  });

  it('leaves the 容缺 date itself to the hub’s rule (checked before the write)', () => {
    const deferred = input({
      materials: input().materials.map((m) =>
        m.materialId === 'plan' ? { ...m, state: 'deferred' } : m,
      ),
      commitmentDate: '2026-11-22',
      commitmentSigned: true,
    });
    // The form itself no longer has a date rule of its own that could disagree with the hub's.
    expect(validateAccept(deferred, 'accept', new Date('2026-11-22T02:00:00Z'))).toEqual({});
  });

  it('refuses acceptance with a required item missing and demands the 容缺 commitment', () => {
    const missing = input({
      materials: input().materials.map((m) =>
        m.materialId === 'id-card' ? { ...m, state: 'missing' } : m,
      ),
    });
    expect(validateAccept(missing, 'accept').materials).toContain('一次性告知单');
    const deferred = input({
      materials: input().materials.map((m) =>
        m.materialId === 'plan' ? { ...m, state: 'deferred' } : m,
      ),
    });
    const e = validateAccept(deferred, 'accept');
    expect(e.commitmentDate).toBe('容缺受理须填写承诺补齐日期');
    expect(e.commitmentSigned).toContain('容缺承诺书');
  });

  it('builds receive + 容缺 accept + forward, derived by the shared state machine', async () => {
    const i = input({
      materials: input().materials.map((m) =>
        m.materialId === 'plan' ? { ...m, state: 'deferred' } : m,
      ),
      commitmentDate: '2099-01-01',
      commitmentSigned: true,
    });
    expect(validateAccept(i, 'accept')).toEqual({});
    const doc = await buildNewCase(i, 'accept', {
      actor,
      deviceId: 'dev-1',
      townId: 'town-dq',
      provisionalNo: 'DQ01-AAAA-20261122-0001',
    });
    expect(doc.events.map((e) => e.type)).toEqual(['receive', 'accept', 'forward']);
    expect(doc.status).toBe('accepted_deferred');
    expect(doc.holderUnitId).toBe('town-dq');
    expect(doc.applicantIdMasked).toBe('110105********002X');
    expect(doc.events.every((e) => e.id.startsWith('dev-1:'))).toBe(true);
  });

  it('checks enterprise applicants (USCC, legal representative) and the 代办委托书', () => {
    const e = validateAccept(
      input({
        applicantKind: 'enterprise',
        name: '示县某公司',
        idNumber: '91330999MA2XXXXXX1',
        byAgent: true,
        agentName: '李四',
        agentIdNumber: DEMO_ID_BAD,
        agentPhone: '13900001111',
      }),
      'accept',
    );
    expect(e.idNumber).toContain('统一社会信用代码');
    expect(e.legalRepresentative).toBe('请输入法定代表人');
    expect(e.agentIdNumber).toContain('代办人');
    expect(e.agentLetterSigned).toBe('代为办理须由申请人签署代办委托书');
  });

  it('completes a village 即办 matter on the spot', async () => {
    const direct = toCatalogueMatter({
      ...matterDoc,
      villageMode: 'direct_complete',
      materials: [matterDoc.materials[0]!],
    });
    const i = input({
      matter: direct,
      materials: [
        {
          materialId: 'id-card',
          name: '身份证',
          necessity: 'required',
          originals: 1,
          copies: 1,
          state: 'received',
        },
      ],
    });
    const doc = await buildNewCase(i, 'accept', {
      actor,
      deviceId: 'dev-1',
      townId: 'town-dq',
      provisionalNo: 'DQ01-AAAA-20261122-0002',
    });
    expect(doc.events.map((e) => e.type)).toEqual(['receive', 'accept', 'conclude']);
    expect(doc.status).toBe('concluded_approved');
    expect(doc.holderUnitId).toBe('village-dq-01');
  });
});
