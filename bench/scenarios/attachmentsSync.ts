/**
 * Attachments and case events (issue 16): a village PC that was offline holds 200 cases and
 * 600 attached pages (≈ 300 KB each, JPEG). Back online it pushes its case events in batches
 * of 100 (the desktop's replication) while the attachment queue uploads the pages one request
 * at a time (desktop db/attachmentSync.ts: a file goes up only once its case is stamped, so
 * here the uploads start as soon as the first case batch is accepted). Measured, against a
 * real hub over HTTP:
 * - caseEventsMs: until every case is accepted, with the uploads running, against
 *   caseEventsAloneMs, the same 200 cases pushed on an idle hub (a second village);
 * - acceptanceMs: the round trip of a new acceptance (one new case pushed) every second while
 *   the backlog uploads: the counter keeps working;
 * - attachmentsMs: until the 600 pages are all stored (and the throughput in MB/s).
 */
import { createHash } from 'node:crypto';
import {
  DEMO_PASSWORD,
  type Actor,
  type AttachmentMeta,
  type CaseDoc,
  type PushResponse,
} from '@sibantong/shared';
import { generateCase } from '../support/dataGen.ts';
import { enrolDevices, http, login, seedDemo, startHub } from '../support/hub.ts';
import type { StoreKind, StoreTarget } from '../support/couch.ts';
import { summarize, type Summary } from '../support/stats.ts';

export interface AttachmentsSyncResult {
  store: StoreKind;
  cases: number;
  pages: number;
  pageBytes: number;
  caseEventsAloneMs: number;
  caseEventsMs: number;
  attachmentsMs: number;
  attachmentMBps: number;
  acceptanceMs: Summary;
  refused: number;
}

const PUSH_BATCH = 100;

function page(seed: number, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  // Scan-like content (not all one byte), JPEG header first.
  for (let i = 0; i < bytes; i += 4) b.writeUInt32LE(Math.imul(i + seed, 2654435761) >>> 0, i);
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b;
}

async function pushAll(url: string, token: string, docs: CaseDoc[]): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < docs.length; i += PUSH_BATCH) {
    const rows = docs
      .slice(i, i + PUSH_BATCH)
      .map((d) => ({ assumedMasterState: null, newDocumentState: d }));
    const r = await http<PushResponse>(`${url}/api/sync/cases/push`, { token, body: { rows } });
    if (r.status !== 200) throw new Error(`push ${r.status}`);
    const bad = r.body.results.find((x) => x.status !== 'accepted');
    if (bad) throw new Error(`push refused: ${JSON.stringify(bad).slice(0, 300)}`);
  }
  return performance.now() - started;
}

export async function attachmentsSync(
  opts: { cases: number; pagesPerCase: number; pageBytes: number },
  target: StoreTarget,
  log: (m: string) => void,
): Promise<AttachmentsSyncResult> {
  const hub = await startHub(log, { couchUrl: target.couchUrl });
  try {
    await seedDemo(hub);
    const store = hub.attached();
    const [dev, idle, counter] = await enrolDevices(hub, store, 'village-dq-01', 3);
    const s = await login(hub, dev!, 'v.dq01', DEMO_PASSWORD);
    const sIdle = await login(hub, idle!, 'v.dq01', DEMO_PASSWORD);
    const sCounter = await login(hub, counter!, 'v.dq01', DEMO_PASSWORD);
    const actor: Actor = {
      userId: s.user.userId,
      name: s.user.name,
      role: s.user.role,
      orgUnitId: s.user.orgUnitId,
    };
    const gen = (prefix: string, deviceId: string, n: number, from = 0) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          generateCase({
            index: from + i,
            villageId: 'village-dq-01',
            villageActor: actor,
            deviceId,
            maxSteps: 2,
            idPrefix: prefix,
            now: Date.now(),
          }),
        ),
      );

    // Warm-up (a fresh hub's first pushes are slower), then the reference: the same amount of
    // case events on an idle hub.
    await pushAll(hub.url, sIdle.accessToken, await gen('att-warm', idle!.deviceId, 10, 9_000_000));
    const alone = await gen('att-alone', idle!.deviceId, opts.cases);
    const caseEventsAloneMs = await pushAll(hub.url, sIdle.accessToken, alone);

    const cases = await gen('att-main', dev!.deviceId, opts.cases, opts.cases);
    const pages: { meta: AttachmentMeta; data: string }[] = [];
    for (const [ci, c] of cases.entries())
      for (let p = 0; p < opts.pagesPerCase; p += 1) {
        const bytes = page(ci * 31 + p, opts.pageBytes);
        pages.push({
          meta: {
            id: `${dev!.deviceId}:att:${ci}-${p}`,
            caseId: c.id,
            materialId: null,
            materialName: '',
            fileName: `第${p + 1}页.jpg`,
            mimeType: 'image/jpeg',
            size: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('hex'),
            attachedBy: { userId: actor.userId, name: actor.name, orgUnitId: actor.orgUnitId },
            attachedAt: new Date().toISOString(),
            deviceId: dev!.deviceId,
          },
          data: bytes.toString('base64'),
        });
      }
    log(`attachments: ${cases.length} cases, ${pages.length} pages ready`);

    const acceptedCases = new Set<string>();
    let refused = 0;
    const started = performance.now();
    let caseEventsMs = 0;
    let attachmentsMs = 0;
    // Case events, batch after batch (the replication).
    const events = (async () => {
      for (let i = 0; i < cases.length; i += PUSH_BATCH) {
        const batch = cases.slice(i, i + PUSH_BATCH);
        await pushAll(hub.url, s.accessToken, batch);
        for (const c of batch) acceptedCases.add(c.id);
      }
      caseEventsMs = performance.now() - started;
    })();
    // The attachment queue: one file per request, only for cases the hub holds.
    const uploads = (async () => {
      let next = 0;
      while (next < pages.length) {
        const p = pages[next]!;
        if (!acceptedCases.has(p.meta.caseId)) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        const r = await http<{ code?: string }>(`${hub.url}/api/attachments`, {
          token: s.accessToken,
          body: { meta: p.meta, dataBase64: p.data },
        });
        if (r.status !== 200) refused += 1;
        next += 1;
      }
      attachmentsMs = performance.now() - started;
    })();
    // New acceptances at the counter every second while the backlog runs.
    const acceptance: number[] = [];
    let counterIndex = 0;
    const counterWork = (async () => {
      while (attachmentsMs === 0) {
        const [c] = await gen('att-counter', counter!.deviceId, 1, 2 * opts.cases + counterIndex++);
        const t0 = performance.now();
        await pushAll(hub.url, sCounter.accessToken, [c!]);
        acceptance.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    await Promise.all([events, uploads]);
    await counterWork;
    const mb = (pages.length * opts.pageBytes) / 1024 / 1024;
    log(
      `attachments: case events ${Math.round(caseEventsMs)} ms (alone ${Math.round(caseEventsAloneMs)} ms), ` +
        `pages ${Math.round(attachmentsMs)} ms, ${acceptance.length} acceptances`,
    );
    return {
      store: target.kind,
      cases: cases.length,
      pages: pages.length,
      pageBytes: opts.pageBytes,
      caseEventsAloneMs,
      caseEventsMs,
      attachmentsMs,
      attachmentMBps: mb / (attachmentsMs / 1000),
      acceptanceMs: summarize(acceptance),
      refused,
    };
  } finally {
    await hub.stop();
  }
}
