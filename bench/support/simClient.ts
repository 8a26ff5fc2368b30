/**
 * A simulated live desktop for the hub-load scenarios, speaking the hub's HTTP API the way
 * the renderer's sync engine does: server-sent events tell it *that* something changed, it
 * then pulls from its checkpoint in batches of 1000 (one pull at a time, coalesced like RxDB's
 * RESYNC), and pushes in batches of 100 (as the renderer does). It keeps no database: only ids seen and when.
 */
import {
  createEvent,
  DEMO_MATTERS,
  deriveCaseFields,
  type CaseDoc,
  type CaseEvent,
  type EnrollResponse,
  type LoginResponse,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type PushRowResult,
} from '@sibantong/shared';
import { generateCase, type CountyUnits } from './dataGen.ts';
import { deviceProof, http, refreshSession } from './hub.ts';

// As the renderer (desktop/src/renderer/sync/replication.ts): cases pulled 1000 at a time.
export const PULL_BATCH = 1000;
export const PUSH_BATCH = 100;

export type PushRow = PushRequest['rows'][number];
const MATTERS = new Map(DEMO_MATTERS.map((m) => [m.code, m]));

export class SimClient {
  /** id → first time (ms, Date.now) this client saw the case in a pull. */
  readonly seen = new Map<string, number>();
  /** id → the latest version pulled (the assumed master state of this device's next edit). */
  readonly docs = new Map<string, CaseDoc>();
  checkpoint: { seq: string } | null = null;
  pulls = 0;
  /** Pulls answered with no documents (nothing new for this client). */
  emptyPulls = 0;
  /**
   * Pulls the hub served by scanning the store's feed (`x-pull-path: scan`) instead of through
   * its scope index: a checkpoint the answering hub cannot place (another hub's, or too old).
   */
  scanPulls = 0;
  /** Duration (ms) of each completed pull request. */
  readonly pullMs: number[] = [];
  pullErrors = 0;
  pushErrors = 0;
  private pulling: Promise<void> | null = null;
  private again = false;
  private abort: AbortController | null = null;
  private counter = 0;
  onPulled: ((ids: string[], at: number) => void) | null = null;
  /** Set when a scenario runs out of time: pushing and pulling stop after the current request. */
  halted = false;
  private requests = new AbortController();

  /** A renewal of the access token in flight (tokens last 15 minutes; a storm's preparation alone can take longer). */
  private refreshing: Promise<void> | null = null;

  constructor(
    readonly hubUrl: string,
    readonly device: EnrollResponse,
    public session: LoginResponse,
  ) {}

  get token(): string {
    return this.session.accessToken;
  }

  /**
   * Renews the access token a minute before it expires, as the renderer does on its first
   * refusal: without it the clients of a long run were refused with TOKEN_EXPIRED mid-storm.
   */
  private async freshToken(): Promise<string> {
    if (Date.parse(this.session.accessExpiresAt) - Date.now() > 60_000) return this.token;
    this.refreshing ??= (async () => {
      try {
        this.session = await refreshSession(this.hubUrl, this.device, this.session);
      } finally {
        this.refreshing = null;
      }
    })();
    await this.refreshing;
    return this.token;
  }

  get villageId(): string {
    return this.session.user.orgUnitId;
  }

