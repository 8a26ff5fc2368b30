import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@sibantong/shared';
import {
  buildNewCase,
  validateAccept,
  type AcceptInput,
} from '../../src/renderer/features/village/acceptCase';
import type { MatterView } from '../../src/renderer/domain/matters';

const matter: MatterView = {
  id: 'M1',
  code: 'M1',
  name: '农村宅基地和建房（规划许可）审批',
  pinyinInitials: 'ncjzd',
  villageMode: 'accept_and_forward',
  immediate: false,
  caseType: 'promised',
  legalDays: 20,
  promisedDays: 10,
  level: 'town',
  materials: [
    { id: 'id-card', name: '身份证', originals: 1, copies: 1, necessity: 'required' },
    { id: 'plan', name: '建房设计图', originals: 1, copies: 0, necessity: 'deferrable' },
  ],
};
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
    const direct = {
      ...matter,
      villageMode: 'direct_complete',
      immediate: true,
      materials: [matter.materials[0]!],
    };
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
