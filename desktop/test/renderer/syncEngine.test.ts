import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaseDoc, CaseEvent, PushRequest } from '@sibantong/shared';
import type { DeviceConfig } from '../../src/renderer/auth/deviceConfig';
import type { AppDatabase } from '../../src/renderer/db/database';
import { caseDoc } from './caseFixtures';
import { Journey, caseDocOf, helper } from '../../../shared/test/case/fixtures';

/**
 * The sync engine against an in-memory hub (pull by change sequence, push accepted) and a fake
 * live stream: a fresh device pulls everything with the live two-way replication, which then
 * still receives changes and uploads local edits (and never re-uploads what it pulled); the
 * stream's opening resync causes no second pull round, on a first start or a restart. The
 * same engine against a real hub: syncAgainstHub.test.ts.
 */
interface Stored {
  doc: CaseDoc;
  seq: number;
}
const hub = {
  seq: 0,
  cases: new Map<string, Stored>(),
  pulls: [] as string[],
  pushed: [] as CaseDoc[],
  assumed: [] as (CaseDoc | null)[],
  put(doc: CaseDoc) {
    hub.seq += 1;
    hub.cases.set(doc.id, { doc, seq: hub.seq });
  },
};

vi.mock('../../src/renderer/sync/hubSession', () => ({
  authedFetch: vi.fn(async (_cfg: unknown, path: string, req?: { body?: unknown }) => {
    const url = new URL(path, 'http://hub');
    const [, , , collection, op] = url.pathname.split('/');
    if (op === 'pull') {
      hub.pulls.push(collection!);
      if (collection !== 'cases') return { documents: [], checkpoint: { seq: '0' } };
      const since = Number(
        (JSON.parse(url.searchParams.get('checkpoint') ?? '{"seq":"0"}') as { seq: string }).seq,
      );
      const limit = Number(url.searchParams.get('limit'));
      const rows = [...hub.cases.values()]
        .filter((r) => r.seq > since)
        .sort((a, b) => a.seq - b.seq)
        .slice(0, limit);
      const last = rows.at(-1)?.seq ?? Math.max(since, hub.seq);
      return { documents: rows.map((r) => r.doc), checkpoint: { seq: String(last) } };
    }
    const body = req!.body as PushRequest;
    return {
      results: body.rows.map((r) => {
        hub.pushed.push(r.newDocumentState);
        hub.assumed.push(r.assumedMasterState);
        hub.put(r.newDocumentState);
        return { id: r.newDocumentState.id, status: 'accepted' };
      }),
    };
  }),
}));
vi.mock('../../src/renderer/auth/sessionStore', () => ({
  getAccessToken: vi.fn(async () => 'token'),
}));

