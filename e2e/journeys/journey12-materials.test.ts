/**
 * Journey 12 (issue 16): materials as files, window documents and the citizen's own rating.
 * A village attaches two scans to a case while offline (kept encrypted on the PC, shown as
 * 待上传); back online they go up on their own queue; the centre opens them; a department
 * asked for 协办 attaches its reply file, which the village then sees; the village prints the
 * 送达回证; the citizen gives a 差评 on their own window and the follow-up ticket opens; the
 * clerk's window has no way to rate. The case moves between units through the hub API (the
 * counter work itself is journey 1's subject). Last, the counter's other papers: a 不予受理
 * decided in the form, and a 容缺 acceptance for an applicant whose agent acts for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { deriveCaseState, type CaseDoc } from '@sibantong/shared';
import { dialogSettled, openCase, type Client } from '../support/browser';
import { rateAsCitizen } from '../support/citizenRating';
import { authHeaders } from '../support/deviceProof';
import {
  DEMO_ID,
  DEMO_PASSWORD,
  shoot,
  signedInClient,
  startWorld,
  type World,
} from '../support/fixture';
import { apiDevice, appendEvent, buildCase, pushCase, type ApiDevice } from '../support/hubCases';
import { fillAcceptForm, pickDocument, printedTexts } from '../support/villageUi';

/** A real (tiny) PNG: a 2×2 grey image. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAAEElEQVR4nGNgYGD4//8/AwAI/AL+XJ/PAAAAAElFTkSuQmCC',
  'base64',
);
/** A scan-sized JPEG (header + filler), as a flatbed scanner writes one page. */
const scanJpeg = (seed: number) => {
  const b = Buffer.alloc(300 * 1024, seed);
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b;
};
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n%% 用地意见：同意\n%%EOF');

const items = (p: Page) => p.locator('[data-testid=attachment-item]');
const tagsOf = async (p: Page) =>
  (await items(p).allTextContents()).map((t) =>
    t.includes('待上传')
      ? '待上传'
      : t.includes('已上传')
        ? '已上传'
        : t.includes('中心服务器')
          ? '中心服务器'
          : '?',
  );

