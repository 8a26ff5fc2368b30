/**
 * The documents a window issues (templates as data, one renderer): which ones a case allows,
 * and that each paper carries what the case's events say — the 不予受理决定书 its reason,
 * guidance and approver from the refuse event, the 送达回证 its result and recipient, the
 * 代办 papers the agent — with a QR code where the receipt has one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { renderScreen } from './support/renderInApp';
import type { CaseDoc } from '@sibantong/shared';
import { DocumentSheet } from '../../src/renderer/features/printing/DocumentSheet';
import { documentData } from '../../src/renderer/features/printing/documentFields';
import {
  DOCUMENT_TEMPLATES,
  documentRefusal,
} from '../../src/renderer/features/printing/documentTemplates';
import { helper, History, receive } from './caseHistory';

afterEach(cleanup);

const ctx = {
  matterName: '高龄津贴申领',
  unitName: '东桥一村',
  staffName: '王帮办',
  promisedDue: '2026-11-20',
  unitNameOf: (id: string) => ({ v1: '东桥一村', t1: '东桥镇' })[id] ?? id,
  now: new Date('2026-11-05T02:00:00Z'),
};

const allowed = (doc: CaseDoc) => {
  const data = documentData(doc, ctx);
  return DOCUMENT_TEMPLATES.filter((t) => documentRefusal(t, data) === null).map((t) => t.title);
};

function sheet(doc: CaseDoc, id: string): HTMLElement {
  const template = DOCUMENT_TEMPLATES.find((t) => t.id === id)!;
  renderScreen(<DocumentSheet template={template} data={documentData(doc, ctx)} />);
  return screen.getByTestId(`document-${id}`);
}

const full = receive([]);
const agent = { name: '李代办', idNumber: '11010519491231002X', phone: '13900000000' };

describe('window documents', () => {
  it('a case only received gets the 收件凭证 and nothing that needs acceptance', () => {
    const doc = new History().add(helper, 'receive', full).doc();
    expect(allowed(doc)).toEqual(['收件凭证']);
    const text = sheet(doc, 'materials-receipt').textContent ?? '';
    expect(text).toContain('收件凭证');
    expect(text).toContain('LS-V1-k1');
    expect(text).toContain('身份证');
    expect(text).toContain('不代表已受理');
  });

  it('a missing material: the 一次性告知单 lists every problem at once, and no 受理回执', () => {
    const doc = new History()
      .add(helper, 'receive', receive())
      .add(helper, 'inform_missing', {
        items: [{ materialId: 'm1', name: '身份证', problem: '复印件不清晰' }],
        deadlineDays: 5,
      })
      .doc();
    const data = documentData(doc, ctx);
    const receipt = DOCUMENT_TEMPLATES.find((t) => t.id === 'acceptance-receipt')!;
    expect(documentRefusal(receipt, data)).toContain('本件尚未受理（仅收件），不能打印受理回执');
    expect(allowed(doc)).toEqual(['收件凭证', '一次性告知单']);
    const rows = [...sheet(doc, 'correction-notice').querySelectorAll('tbody tr')].map(
      (tr) => tr.textContent,
    );
    expect(rows).toEqual(['1户口本未提供', '2身份证复印件不清晰']);
    const text = screen.getByTestId('document-correction-notice').textContent ?? '';
    expect(text).toContain('张三：您申请的“高龄津贴申领”（编号 LS-V1-k1）');
    expect(text).toContain('请于 5 个工作日内补正');
    expect(text).toContain('告知单位：东桥一村');
    expect(text).toContain('经办人：王帮办');
    // A complete application needs no 告知.
    const complete = DOCUMENT_TEMPLATES.find((t) => t.id === 'correction-notice')!;
    const done = new History().add(helper, 'receive', full).doc();
    expect(documentRefusal(complete, documentData(done, ctx))).toBe('材料齐全，无需一次性告知');
  });

  it('the 受理回执 names the acceptance, the 容缺 item and its date, with the number as QR', async () => {
    const doc = new History()
      .add(helper, 'receive', receive())
      .add(helper, 'accept', {
        deferred: { materialIds: ['m2'], dueDate: '2026-11-12', commitmentSigned: true },
      })
      .doc();
    const paper = sheet(doc, 'acceptance-receipt');
    const text = paper.textContent ?? '';
    expect(text).toContain('受 理 回 执');
    expect(text).toContain('临时编号：LS-V1-k1');
    expect(text).not.toContain('正式编号');
    expect(text).toContain('承诺办结日期：2026-11-20');
    expect(text).toContain('容缺材料 户口本 须于 2026-11-12 前补齐');
    expect(text).toContain('受理单位：东桥一村');
    expect(text).toContain('经办人：王帮办');
    expect(text).toContain('受理时间 2026-11-02 09:02');
    await waitFor(() => expect(paper.querySelector('img[alt="办件编号二维码"]')).not.toBeNull());
    // Refused cases get no receipt, and say why.
    const refused = new History()
      .add(helper, 'receive', full)
      .add(helper, 'refuse', {
        reason: '不属于受理范围',
        guidance: '请向镇民政办咨询',
        approverName: '赵主任',
      })
      .doc();
    const receipt = DOCUMENT_TEMPLATES.find((t) => t.id === 'acceptance-receipt')!;
    expect(documentRefusal(receipt, documentData(refused, ctx))).toBe(
      '本件不予受理，不能出具受理回执',
    );
  });

  it('the 不予受理决定书 carries the reason, guidance and approver of the refuse event', () => {
    const doc = new History()
      .add(helper, 'receive', full)
      .add(helper, 'refuse', {
        reason: '申请人不属于本事项的申请对象',
        guidance: '请向县民政局咨询临时救助',
        approverName: '赵主任',
      })
      .doc();
    expect(allowed(doc)).toEqual(['收件凭证', '不予受理决定书']);
    const text = sheet(doc, 'refusal-decision').textContent ?? '';
    expect(text).toContain('理由：申请人不属于本事项的申请对象');
    expect(text).toContain('办理指引：请向县民政局咨询临时救助');
    expect(text).toContain('批准人：赵主任');
    expect(text).toContain('行政复议');
  });

  it('容缺 acceptance gives the 容缺受理通知书 and 承诺书 naming the item and its date', () => {
    const doc = new History()
      .add(helper, 'receive', receive())
      .add(helper, 'accept', {
        deferred: { materialIds: ['m2'], dueDate: '2026-11-12', commitmentSigned: true },
      })
      .doc();
    expect(allowed(doc)).toEqual([
      '收件凭证',
      '一次性告知单',
      '受理回执',
      '受理通知书',
      '容缺受理通知书',
      '容缺受理承诺书',
    ]);
    const notice = sheet(doc, 'deferred-notice').textContent ?? '';
    expect(notice).toContain('户口本');
    expect(notice).toContain('2026-11-12');
    const pledge = sheet(doc, 'deferred-commitment').textContent ?? '';
    expect(pledge).toContain('于 2026-11-12 前补齐以下容缺材料：户口本');
    expect(pledge).toContain('承诺人（签字或盖章）');
  });

  it('帮办代办: the 委托书 names the agent; the 办结单, 送达回证 and 办结通知 follow the result', async () => {
    const doc = new History()
      .add(helper, 'receive', { ...full, agentAuthorised: true })
      .add(helper, 'accept', {})
      .add(helper, 'conclude', {
        outcome: 'approved',
        opinion: '符合条件',
        resultName: '高龄津贴核定通知',
        resultNo: 'GL-2026-0042',
      })
      .add(helper, 'deliver_result', { method: 'collected', recipientName: '张三' })
      .doc();
    const withAgent = { ...doc, applicant: { ...doc.applicant, agent } };
    expect(allowed(withAgent)).toEqual([
      '收件凭证',
      '受理回执',
      '受理通知书',
      '代办服务委托书',
      '代办服务办结（终止）单',
      '送达回证',
      '办结通知',
    ]);
    expect(sheet(withAgent, 'agency-mandate').textContent).toContain('受托人（代办员）李代办');
    expect(sheet(withAgent, 'agency-close').textContent).toContain('已办结：准予');
    const proof = sheet(withAgent, 'service-receipt');
    expect(proof.textContent).toContain('高龄津贴核定通知 GL-2026-0042');
    expect(proof.textContent).toContain('签收人张三');
    expect(proof.textContent).toContain('现场领取');
    // The QR code of the case number, as on the 受理回执.
    await waitFor(() => expect(proof.querySelector('img[alt="办件编号二维码"]')).not.toBeNull());
    expect(sheet(withAgent, 'completion-notice').textContent).toContain('办理结果：准予');
    // Without an agent the 代办 papers are not offered.
    expect(allowed(doc)).not.toContain('代办服务委托书');
  });
});
