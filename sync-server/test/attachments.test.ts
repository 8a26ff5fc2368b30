/**
 * Materials as files against a real hub over HTTP: a village attaches scans to its case; the
 * hub refuses oversize, wrong-type (by content), forged-digest and out-of-scope files with
 * their own codes; the files never reach a unit outside the case's scope (another village, a
 * department not asked), reach the centre, and reach a department once it is asked for 协办,
 * which then attaches its reply. Stored sealed at rest (the bytes are not in the store).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_ATTACHMENT_BYTES,
  attachmentContentPath,
  caseAttachmentsPath,
  type AttachmentMeta,
  type CaseDoc,
  type EnrollResponse,
} from '@sibantong/shared';
import { enrolDevices, http, loginAs, type TestClient } from './helpers/client.js';
import { newCase, pushVersions, withEvent } from './helpers/cases.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';
import { storeAdmin } from './helpers/storeAdmin.js';

/** A small but real JPEG header followed by scan-like bytes. */
function jpeg(size: number, seed = 1): Buffer {
  const b = Buffer.alloc(size, seed);
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b;
}
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n${text}\n%%EOF`);

let seq = 0;
function upload(c: TestClient, caseId: string, bytes: Buffer, over: Partial<AttachmentMeta> = {}) {
  seq += 1;
  const meta: AttachmentMeta = {
    id: `${c.deviceId}:att:${seq}`,
    caseId,
    materialId: 'id-card',
    materialName: '居民身份证',
    fileName: `scan-${seq}.jpg`,
    mimeType: 'image/jpeg',
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    attachedBy: { userId: c.actor.userId, name: c.actor.name, orgUnitId: c.actor.orgUnitId },
    attachedAt: new Date().toISOString(),
    deviceId: c.deviceId,
    ...over,
  };
  return http<{ meta?: AttachmentMeta; code?: string; message?: string }>(
    `${c.hub.url}/api/attachments`,
    { token: c.token, body: { meta, dataBase64: bytes.toString('base64') } },
  );
}
const list = (c: TestClient, caseId: string) =>
  http<{ attachments?: AttachmentMeta[]; code?: string }>(
    `${c.hub.url}${caseAttachmentsPath(caseId)}`,
    { token: c.token },
  );
describe.each(storeModes())('attachments on the %s store', (mode) => {
  let hub: HubHandle;
  const c: Record<string, TestClient> = {};
  let theCase: CaseDoc;
  let scan: AttachmentMeta;

  beforeAll(async () => {
    hub = await startHub({ mode });
    const seeded = await hub.cli(['seed-demo']);
    expect(seeded.code, seeded.stderr).toBe(0);
    const names = ['v.dq01', 'v.xh02', 't.dq', 'c.agent', 'd.zrzy', 'd.sj'];
    const devices: EnrollResponse[] = await enrolDevices(hub, 'village-dq-01', names.length);
    for (const [i, name] of names.entries()) c[name] = await loginAs(hub, devices[i]!, name);
    theCase = await newCase(c['v.dq01']!);
    expect((await pushVersions(c['v.dq01']!, [[null, theCase]]))[0]!.status).toBe('accepted');
  }, 300_000);

  afterAll(async () => {
    await hub?.stop();
  });

  it('keeps the village’s scans with who attached them, and lists them for the case', async () => {
    const v = c['v.dq01']!;
    const a = await upload(v, theCase.id, jpeg(300 * 1024, 7));
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    scan = a.body.meta!;
    expect(scan.attachedBy).toEqual({
      userId: v.actor.userId,
      name: v.actor.name,
      orgUnitId: 'village-dq-01',
    });
    expect(scan.hubTime).toBeDefined();
    const b = await upload(v, theCase.id, pdf('page 2'), {
      mimeType: 'application/pdf',
      fileName: '户口本.pdf',
    });
    expect(b.status).toBe(200);
    // The same upload again (a retry after a lost answer) is not a second file.
    const again = await http<{ meta: AttachmentMeta }>(`${hub.url}/api/attachments`, {
      token: v.token,
      body: {
        meta: { ...scan, hubTime: undefined },
        dataBase64: jpeg(300 * 1024, 7).toString('base64'),
      },
    });
    expect(again.status).toBe(200);
    const l = await list(v, theCase.id);
    expect(l.body.attachments!.map((m) => m.fileName).sort()).toEqual(
      [scan.fileName, '户口本.pdf'].sort(),
    );
    const got = await http<string>(`${hub.url}${attachmentContentPath(scan.id)}`, {
      token: v.token,
    });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
  });

  it('refuses oversize, wrong-type, forged and out-of-scope files with their own codes', async () => {
    const v = c['v.dq01']!;
    const big = await upload(v, theCase.id, jpeg(MAX_ATTACHMENT_BYTES + 1));
    expect([big.status, big.body.code]).toEqual([413, 'ATTACHMENT_TOO_LARGE']);
    // An executable named .jpg: the type is read from the bytes.
    const exe = await upload(v, theCase.id, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]));
    expect([exe.status, exe.body.code]).toEqual([415, 'ATTACHMENT_TYPE_NOT_ALLOWED']);
    // A PDF declared as a JPEG.
    const mislabelled = await upload(v, theCase.id, pdf('x'));
    expect([mislabelled.status, mislabelled.body.code]).toEqual([
      415,
      'ATTACHMENT_TYPE_NOT_ALLOWED',
    ]);
    const forged = await upload(v, theCase.id, jpeg(1000), { sha256: 'a'.repeat(64) });
    expect([forged.status, forged.body.code]).toEqual([400, 'ATTACHMENT_INVALID']);
    // Another village cannot attach to a case it does not see…
    const other = await upload(c['v.xh02']!, theCase.id, jpeg(1000));
    expect([other.status, other.body.code]).toEqual([403, 'ATTACHMENT_OUT_OF_SCOPE']);
    // …and a case the hub has not received yet is retried later, not lost.
    const early = await upload(v, 'case-not-yet-pushed', jpeg(1000));
    expect([early.status, early.body.code]).toEqual([409, 'ATTACHMENT_CASE_UNKNOWN']);
    expect(big.body.message).toMatch(/附件过大/);
  });

  it('never shows the files to a unit outside the case’s scope', async () => {
    for (const name of ['v.xh02', 'd.zrzy', 'd.sj']) {
      const l = await list(c[name]!, theCase.id);
      expect([name, l.status, l.body.code]).toEqual([name, 404, 'ATTACHMENT_NOT_FOUND']);
      const f = await http<{ code: string }>(`${hub.url}${attachmentContentPath(scan.id)}`, {
        token: c[name]!.token,
      });
      expect([name, f.status, f.body.code]).toEqual([name, 404, 'ATTACHMENT_NOT_FOUND']);
    }
    // Without a token nothing at all.
    expect((await http(`${hub.url}${attachmentContentPath(scan.id)}`)).status).toBe(401);
  });

  it('the centre opens them; a department asked for 协办 sees them and attaches its reply', async () => {
    const centre = c['c.agent']!;
    expect((await list(centre, theCase.id)).body.attachments).toHaveLength(2);
    const opened = await http<string>(`${hub.url}${attachmentContentPath(scan.id)}`, {
      token: centre.token,
    });
    expect(opened.status).toBe(200);
    const asJson = await http<{ mimeType: string; dataBase64: string }>(
      `${hub.url}${attachmentContentPath(scan.id)}?as=base64`,
      { token: centre.token },
    );
    expect(asJson.body.mimeType).toBe('image/jpeg');
    expect(asJson.body.dataBase64).toBe(jpeg(300 * 1024, 7).toString('base64'));

    // The case climbs to the centre, which asks 自然资源 for an opinion (real pushes).
    const dept = c['d.zrzy']!;
    expect((await list(dept, theCase.id)).status).toBe(404);
    let doc = theCase;
    const step = async (who: string, make: (d: CaseDoc) => CaseDoc) => {
      const r = (await pushVersions(c[who]!, [[doc, make(doc)]]))[0]!;
      if (r.status !== 'accepted') throw new Error(`${who}: ${r.status} ${JSON.stringify(r)}`);
      doc = r.document;
    };
    await step('v.dq01', (d) => withEvent(c['v.dq01']!, d, 'accept', {}));
    await step('v.dq01', (d) =>
      withEvent(c['v.dq01']!, d, 'forward', { toUnitId: 'town-dq', materials: [] }),
    );
    await step('t.dq', (d) => withEvent(c['t.dq']!, d, 'claim', {}));
    await step('t.dq', (d) =>
      withEvent(c['t.dq']!, d, 'escalate', { toUnitId: 'county-sx', materials: [] }),
    );
    await step('c.agent', (d) => withEvent(centre, d, 'claim', {}));
    await step('c.agent', (d) =>
      withEvent(centre, d, 'request_assistance', {
        departmentIds: ['dept-zrzy'],
        question: '请出具用地意见',
      }),
    );
    expect((await list(dept, theCase.id)).body.attachments).toHaveLength(2);
    const reply = await upload(dept, theCase.id, pdf('用地意见：同意'), {
      materialId: null,
      materialName: '',
      mimeType: 'application/pdf',
      fileName: '自然资源局用地意见.pdf',
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.meta!.attachedBy.orgUnitId).toBe('dept-zrzy');
    // The village sees the department's reply file; 市场监管, never asked, still nothing.
    const seen = await list(c['v.dq01']!, theCase.id);
    expect(seen.body.attachments!.map((m) => m.fileName)).toContain('自然资源局用地意见.pdf');
    expect((await list(c['d.sj']!, theCase.id)).status).toBe(404);
    expect((await list(c['v.xh02']!, theCase.id)).status).toBe(404);
  });

  it('keeps the bytes sealed at rest (the store never holds the scan in clear)', async () => {
    const store = storeAdmin(hub);
    const raw = await store.get(
      `/${store.db('attachments')}/${encodeURIComponent(`f:${scan.id}`)}`,
    );
    expect(raw.status).toBe(200);
    const stored = raw.body as { data: unknown; sealed?: { ct: string } };
    expect(stored.data).toBeNull();
    expect(stored.sealed?.ct).toBeDefined();
    expect(JSON.stringify(stored)).not.toContain(
      jpeg(300 * 1024, 7)
        .toString('base64')
        .slice(0, 200),
    );
  });
});
