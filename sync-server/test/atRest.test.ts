/**
 * Citizens' identity data is sealed at rest in the hub's store (atRest/): what an operator or a
 * thief of the store files reads holds no ID number, phone or applicant name, no recipient's
 * name, rating or withdrawal text, no project owner's contact, team names or work log, and no
 * usable token-signing key; devices still pull the plain case and project. A store written by
 * an older hub (plaintext, or sealing fewer fields) is sealed at the next start with nothing
 * lost, and `keys rotate` re-seals every document under a new key next to a running hub.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttachmentMeta, CaseDoc, EnrollResponse } from '@sibantong/shared';
import { DEMO_PROJECT_IDS, type ProjectDoc } from '@sibantong/shared/project/index';
import { MATTER_PENSION, newCase, pushVersions, withEvent } from './helpers/cases.js';
import { enrolDevices, http, loginAs, waitFor, type TestClient } from './helpers/client.js';
import { startHub, storeModes, type HubHandle } from './helpers/hubProcess.js';
import { storeAdmin, type StoreAdmin } from './helpers/storeAdmin.js';

type Raw = Record<string, unknown> & { _id: string; _rev: string };

/** Words only the sealed fields carry: none may be found in the store. */
const RECIPIENT = '令狐晓冲';
const RATING_TEXT = '窗口态度冷淡，等了四十分钟';
const WITHDRAW_REASON = '申请人已在外地办妥，自愿撤回';
const LOG_TEXT = '电话联系申请人 13912345678，其家属称本人在外务工';
const OPINION = '经核查申请人名下无其他房产，符合条件，准予登记';
const PARK = DEMO_PROJECT_IDS[0];
const SCAN = Buffer.from('%PDF-1.4\n扫描件：居民身份证复印件（轮换密钥）\n%%EOF');

/** The clear words of a project that must be sealed: contact, phone, team-only names, free text. */
function projectSecrets(p: ProjectDoc): string[] {
  const authors = new Set(p.events.map((e) => e.actor.name));
  const out: string[] = [];
  for (const e of p.events) {
    if (e.type === 'register') out.push(e.payload.owner.contactName, e.payload.owner.contactPhone);
    if (e.type === 'set_team') {
      const team = [e.payload.leader, e.payload.lead, ...e.payload.members];
      // A member who also wrote an event is named clear as its author (staff, as in cases).
      for (const m of team) if (m && !authors.has(m.name)) out.push(m.name);
    }
    if (e.type === 'log_entry') out.push(e.payload.done);
    if (e.type === 'plan_item') out.push(e.payload.text);
    if (e.type === 'plan_review' && e.payload.note) out.push(e.payload.note);
  }
  return out;
}