describe('journey 12: scans, documents and the citizen’s rating', () => {
  let w: World;
  let village: Client;
  let centre: Client;
  let dept: Client;
  const api: Record<string, ApiDevice> = {};
  let doc: CaseDoc;

  /** One more event by `who` through the hub API, keeping the hub's answer as the next base. */
  const step = async (who: string, type: Parameters<typeof appendEvent>[2], payload: object) => {
    const next = appendEvent(api[who]!, doc, type, payload as never);
    const r = await pushCase(api[who]!, next, doc);
    if (r.status !== 'accepted') throw new Error(`${who} ${type}: ${JSON.stringify(r)}`);
    doc = r.document;
  };

  beforeAll(async () => {
    w = await startWorld();
    api.village = await apiDevice(w.hub, 'village-dq-01', 'v.dq01', DEMO_PASSWORD);
    api.town = await apiDevice(w.hub, 'town-dq', 't.dq', DEMO_PASSWORD);
    api.centre = await apiDevice(w.hub, 'county-sx', 'c.agent', DEMO_PASSWORD);
    api.dept = await apiDevice(w.hub, 'dept-zrzy', 'd.zrzy', DEMO_PASSWORD);
    doc = await buildCase(api.village, '郑阿婆', DEMO_ID, 'received');
    const r = await pushCase(api.village, doc, null);
    if (r.status !== 'accepted') throw new Error(JSON.stringify(r));
    doc = r.document;
    village = await signedInClient(w, 'village-dq-01', '东桥村便民服务点', 'v.dq01');
    centre = await signedInClient(w, 'county-sx', '县政务服务中心', 'c.agent');
    dept = await signedInClient(w, 'dept-zrzy', '县自然资源局', 'd.zrzy');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('a village attaches two scans offline; they go up once it is back online', async () => {
    const p = village.page;
    await openCase(p, doc.provisionalNo, 60_000);
    await village.context.setOffline(true);
    await p.locator('[data-testid=offline-banner]').waitFor({ timeout: 15_000 });
    await p.locator('[data-testid=attach-id-card-input]').setInputFiles([
      { name: '身份证正面.jpg', mimeType: 'image/jpeg', buffer: scanJpeg(1) },
      { name: '身份证反面.png', mimeType: 'image/png', buffer: PNG },
    ]);
    await expect.poll(() => items(p).count(), { timeout: 20_000 }).toBe(2);
    expect(await p.locator('[data-testid=material-files-id-card]').textContent()).toBe('2 份');
    expect(await tagsOf(p)).toEqual(['待上传', '待上传']);
    // Who attached what and when: the history line of each file.
    expect(await p.locator('[data-testid=attachment-history]').first().textContent()).toMatch(
      /居民身份证 · 300 KB · .+（东桥村）\d{4}-\d{2}-\d{2} \d{2}:\d{2} 添加/,
    );
    // The image shows as a thumbnail straight from the encrypted local copy.
    await p.locator('[data-testid=attachment-thumb]').first().waitFor();
    // A file that is not a scan is refused at once, with the reason, and not stored.
    await p.locator('[data-testid=attach-case-input]').setInputFiles({
      name: '病毒.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('MZ this is not an image'),
    });
    await p.getByText('只能添加 JPEG、PNG 图片或 PDF 文件').waitFor();
    expect(await items(p).count()).toBe(2);
    await shoot(p, '30-attachments-offline');

    await village.context.setOffline(false);
    await expect.poll(() => tagsOf(p), { timeout: 60_000 }).toEqual(['已上传', '已上传']);
  });

  it('the centre opens them; a department asked for 协办 attaches its reply file', async () => {
    await step('village', 'accept', {});
    await step('village', 'forward', {
      toUnitId: 'town-dq',
      materials: deriveCaseState(doc.events).materials,
    });
    await step('town', 'claim', {});
    await step('town', 'escalate', { toUnitId: 'county-sx', materials: [] });
    await step('centre', 'claim', {});
    await step('centre', 'request_assistance', {
      departmentIds: ['dept-zrzy'],
      question: '请出具用地意见',
    });

    const c = centre.page;
    await openCase(c, doc.provisionalNo, 60_000);
    await expect.poll(() => items(c).count(), { timeout: 30_000 }).toBe(2);
    expect(await tagsOf(c)).toEqual(['中心服务器', '中心服务器']);
    // The photo (a real PNG; the "scan" above is a header and filler) opens and decodes.
    await c.locator('[data-testid=attachment-open]', { hasText: '身份证反面.png' }).click();
    const viewer = c.locator('.ant-modal:visible [data-testid=attachment-viewer]');
    await viewer.waitFor({ timeout: 30_000 });
    // The real bytes arrived: the browser decoded the image.
    await expect
      .poll(() => viewer.evaluate((img) => (img as HTMLImageElement).naturalWidth), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await shoot(c, '31-centre-opens-scan');
    await c.keyboard.press('Escape');

    const d = dept.page;
    await openCase(d, doc.provisionalNo, 60_000);
    await d.locator('[data-testid=attach-case-input]').setInputFiles({
      name: '自然资源局用地意见.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await expect
      .poll(
        async () => (await items(d).allTextContents()).find((t) => t.includes('用地意见')) ?? '',
        {
          timeout: 60_000,
        },
      )
      .toContain('已上传');
  });

  it('the village sees the reply, prints the 送达回证, and the citizen rates on their own window', async () => {
    await step('dept', 'assistance_reply', {
      departmentId: 'dept-zrzy',
      opinion: '同意',
      outcome: 'agree',
    });
    await step('centre', 'conclude', {
      outcome: 'approved',
      opinion: '符合条件，准予登记',
      resultName: '参保登记证明',
      resultNo: 'YL-2026-0099',
      deliverAtUnitId: 'village-dq-01',
    });
    await step('village', 'deliver_result', { method: 'collected', recipientName: '郑阿婆' });

    const p = village.page;
    await openCase(p, doc.provisionalNo, 60_000);
    await expect
      .poll(() => p.locator('[data-testid=detail-status]').textContent(), { timeout: 60_000 })
      .toBe('结果已送达');
    // Opening the case again lists the files attached elsewhere: the department's reply.
    await openCase(p, doc.provisionalNo, 60_000);
    await expect
      .poll(async () => (await items(p).allTextContents()).join('|'), { timeout: 30_000 })
      .toContain('自然资源局用地意见.pdf');

    await pickDocument(p, 'service-receipt');
    const sheet = p.locator('.ant-modal:visible [data-testid=document-service-receipt]');
    await sheet.waitFor();
    expect(await sheet.textContent()).toContain('参保登记证明 YL-2026-0099');
    await sheet.locator('img[alt="办件编号二维码"]').waitFor();
    await shoot(p, '32-service-receipt');
    await p.locator('[data-testid=do-print]:visible').click();
    expect((await printedTexts(p)).at(-1)).toContain('送达回证');
    await p.keyboard.press('Escape');
    // A screenshot of each other document this case allows (docs/materials.md).
    for (const id of ['materials-receipt', 'acceptance-notice', 'completion-notice']) {
      await pickDocument(p, id);
      await p.locator(`.ant-modal:visible [data-testid=document-${id}]`).waitFor();
      await shoot(p, `34-document-${id}`);
      await p.keyboard.press('Escape');
      await p
        .locator(`.ant-modal:visible [data-testid=document-${id}]`)
        .waitFor({ state: 'detached' });
    }

    // The clerk's window has no way to rate: no rating action, no level to pick.
    expect(await p.locator('[data-testid=action-rate]').count()).toBe(0);
    expect(await p.getByText('非常不满意').count()).toBe(0);
    const ratingWindow = await rateAsCitizen(p, {
      level: '非常不满意',
      reasons: ['办理时间长', '多次跑腿'],
      text: '来回跑了三趟',
    });
    await shoot(ratingWindow, '33-citizen-rating-thanks');
    await expect
      .poll(() => p.locator('[data-testid=detail-status]').textContent(), { timeout: 20_000 })
      .toBe('已评价');
    await expect
      .poll(() => p.locator('[data-testid=sync-pending]').textContent(), { timeout: 30_000 })
      .toBe('待上传 0 件');

    // The hub holds the rating as the citizen's and opens the follow-up ticket.
    const res = await fetch(`${w.hub.url}/api/sync/cases/pull?limit=1000`, {
      headers: authHeaders(api.centre!.token),
    });
    const held = ((await res.json()) as { documents: CaseDoc[] }).documents.find(
      (c) => c.id === doc.id,
    )!;
    expect(held.events.at(-1)).toMatchObject({
      type: 'rate',
      payload: { level: 5, channel: 'citizen_screen', reasons: ['slow', 'repeat_visits'] },
    });
    await expect
      .poll(
        async () => {
          const t = await fetch(`${w.hub.url}/api/sync/tickets/pull?limit=1000`, {
            headers: authHeaders(api.centre!.token),
          });
          const docs = ((await t.json()) as { documents: { caseId?: string }[] }).documents;
          return docs.some((d) => d.caseId === doc.id);
        },
        { timeout: 30_000 },
      )
      .toBe(true);
  });

  it('the counter’s other papers: 不予受理决定书, 容缺受理通知书 and 承诺书, the 代办 papers', async () => {
    const p = village.page;
    /** Opens a document from 打印文书, photographs it for docs/materials.md, returns its text. */
    const paper = async (id: string, shot: string) => {
      await pickDocument(p, id);
      const sheet = p.locator(`.ant-modal:visible [data-testid=document-${id}]`);
      await sheet.waitFor();
      await dialogSettled(p);
      await shoot(p, shot);
      const text = (await sheet.textContent()) ?? '';
      await p.keyboard.press('Escape');
      await sheet.waitFor({ state: 'detached' });
      return text;
    };
    /** 帮办代办: the agent's particulars and the signed 委托书, as the form asks for them. */
    const byAgent = async (name: string, idNumber: string) => {
      await p.click('[data-testid=by-agent]');
      await p.fill('#accept-agent-name', name);
      await p.fill('#accept-agent-id', idNumber);
      await p.fill('#accept-agent-phone', '13700000000');
      await p.getByText('已签署代办委托书').click();
    };

    // 不予受理 at the counter: the decision carries the reason, guidance and approver entered.
    await fillAcceptForm(p, {
      matterQuery: '高龄津贴',
      name: '钱大伯',
      idNumber: DEMO_ID,
      phone: '13912345678',
    });
    await byAgent('吴代办', '110105197503150022');
    await p.click('[data-testid=open-refuse]');
    const form = p.locator('.ant-modal:visible');
    await form.getByLabel('不予受理理由').fill('申请人未满80周岁，不属于高龄津贴的发放对象');
    await form
      .getByLabel('告知与指引（应到何处办理、需带何材料）')
      .fill('年满80周岁后携带身份证、户口本到村便民服务点申请');
    await form.getByLabel('批准人').fill('陈主任');
    await form.getByRole('button', { name: '确认不予受理' }).click();
    await p.waitForSelector('[data-testid=accept-done]');
    expect(await p.locator('[data-testid=accept-done] .ant-result-title').textContent()).toBe(
      '已作出不予受理决定',
    );
    // No 受理回执 for a refused application.
    expect(await p.locator('[data-testid=print-receipt]').count()).toBe(0);
    const refusal = await paper('refusal-decision', '35-document-refusal-decision');
    expect(refusal).toContain('理由：申请人未满80周岁，不属于高龄津贴的发放对象');
    expect(refusal).toContain('办理指引：年满80周岁后携带身份证、户口本到村便民服务点申请');
    expect(refusal).toContain('批准人：陈主任');
    expect(refusal).toContain('行政复议');
    // The agent hands the papers back: the 代办 ends with the refusal.
    const close = await paper('agency-close', '39-document-agency-close');
    expect(close).toContain('代办员吴代办');
    expect(close).toContain('代办结果不予受理（申请人未满80周岁，不属于高龄津贴的发放对象）');

    // 容缺 acceptance for an applicant whose agent (帮办代办) acts for them.
    await p.click('[data-testid=accept-next]');
    const due = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    await fillAcceptForm(p, {
      matterQuery: '宅基地',
      name: '孙大妈',
      idNumber: DEMO_ID,
      phone: '13812345678',
      deferMaterialId: 'building-design',
      commitmentDate: due,
    });
    await byAgent('周代办', '110105198001010016');
    await p.click('[data-testid=submit-accept]');
    await p.waitForSelector('[data-testid=accept-done]');
    const notice = await paper('deferred-notice', '36-document-deferred-notice');
    expect(notice).toContain('农房设计图');
    expect(notice).toContain(`请于 ${due} 前补齐`);
    const pledge = await paper('deferred-commitment', '37-document-deferred-commitment');
    expect(pledge).toContain(`于 ${due} 前补齐以下容缺材料：农房设计图`);
    expect(pledge).toContain('承诺人（签字或盖章）');
    const mandate = await paper('agency-mandate', '38-document-agency-mandate');
    expect(mandate).toContain('委托人孙大妈');
    expect(mandate).toContain('受托人（代办员）周代办');
    expect(mandate).toContain('代办服务免费');
  });
});