class FakeEventSource {
  static all: FakeEventSource[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((ev: MessageEvent<string>) => void) | null = null;
  private listeners = new Map<string, ((ev: MessageEvent<string>) => void)[]>();
  closed = false;
  constructor(public url: string) {
    FakeEventSource.all.push(this);
    // As the hub does: open, then an opening `resync`.
    setTimeout(() => {
      if (this.closed) return;
      this.onopen?.();
      this.emit('resync', '');
    }, 5);
  }
  addEventListener(type: string, fn: (ev: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  emit(type: string, data: string) {
    for (const fn of this.listeners.get(type) ?? []) fn({ data } as MessageEvent<string>);
  }
  close() {
    this.closed = true;
  }
}
Object.defineProperty(globalThis, 'EventSource', { value: FakeEventSource, configurable: true });

const { openDatabase } = await import('../../src/renderer/db/database');
const { startSync } = await import('../../src/renderer/sync/replication');
const { sealSecret } = await import('../../src/renderer/crypto/secretSealing');

const cfg: DeviceConfig = {
  hubUrl: 'http://hub',
  hubName: 'hub',
  deviceId: 'dev-sync',
  orgUnitId: 'v1',
  // The stream's URL carries a proof made with the device secret.
  deviceSecretSealed: await sealSecret('device-secret'),
  allowInsecure: true,
  enrolledAt: '2026-11-01T00:00:00.000Z',
};
const KEY = 'test-data-key-0123456789abcdef';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => Promise<boolean> | boolean, ms = 10_000) {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await sleep(20);
  }
}

/** A case accepted on this device: none of its events carries the hub's stamp yet. */
function localCase(id: string): CaseDoc {
  const doc = caseDoc(id, { updatedAt: new Date().toISOString() });
  return { ...doc, events: doc.events.map(({ hubTime: _, ...e }) => e as CaseEvent) };
}

let db: AppDatabase | null = null;
afterEach(async () => {
  await db?.close();
  db = null;
});

describe('sync engine', () => {
  it('pulls a fresh device, then syncs live both ways; no second round on start', async () => {
    for (let i = 0; i < 2499; i += 1)
      hub.put(caseDoc(`h${String(i).padStart(5, '0')}`, { updatedAt: new Date().toISOString() }));
    // One case with a real history the hub has stamped, for the local step below.
    const real = new Journey('h-real').add(helper, 'receive').add(helper, 'accept');
    hub.put(
      caseDocOf(
        real.events.map((e) => ({ ...e, hubTime: '2026-11-01T02:00:01.000Z' })),
        { id: 'h-real', updatedAt: new Date().toISOString() },
      ),
    );
    db = await openDatabase(`dev-sync-${Date.now()}`, KEY);

    let engine = startSync(db, { ...cfg, deviceId: `dev-sync-${Date.now()}` });
    await engine.ready;
    expect(await db.cases.count().exec()).toBe(2500);
    expect(engine.firstRound()).toMatchObject({ fresh: true, pulled: 2500 });
    await engine.cases()!.awaitInSync();
    await sleep(200);
    // 1000 + 1000 + 500 (a short page ends the round). The stream opened before any pull, so
    // its opening resync did not start another round.
    expect(hub.pulls.filter((c) => c === 'cases')).toHaveLength(3);
    // Reference collections started after the cases' first round.
    expect(hub.pulls.indexOf('matters')).toBeGreaterThan(hub.pulls.lastIndexOf('cases'));
    // Nothing pulled was offered back to the hub.
    expect(hub.pushed).toHaveLength(0);
    // Pulled cases carry the local index fields.
    const one = await db.cases.findOne('h00001').exec();
    expect(one?.toJSON()).toMatchObject({ open: true });

    // Live: a change announced by the stream arrives.
    hub.put(caseDoc('live-1', { updatedAt: new Date().toISOString() }));
    FakeEventSource.all.at(-1)!.emit('change', JSON.stringify({ collection: 'cases' }));
    await until(async () => !!(await db!.cases.findOne('live-1').exec()));

    // A local case goes up, without the local index fields.
    await db.cases.insert(localCase('local-1'));
    await until(() => hub.pushed.some((d) => d.id === 'local-1'));
    const pushed = hub.pushed.find((d) => d.id === 'local-1')!;
    expect(pushed).not.toHaveProperty('open');
    expect(pushed).not.toHaveProperty('recency');
    expect(hub.pushed.map((d) => d.id)).toEqual(['local-1']);
    // A new case is a creation: no hub copy assumed.
    expect(hub.assumed).toEqual([null]);

    // A local step on a pulled case goes up with the hub's copy as the device saw it, so the
    // hub can tell a conflict from a refusal.
    const pulled = (await db.cases.findOne('h-real').exec())!;
    const before = pulled.toJSON().events as CaseEvent[];
    const hubEvents = before.map((e) => e.id);
    const step = real.make(helper, 'log', { text: '电话联系申请人' }, before);
    await pulled.incrementalPatch({ events: [...before, step] });
    await until(() => hub.pushed.some((d) => d.id === 'h-real'));
    const row = hub.pushed.findIndex((d) => d.id === 'h-real');
    expect(hub.pushed[row]!.events).toHaveLength(hubEvents.length + 1);
    expect(hub.assumed[row]?.events.map((e) => e.id)).toEqual(hubEvents);

    // Restart: no second round from the stream's opening resync. The one round
    // reads the hub's accepted copy of local-1 and the empty page that ends it (3 requests
    // seen here; a second round would add at least two more).
    await engine.stop();
    hub.pulls.length = 0;
    engine = startSync(db, cfg);
    await engine.ready;
    await engine.cases()!.awaitInSync();
    await sleep(200);
    expect(engine.firstRound()).toMatchObject({ fresh: false });
    expect(hub.pulls.filter((c) => c === 'cases').length).toBeLessThanOrEqual(3);
    await engine.stop();
  }, 120_000);

  it('uploads a case accepted on the device while the first download is still pulling', async () => {
    hub.cases.clear();
    for (let i = 0; i < 1500; i += 1)
      hub.put(caseDoc(`d${String(i).padStart(5, '0')}`, { updatedAt: new Date().toISOString() }));
    db = await openDatabase(`dev-sync-during-${Date.now()}`, KEY);
    hub.pulls.length = 0;
    const pushedBefore = hub.pushed.length;
    const engine = startSync(db, { ...cfg, deviceId: `dev-sync-during-${Date.now()}` });
    await until(() => hub.pulls.includes('cases'), 20_000);
    await db.cases.insert(localCase('during-1'));
    await engine.ready;
    expect(engine.firstRound()).toMatchObject({ fresh: true });
    await until(() => hub.pushed.slice(pushedBefore).some((d) => d.id === 'during-1'), 20_000);
    await engine.stop();
  }, 60_000);
});
