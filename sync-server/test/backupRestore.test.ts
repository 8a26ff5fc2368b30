/**
 * `backup` while the hub serves, the store wiped, `restore`, the hub started again: every
 * case with every event, the devices and accounts (no re-enrolment), and documents with
 * attachments come back; what was written after the backup does not. A restore that would
 * leave data unreadable (wrong key file, cut-off file) or run under a serving hub is refused
 * and changes nothing.
 */
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { AttachmentMeta, CaseDoc, PullCheckpoint } from '@sibantong/shared';
import { buildDemoProjects } from '@sibantong/shared/project/index';
import { enrolDevices, http, loginAs, type TestClient } from './helpers/client.js';
import { MATTER_LEGAL_AID, newCase, pushVersions, withEvent } from './helpers/cases.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';
import { storeAdmin } from './helpers/storeAdmin.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function gone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
  process.kill(pid, 'SIGKILL');
}

/** Stops the hub as a crash would, its embedded store too. */
async function stopOnly(hub: HubHandle): Promise<void> {
  const storePid = hub.mode === 'embedded' ? hub.storePid() : 0;
  await hub.kill9();
  if (storePid) await gone(storePid);
}

/** Stops the hub as a crash would and removes every database it had. */
async function stopAndWipe(hub: HubHandle): Promise<void> {
  const admin = storeAdmin(hub);
  if (hub.mode === 'couchdb') {
    await hub.kill9();
    const dbs = (await admin.get('/_all_dbs')).body as string[];
    for (const db of dbs.filter((d) => d.startsWith(hub.prefix))) await admin.del(`/${db}`);
  } else {
    const storePid = hub.storePid();
    await hub.kill9();
    await gone(storePid);
    rmSync(path.join(hub.dataDir, 'store'), { recursive: true, force: true });
  }
}