describe.each(storeModes())("citizens' data at rest on the %s store", (mode) => {
  let hub: HubHandle;
  let devices: EnrollResponse[];
  let v: TestClient;
  let store: StoreAdmin;
  let pushed: CaseDoc;
  /** Delivered to RECIPIENT and rated with RATING_TEXT. */
  let rated: CaseDoc;
  /** Withdrawn with WITHDRAW_REASON. */
  let withdrawn: CaseDoc;
  let agent: TestClient;
  /** The demo project as the centre agent pulled it at the start. */
  let park: ProjectDoc;
  /** A material scan of `pushed`, sealed in the attachments database. */
  let scanId: string;

  const rawCase = async (id: string) =>
    (await store.get(`/${store.db('cases')}/${encodeURIComponent(id)}`)) as {
      status: number;
      body: Raw;
      text: string;
    };
  const rawProject = async (id: string) =>
    (await store.get(`/${store.db('projects')}/${encodeURIComponent(id)}`)) as {
      status: number;
      body: Raw;
      text: string;
    };
  const pulled = async (id: string) =>
    waitFor(async () => (await v.pullAll('cases')).get(id) ?? null);
  const pulledProject = async (id: string) =>
    waitFor(async () => (await agent.pullAll<ProjectDoc>('projects')).get(id) ?? null);
  const secretsIn = (text: string) =>
    [
      pushed.applicant.idNumber,
      pushed.applicant.phone,
      '欧阳明月',
      RECIPIENT,
      RATING_TEXT,
      WITHDRAW_REASON,
      LOG_TEXT,
      OPINION,
      ...projectSecrets(park),
    ].filter((w) => text.includes(w));
  const keyFile = () =>
    JSON.parse(readFileSync(path.join(hub.dataDir, 'secrets', 'at-rest-keys.json'), 'utf8')) as {
      current: string;
      keys: Record<string, string>;
    };

  beforeAll(async () => {
    hub = await startHub({ mode });
    expect((await hub.cli(['seed-demo'])).code).toBe(0);
    devices = await enrolDevices(hub, 'village-dq-01', 2);
    v = await loginAs(hub, devices[0]!, 'v.dq01');
    store = storeAdmin(hub);
    pushed = await newCase(v, { applicantName: '欧阳明月' });
    const [res] = await pushVersions(v, [[null, pushed]]);
    expect(res?.status).toBe('accepted');
    rated = await newCase(v, { matterCode: MATTER_PENSION });
    rated = withEvent(v, rated, 'accept', {});
    rated = withEvent(v, rated, 'log', { text: LOG_TEXT });
    rated = withEvent(v, rated, 'conclude', { outcome: 'approved', opinion: OPINION });
    rated = withEvent(v, rated, 'deliver_result', {
      method: 'collected',
      recipientName: RECIPIENT,
    });
    rated = withEvent(v, rated, 'rate', {
      level: 2,
      channel: 'pad',
      realName: true,
      text: RATING_TEXT,
    });
    withdrawn = await newCase(v);
    withdrawn = withEvent(v, withdrawn, 'withdraw', { reason: WITHDRAW_REASON });
    const answers = await pushVersions(v, [
      [null, rated],
      [null, withdrawn],
    ]);
    expect(answers.map((a) => a?.status)).toEqual(['accepted', 'accepted']);
    // The workflow binds the official number first: later raw writes then meet no race.
    await waitFor(async () => (await v.pullAll('cases')).get(pushed.id)?.officialNo ?? null);
    scanId = `${v.deviceId}:att:rotate`;
    const meta: AttachmentMeta = {
      id: scanId,
      caseId: pushed.id,
      materialId: 'id-card',
      materialName: '居民身份证',
      fileName: 'scan.pdf',
      mimeType: 'application/pdf',
      size: SCAN.length,
      sha256: createHash('sha256').update(SCAN).digest('hex'),
      attachedBy: { userId: v.actor.userId, name: v.actor.name, orgUnitId: v.actor.orgUnitId },
      attachedAt: new Date().toISOString(),
      deviceId: v.deviceId,
    };
    const up = await http(`${hub.url}/api/attachments`, {
      token: v.token,
      body: { meta, dataBase64: SCAN.toString('base64') },
    });
    expect(up.status, JSON.stringify(up.body)).toBeLessThan(300);
    agent = await loginAs(hub, devices[1]!, 'c.agent');
    park = await pulledProject(PARK);
    // The test is only as good as its words: the project has each kind of sealed field.
    expect(projectSecrets(park).length).toBeGreaterThanOrEqual(6);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('stores no ID number, phone or applicant name in clear, and devices pull them whole', async () => {
    const raw = await rawCase(pushed.id);
    expect(raw.status).toBe(200);
    expect(raw.text).not.toContain(pushed.applicant.idNumber);
    expect(raw.text).not.toContain(pushed.applicant.phone);
    expect(raw.text).not.toContain('欧阳明月');
    expect(raw.body.applicant).toBeNull();
    expect(raw.body.sealed).toMatchObject({ v: 1, kid: 'k1' });
    // The keyed digest searches use stays clear; the masked form too.
    expect(raw.body.applicantIdDigest).toBe(pushed.applicantIdDigest);

    const doc = await pulled(pushed.id);
    expect(doc.applicant).toEqual(pushed.applicant);
    expect(doc.applicantName).toBe('欧阳明月');
    expect(doc.events[0]!.payload).toEqual(pushed.events[0]!.payload);

    const token = await store.get(`/${store.db('hub')}/config:token-key`);
    expect((token.body as { secret: unknown }).secret).toBeNull();
    expect((token.body as { sealed?: unknown }).sealed).toBeTruthy();
  });

  it("stores no recipient's name, rating, withdrawal or staff's text in clear, and devices pull them whole", async () => {
    for (const c of [rated, withdrawn]) {
      const raw = await rawCase(c.id);
      expect(raw.status).toBe(200);
      expect(secretsIn(raw.text)).toEqual([]);
      expect(raw.body.sealed).toMatchObject({ v: 1, kid: 'k1' });
    }
    // What the hub computes in the store still sees the rating: the level stays clear.
    const rawRate = ((await rawCase(rated.id)).body.events as CaseDoc['events']).find(
      (e) => e.type === 'rate',
    )!;
    expect(rawRate.payload).toMatchObject({ level: 2, text: null });
    const rawConclude = ((await rawCase(rated.id)).body.events as CaseDoc['events']).find(
      (e) => e.type === 'conclude',
    )!;
    expect(rawConclude.payload).toMatchObject({ outcome: 'approved', opinion: null });

    const all = await v.pullAll('cases');
    expect(all.get(rated.id)!.events.map((e) => e.payload)).toEqual(
      rated.events.map((e) => e.payload),
    );
    expect(all.get(withdrawn.id)!.events.map((e) => e.payload)).toEqual(
      withdrawn.events.map((e) => e.payload),
    );
  });

  it("stores no project owner's contact, team-only names or work log in clear, and members pull them whole", async () => {
    const raw = await rawProject(PARK);
    expect(raw.status).toBe(200);
    expect(secretsIn(raw.text)).toEqual([]);
    expect(raw.body.sealed).toMatchObject({ v: 1, kid: 'k1' });
    // Lists and scope still read the derived fields: they stay clear.
    expect(raw.body.name).toBe(park.name);
    expect(raw.body.teamUserIds).toEqual(park.teamUserIds);

    const again = await pulledProject(PARK);
    expect(again.events).toEqual(park.events);
    const register = again.events.find((e) => e.type === 'register')!;
    expect(register.type === 'register' && register.payload.owner.contactPhone).toMatch(
      /^1\d{10}$/,
    );
  });

  it('seals a store an older hub wrote in plaintext at the next start, losing nothing', async () => {
    const plain = await pulled(pushed.id);
    const plainRated = await pulled(rated.id);
    const raw = (await rawCase(pushed.id)).body;
    // What the old code stored: the same document with the identity in clear, no `sealed`.
    const { sealed: _s, ...rest } = raw;
    const legacy = {
      ...rest,
      applicant: plain.applicant,
      applicantName: plain.applicantName,
      events: plain.events,
    };
    const written = await store.put(
      `/${store.db('cases')}/${encodeURIComponent(pushed.id)}`,
      legacy,
    );
    expect(written.status).toBe(201);
    const legacyRev = (written.body as { rev: string }).rev;
    // A hub that sealed only the applicant: its seal kept, the rating and recipient in clear.
    // (Read again on a conflict: the workflow may still be writing the case.)
    await waitFor(async () => {
      const rawRated = (await rawCase(rated.id)).body;
      const put = await store.put(`/${store.db('cases')}/${encodeURIComponent(rated.id)}`, {
        ...rawRated,
        events: plainRated.events,
      });
      return put.status === 201 ? true : null;
    });
    // A hub that sealed no project: the project in clear, no `sealed`.
    const { sealed: _p, ...projectRest } = (await rawProject(PARK)).body;
    const legacyProject = await store.put(`/${store.db('projects')}/${encodeURIComponent(PARK)}`, {
      ...projectRest,
      events: park.events,
    });
    expect(legacyProject.status).toBe(201);
    const legacyProjectRev = (legacyProject.body as { rev: string }).rev;
    const tokenDoc = (await store.get(`/${store.db('hub')}/config:token-key`)).body as Raw;
    const { sealed: _t, ...tokenRest } = tokenDoc;
    await store.put(`/${store.db('hub')}/config:token-key`, {
      ...tokenRest,
      secret: 'legacy-plaintext-token-key-0123456789abcdef',
    });
    // The marker as the hub that sealed only the applicant left it: every document under k1.
    const { scheme: _scheme, ...marker } = (await store.get(`/${store.db('hub')}/config:at-rest`))
      .body as Raw;
    expect((await store.put(`/${store.db('hub')}/config:at-rest`, marker)).status).toBe(201);
    expect((await rawCase(pushed.id)).text).toContain(pushed.applicant.idNumber);
    expect((await rawCase(rated.id)).text).toContain(RATING_TEXT);
    expect(secretsIn((await rawProject(PARK)).text)).toEqual(
      expect.arrayContaining(projectSecrets(park)),
    );

    await hub.kill9();
    await hub.restart();
    store = storeAdmin(hub);

    const after = await rawCase(pushed.id);
    expect(after.text).not.toContain(pushed.applicant.idNumber);
    expect(after.text).not.toContain('欧阳明月');
    expect(secretsIn((await rawCase(rated.id)).text)).toEqual([]);
    expect(secretsIn((await rawProject(PARK)).text)).toEqual([]);
    const token = await store.get(`/${store.db('hub')}/config:token-key`);
    expect(token.text).not.toContain('legacy-plaintext');
    // The plaintext revision itself is compacted away, not only superseded.
    await waitFor(async () => {
      const old = await store.get(
        `/${store.db('cases')}/${encodeURIComponent(pushed.id)}?rev=${legacyRev}`,
      );
      return !old.text.includes(pushed.applicant.idNumber);
    }, 30_000);
    await waitFor(async () => {
      const old = await store.get(
        `/${store.db('projects')}/${encodeURIComponent(PARK)}?rev=${legacyProjectRev}`,
      );
      return secretsIn(old.text).length === 0;
    }, 30_000);

    // Nothing lost: the case pulls whole, and the (re-sealed) token key signs new sessions.
    v = await loginAs(hub, devices[0]!, 'v.dq01');
    const doc = await pulled(pushed.id);
    expect(doc.applicant).toEqual(pushed.applicant);
    expect(doc.events.map((e) => e.id)).toEqual(plain.events.map((e) => e.id));
    expect(doc.events[0]!.payload).toEqual(pushed.events[0]!.payload);
    expect((await pulled(rated.id)).events).toEqual(plainRated.events);
    agent = await loginAs(hub, devices[1]!, 'c.agent');
    expect((await pulledProject(PARK)).events).toEqual(park.events);
  });

  it('rotates the data key next to a running hub and re-seals everything under it', async () => {
    const before = keyFile();
    const out = await hub.cli(['keys', 'rotate']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json).toMatchObject({ current: 'k2', remaining: 0 });
    const after = keyFile();
    expect(after.current).toBe('k2');
    expect(Object.keys(after.keys)).toEqual(['k2']);
    expect(after.keys.k2).not.toBe(before.keys.k1);
    expect(((await rawCase(pushed.id)).body.sealed as { kid: string }).kid).toBe('k2');
    expect(((await rawCase(rated.id)).body.sealed as { kid: string }).kid).toBe('k2');
    expect(((await rawProject(PARK)).body.sealed as { kid: string }).kid).toBe('k2');
    expect((await pulledProject(PARK)).events).toEqual(park.events);
    // Files too: one left under the retired key would no longer open.
    const rawFile = await store.get(
      `/${store.db('attachments')}/${encodeURIComponent(`f:${scanId}`)}`,
    );
    expect((rawFile.body as { sealed: { kid: string } }).sealed.kid).toBe('k2');
    const file = await http<{ dataBase64: string }>(
      `${hub.url}/api/attachments/${encodeURIComponent(scanId)}/content?as=base64`,
      { token: v.token },
    );
    expect(file.status).toBe(200);
    expect(Buffer.from(file.body.dataBase64, 'base64').equals(SCAN)).toBe(true);

    // The running hub reads and writes under the new key: a new event on the case goes through.
    const current = await pulled(pushed.id);
    const next = withEvent(v, current, 'log', { text: '轮换密钥后的工作日志' });
    const [res] = await pushVersions(v, [[current, next]]);
    expect(res?.status).toBe('accepted');
    const doc = await waitFor(async () => {
      const d = (await v.pullAll('cases')).get(pushed.id);
      return d && d.events.length === next.events.length ? d : null;
    });
    expect(doc.applicant).toEqual(pushed.applicant);
    expect(((await rawCase(pushed.id)).body.sealed as { kid: string }).kid).toBe('k2');
  });

  it('refuses to start with a key file that does not fit the store, and starts again with the right one', async () => {
    const file = path.join(hub.dataDir, 'secrets', 'at-rest-keys.json');
    const right = readFileSync(file, 'utf8');
    const current = keyFile().current;
    // What a second hub in front of the same CouchDB would have if it generated its own file.
    writeFileSync(
      file,
      JSON.stringify({ current, keys: { [current]: randomBytes(32).toString('base64url') } }),
    );
    await hub.kill9();
    await expect(hub.restart()).rejects.toThrow(/AT_REST_KEY_MISMATCH/);
    writeFileSync(file, right);
    await hub.restart();
    v = await loginAs(hub, devices[0]!, 'v.dq01');
    expect((await pulled(pushed.id)).applicant).toEqual(pushed.applicant);
  });
});