  /** Opens the SSE stream; every `change`/`resync` triggers a (coalesced) pull. */
  async connect(): Promise<void> {
    this.abort = new AbortController();
    const token = await this.freshToken();
    const res = await fetch(
      `${this.hubUrl}/api/sync/stream?access_token=${encodeURIComponent(token)}&device_proof=${encodeURIComponent(deviceProof(token, 'stream'))}`,
      {
        signal: this.abort.signal,
      },
    );
    if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      let buf = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buf += decoder.decode(value, { stream: true });
          let idx: number;
          while ((idx = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            if (/^event: (change|resync)/m.test(block) && /cases|\{\}/.test(block))
              this.requestPull();
          }
        }
      } catch {
        // aborted
      }
    })();
  }

  disconnect(): void {
    this.abort?.abort();
    this.abort = null;
  }

  halt(): void {
    this.halted = true;
    this.requests.abort();
    this.disconnect();
  }

  /** After a halt: the next storm needs the device live again. */
  resume(): void {
    if (!this.halted) return;
    this.halted = false;
    this.requests = new AbortController();
  }

  requestPull(): Promise<void> {
    if (this.halted) return Promise.resolve();
    if (this.pulling) {
      this.again = true;
      return this.pulling;
    }
    this.pulling = (async () => {
      try {
        do {
          this.again = false;
          await this.pullToEnd();
        } while (this.again);
      } finally {
        this.pulling = null;
      }
    })();
    return this.pulling;
  }

  async idle(): Promise<void> {
    while (this.pulling) await this.pulling;
  }

  private async pullToEnd(): Promise<void> {
    for (let i = 0; i < 10_000 && !this.halted; i += 1) {
      const q = new URLSearchParams({ limit: String(PULL_BATCH) });
      if (this.checkpoint) q.set('checkpoint', JSON.stringify(this.checkpoint));
      let r: { status: number; body: PullResponse<CaseDoc>; headers: Headers };
      const t0 = Date.now();
      try {
        r = await http<PullResponse<CaseDoc>>(`${this.hubUrl}/api/sync/cases/pull?${q}`, {
          token: await this.freshToken(),
          signal: this.requests.signal,
        });
      } catch {
        this.pullErrors += 1;
        return;
      }
      this.pulls += 1;
      if (r.status !== 200) {
        this.pullErrors += 1;
        return;
      }
      const at = Date.now();
      this.pullMs.push(at - t0);
      if (r.body.documents.length === 0) this.emptyPulls += 1;
      if (r.headers.get('x-pull-path') === 'scan') this.scanPulls += 1;
      const ids: string[] = [];
      for (const d of r.body.documents) {
        if (!this.seen.has(d.id)) this.seen.set(d.id, at);
        this.docs.set(d.id, d);
        ids.push(d.id);
      }
      this.checkpoint = r.body.checkpoint;
      this.onPulled?.(ids, at);
      if (r.body.documents.length < PULL_BATCH) return;
    }
  }

  /** New cases received and accepted at this device's village, as the device would write them. */
  async makeCases(n: number, units: CountyUnits, base: number): Promise<CaseDoc[]> {
    const out: CaseDoc[] = [];
    const u = this.session.user;
    for (let i = 0; i < n; i += 1) {
      this.counter += 1;
      const doc = await generateCase({
        index: base + i,
        idPrefix: `load-${this.device.deviceId.replace(/[^A-Za-z0-9]/g, '').slice(-10)}`,
        units,
        villageId: u.orgUnitId,
        villageActor: { userId: u.userId, name: u.name, role: u.role, orgUnitId: u.orgUnitId },
        deviceId: this.device.deviceId,
        maxSteps: 1,
        now: Date.now(),
      });
      out.push(doc);
    }
    return out;
  }

  /** This device holds the version of `id` that carries event `eventId`. */
  holds(id: string, eventId: string): boolean {
    return this.docs.get(id)?.events.some((e) => e.id === eventId) ?? false;
  }

  /**
   * The next step of a case this device pulled, as the renderer would push it: the pulled
   * version as the assumed master state, the new state with one more event — accept a case
   * only received, hand an accepted case on to its town (accept_and_forward matters), or
   * conclude it at the window (direct_complete). Null when the village has nothing to do.
   */
  makeEdit(id: string): { row: PushRow; eventId: string; kind: string } | null {
    const master = this.docs.get(id);
    if (!master || master.holderUnitId !== this.villageId) return null;
    const u = this.session.user;
    const actor = { userId: u.userId, name: u.name, role: u.role, orgUnitId: u.orgUnitId };
    const receive = master.events.find((e) => e.type === 'receive');
    const accepted = master.events.some((e) => e.type === 'accept');
    const matter = MATTERS.get(master.matterCode);
    let event: CaseEvent;
    const common = {
      caseEvents: master.events,
      actor,
      deviceId: this.device.deviceId,
      counter: 50_000_000 + (this.counter += 1),
      now: new Date(),
    };
    if (!accepted) event = createEvent({ ...common, type: 'accept', payload: {} }) as CaseEvent;
    else if (matter?.villageMode === 'accept_and_forward' && master.status === 'accepted')
      event = createEvent({
        ...common,
        type: 'forward',
        payload: {
          toUnitId: master.townId,
          materials:
            receive && receive.type === 'receive' ? receive.payload.materials.slice(0, 1) : [],
        },
      }) as CaseEvent;
    else if (matter?.villageMode === 'direct_complete' && master.status === 'accepted')
      event = createEvent({
        ...common,
        type: 'conclude',
        payload: { outcome: 'approved', opinion: '材料齐全，准予办理' },
      }) as CaseEvent;
    else return null;
    const events = [...master.events, event];
    const next: CaseDoc = {
      ...master,
      events,
      ...deriveCaseFields(events),
      updatedAt: new Date().toISOString(),
    };
    return {
      row: { assumedMasterState: master, newDocumentState: next },
      eventId: event.id,
      kind: event.type,
    };
  }

  /** Pushes new cases in batches of PUSH_BATCH, one request at a time; returns every row's result. */
  async push(docs: CaseDoc[]): Promise<PushRowResult[]> {
    return this.pushRows(docs.map((d) => ({ assumedMasterState: null, newDocumentState: d })));
  }

  /** Pushes rows (new cases and edits with their assumed master state) in batches of PUSH_BATCH. */
  async pushRows(all: PushRow[]): Promise<PushRowResult[]> {
    const results: PushRowResult[] = [];
    for (let i = 0; i < all.length && !this.halted; i += PUSH_BATCH) {
      const rows = all.slice(i, i + PUSH_BATCH);
      for (let attempt = 0; ; attempt += 1) {
        try {
          const r = await http<PushResponse>(`${this.hubUrl}/api/sync/cases/push`, {
            token: await this.freshToken(),
            body: { rows },
            signal: this.requests.signal,
          });
          if (r.status !== 200)
            throw new Error(`push ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`);
          results.push(...r.body.results);
          break;
        } catch (err) {
          // The product's replication retries a failed push (retryTime 3 s); do the same.
          this.pushErrors += 1;
          if (attempt >= 5 || this.halted) throw err;
          await new Promise((res) => setTimeout(res, 3000));
        }
      }
    }
    return results;
  }
}