describe.each(storeModes())('backup and restore on the %s store', (mode) => {
  let hub: HubHandle;
  let village: TestClient;
  const file = path.join(tmpdir(), `sbt-backup-${randomBytes(4).toString('hex')}.gz`);
  const before: CaseDoc[] = [];
  let after: CaseDoc;
  const scan = Buffer.from('%PDF-1.4\n扫描件：居民身份证复印件\n%%EOF');
  let attachmentId = '';
  let early: PullCheckpoint | null = null;

  beforeAll(async () => {
    hub = await startHub({ mode });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    const [device] = await enrolDevices(hub, 'village-dq-01', 1);
    village = await loginAs(hub, device!, 'v.dq01');
    // This PC pulls early: it has seen one case (two revisions) and nothing written after.
    const c0 = await newCase(village);
    expect((await pushVersions(village, [[null, c0]]))[0]!.status).toBe('accepted');
    const c0Noted = withEvent(village, c0, 'log', { text: '已电话告知申请人' });
    expect((await pushVersions(village, [[c0, c0Noted]]))[0]!.status).toBe('accepted');
    early = (await pullFrom(null)).checkpoint;
    before.push(c0Noted);
    const docs = await Promise.all([1, 2, 3].map(() => newCase(village)));
    const results = await pushVersions(
      village,
      docs.map((d) => [null, d]),
    );
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    // A second event on one case: events after the first must survive too.
    const [first] = docs;
    const withNote = withEvent(village, first!, 'log', { text: '申请人补充了联系电话' });
    expect((await pushVersions(village, [[first!, withNote]]))[0]!.status).toBe('accepted');
    before.push(withNote, docs[1]!, docs[2]!);
    // A material scan, uploaded as the desktop does (its own database, bytes sealed at rest).
    const meta: AttachmentMeta = {
      id: `${village.deviceId}:att:1`,
      caseId: first!.id,
      materialId: 'id-card',
      materialName: '居民身份证',
      fileName: 'scan-1.pdf',
      mimeType: 'application/pdf',
      size: scan.length,
      sha256: createHash('sha256').update(scan).digest('hex'),
      attachedBy: {
        userId: village.actor.userId,
        name: village.actor.name,
        orgUnitId: village.actor.orgUnitId,
      },
      attachedAt: new Date().toISOString(),
      deviceId: village.deviceId,
    };
    attachmentId = meta.id;
    const up = await http(`${hub.url}/api/attachments`, {
      token: village.token,
      body: { meta, dataBase64: scan.toString('base64') },
    });
    expect(up.status, JSON.stringify(up.body)).toBeLessThan(300);
  }, 120_000);

  afterAll(async () => {
    await hub?.stop();
    rmSync(file, { force: true });
  });

  it('backs up while the hub serves', async () => {
    const r = await hub.cli(['backup', file]);
    expect(r.code, r.stderr).toBe(0);
    const counts = (r.json as { counts: Record<string, number> }).counts;
    expect(counts.cases).toBeGreaterThanOrEqual(3);
    expect(counts.attachments).toBeGreaterThanOrEqual(1);
    expect(Object.keys(counts)).toEqual(expect.arrayContaining(['auth', 'hub', 'org_units']));
    // The file keeps citizens' fields and files sealed: no ID number, no scan in the clear.
    const { gunzipSync } = await import('node:zlib');
    const text = gunzipSync(readFileSync(file)).toString('utf8');
    expect(text).not.toContain(before[0]!.applicant!.idNumber);
    expect(text).not.toContain(scan.toString('base64'));
    // The demo projects (seed-demo) are in it, their owners' contacts and work log sealed.
    expect(counts.projects).toBeGreaterThanOrEqual(3);
    for (const p of buildDemoProjects(new Date().toISOString().slice(0, 10))) {
      for (const e of p.events) {
        if (e.type === 'register') expect(text).not.toContain(e.payload.owner.contactPhone);
        if (e.type === 'log_entry') expect(text).not.toContain(e.payload.done);
      }
    }
    // Written after the backup: must not come back.
    after = await newCase(village);
    expect((await pushVersions(village, [[null, after]]))[0]!.status).toBe('accepted');
  });

  it('refuses a restore while the hub serves, and a cut-off file', async () => {
    if (mode === 'embedded') {
      const r = await hub.cli(['restore', file]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('先停止枢纽');
    }
    const cut = `${file}.cut`;
    const whole = readFileSync(file);
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    await stopOnly(hub);
    try {
      const r = await hub.cli(['restore', cut]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/备份文件(损坏|不完整)/);
    } finally {
      rmSync(cut, { force: true });
      await hub.restart();
    }
    // Nothing was dropped: the case written after the backup is still served.
    const ids = [...(await village.pullAll('cases')).keys()];
    expect(ids).toContain(after.id);
  }, 60_000);

  it('refuses a restore with another key file and changes nothing', async () => {
    const keyFile = path.join(hub.dataDir, 'secrets', 'at-rest-keys.json');
    const saved = `${keyFile}.saved`;
    copyFileSync(keyFile, saved);
    await stopOnly(hub);
    try {
      writeFileSync(
        keyFile,
        JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64url') } }),
        { mode: 0o600 },
      );
      const r = await hub.cli(['restore', file]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('指纹');
    } finally {
      copyFileSync(saved, keyFile);
      rmSync(saved);
      await hub.restart();
    }
    const ids = [...(await village.pullAll('cases')).keys()];
    expect(ids).toContain(after.id);
  }, 60_000);

  /** Pulls `cases` from `from` to the end of the feed: what arrived and the last checkpoint. */
  async function pullFrom(from: PullCheckpoint | null) {
    const got = new Set<string>();
    let checkpoint = from;
    for (;;) {
      const r = await village.pull<CaseDoc>('cases', checkpoint, 200);
      expect(r.status).toBe(200);
      for (const d of r.body.documents) got.add(d.id);
      checkpoint = r.body.checkpoint;
      if (r.body.documents.length < 200) return { got, checkpoint };
    }
  }

  it('brings back every case, event, account, device and attachment after a wipe', async () => {
    await stopAndWipe(hub);
    const r = await hub.cli(['restore', file]);
    expect(r.code, r.stderr).toBe(0);
    await hub.restart();

    // The same PC logs in again: device and account came back, no re-enrolment.
    await village.login();
    const served = await village.pullAll('cases');
    for (const d of before) {
      const got = served.get(d.id);
      expect(got, d.id).toBeDefined();
      expect(got!.events.map((e) => e.id)).toEqual(
        expect.arrayContaining(d.events.map((e) => e.id)),
      );
      expect(got!.applicant?.idNumber).toBe(d.applicant?.idNumber);
    }
    expect(served.has(after.id)).toBe(false);
    // The restored store numbers its feed anew, so the early PC's old position is a valid
    // number there that points past restored cases it never received: a checkpoint of the
    // old store's epoch restarts the pull instead, and nothing is skipped.
    const resumed = await pullFrom(early);
    for (const d of before) expect(resumed.got.has(d.id), d.id).toBe(true);
    expect(resumed.checkpoint?.epoch).toBeDefined();
    expect(resumed.checkpoint?.epoch).not.toBe(early?.epoch);

    const att = await http<{ dataBase64: string }>(
      `${hub.url}/api/attachments/${encodeURIComponent(attachmentId)}/content?as=base64`,
      { token: village.token },
    );
    expect(att.status).toBe(200);
    expect(Buffer.from(att.body.dataBase64, 'base64').equals(scan)).toBe(true);

    // The restored hub takes new work.
    const fresh = await newCase(village, { matterCode: MATTER_LEGAL_AID });
    expect((await pushVersions(village, [[null, fresh]]))[0]!.status).toBe('accepted');
    expect(existsSync(file)).toBe(true);
  }, 120_000);
});
