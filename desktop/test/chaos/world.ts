/**
 * A convergence run: simulated desktops (the renderer's database and sync engine, see
 * ../renderer/support/liveHub.ts) of every level against a real hub process, driven by a
 * seeded list of operations, then settled and checked against the hub.
 *
 * RxDB's open-source build keeps at most 13 collections open per process (6 per desktop), so
 * at most two desktops run at a time; the others are "closed" (the app quit, its IndexedDB
 * kept). Offline periods are both: a closed app, and an open one without network.
 */
import {
  DEMO_COUNTY,
  canSee,
  compareEvents,
  createEvent,
  createOrgDirectory,
  deriveCaseFields,
  validateNewEvents,
  type Actor,
  type CaseDoc,
  type CaseEvent,
  type CaseEventType,
  type EventPayloads,
} from '@sibantong/shared';
import { createServer, type AddressInfo } from 'node:net';
import { getAssumedMasterState } from 'rxdb';
import type { TestClient } from '../../../sync-server/test/helpers/client';
import { http } from '../../../sync-server/test/helpers/client';
import { newCase, townOf } from '../../../sync-server/test/helpers/cases';
import type { HubHandle, StoreMode } from '../../../sync-server/test/helpers/hubProcess';
import { SimDesktop, hubClient, startSeededHub } from '../renderer/support/liveHub';
import { DESKS, type Op } from './ops';
import { inflightOf } from './inflight';

const org = createOrgDirectory(DEMO_COUNTY);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_OPEN = 2;

interface Desk {
  desk: SimDesktop;
  actor: Actor;
  checker: TestClient;
  online: boolean;
  counter: number;
}

/** Every event a desktop wrote, to account for at the end. */
interface Written {
  event: CaseEvent;
  desk: number;
  /** Local clock when the desk wrote it (the hub, the desks and the moves share one clock). */
  at: number;
}

/** A move the centre made: when the request went out and when the hub answered. */
interface MoveSeen {
  sent: number;
  answered: number;
  originUnitId: string;
  townId: string;
}

interface RefusalSeen {
  ids: string[];
  code: string;
  /** When the desk recorded the hub's refusal (local clock). */
  at: number;
}

export interface RunResult {
  ok: boolean;
  problems: string[];
  stats: Record<string, number>;
}

function payloadsFor(
  doc: CaseDoc,
  actor: Actor,
): Array<{ [T in CaseEventType]: [T, EventPayloads[T]] }[CaseEventType]> {
  const town = townOf(doc.originUnitId);
  const lower = [...doc.events].reverse().find((e) => e.type === 'forward' || e.type === 'escalate')
    ?.actor.orgUnitId;
  return [
    ['accept', {}],
    ['forward', { toUnitId: town, materials: [] }],
    ['escalate', { toUnitId: 'county-sx', materials: [] }],
    ['claim', {}],
    ['request_assistance', { departmentIds: ['dept-zrzy'], question: '请核实用地情况' }],
    ['assistance_reply', { departmentId: 'dept-zrzy', opinion: '经核实，同意', outcome: 'agree' }],
    ['log', { text: `${actor.name}电话联系申请人` }],
    ['suspend', { reason: '需现场核查', kind: '现场勘查' }],
    ['resume', { note: '核查完毕' }],
    ['return_for_correction', { toUnitId: lower ?? doc.originUnitId, reason: '材料需更正' }],
    [
      'conclude',
      { outcome: 'approved', opinion: '符合条件，准予', deliverAtUnitId: doc.originUnitId },
    ],
    ['deliver_result', { method: 'collected', recipientName: doc.applicantName }],
    ['withdraw', { reason: '申请人撤回申请' }],
  ];
}

export class World {
  hub!: HubHandle;
  desks: Desk[] = [];
  open: number[] = [];
  written: Written[] = [];
  /** Per case: where it stood before the first move, then every move the hub made. */
  moves = new Map<string, { first: { originUnitId: string; townId: string }; moves: MoveSeen[] }>();
  centre!: TestClient;
  stats: Record<string, number> = {};

  constructor(readonly mode: StoreMode) {}

  private count(k: string) {
    this.stats[k] = (this.stats[k] ?? 0) + 1;
  }

  async start(): Promise<void> {
    // A fixed port: a killed hub comes back where the desktops know it.
    this.hub = await startSeededHub(this.mode, { HUB_PORT: String(await freePort()) });
    this.centre = await hubClient(this.hub, 'county-sx', 'c.agent');
    for (const spec of DESKS) {
      const desk = await SimDesktop.enrol(this.hub, spec.unit, spec.username);
      const checker = await hubClient(this.hub, spec.unit, spec.username);
      this.desks.push({ desk, actor: checker.actor, checker, online: true, counter: 0 });
    }
  }

  async stop(): Promise<void> {
    for (const d of this.desks) {
      // A desktop that hung (see withinLimit) must not keep the hub from being stopped.
      await withinLimit(d.desk.stop(true), () => 'closing a desktop').catch(() => undefined);
    }
    await this.hub?.stop();
  }

  private async ensureOpen(d: number): Promise<Desk> {
    const desk = this.desks[d]!;
    if (this.open.includes(d)) {
      this.open = [...this.open.filter((x) => x !== d), d];
      return desk;
    }
    while (this.open.length >= MAX_OPEN) {
      const lru = this.open.shift()!;
      await this.desks[lru]!.desk.stop(true);
      this.count('closed');
    }
    desk.desk.setOnline(desk.online);
    await desk.desk.start();
    this.open.push(d);
    this.count('opened');
    return desk;
  }

  private now(d: number): Date {
    return new Date(Date.now() + DESKS[d]!.clockMs);
  }

  async apply(op: Op): Promise<void> {
    switch (op.k) {
      case 'open':
        await this.ensureOpen(op.d);
        return;
      case 'close': {
        if (!this.open.includes(op.d)) return;
        this.open = this.open.filter((x) => x !== op.d);
        await this.desks[op.d]!.desk.stop(true);
        return;
      }
      case 'net': {
        const desk = this.desks[op.d]!;
        desk.online = op.on;
        desk.desk.setOnline(op.on);
        return;
      }
      case 'create': {
        const desk = await this.ensureOpen(op.d);
        const asPc = {
          actor: desk.actor,
          deviceId: desk.desk.deviceId,
          nextCounter: () => ++desk.counter,
        } as unknown as TestClient;
        const doc = await newCase(asPc);
        await desk.desk.db!.cases.insert(doc);
        this.written.push({ event: doc.events[0]!, desk: op.d, at: Date.now() });
        this.count('created');
        return;
      }
      case 'act':
        await this.act(op.d, op.pick, op.action);
        return;
      case 'move': {
        const all = [...(await this.centre.pullAll('cases')).values()].filter(
          (c) =>
            c.holderUnitId !== c.originUnitId &&
            (c.originUnitId === 'village-dq-01' || c.originUnitId === 'village-dq-02'),
        );
        if (all.length === 0) return;
        const c = all[op.pick % all.length]!;
        const to = c.originUnitId === 'village-dq-01' ? 'village-dq-02' : 'village-dq-01';
        const sent = Date.now();
        const r = await http(`${this.hub.url}/api/admin/cases/${c.id}/move`, {
          token: this.centre.token,
          body: { toUnitId: to, reason: '申请人户籍迁移' },
        });
        if (r.status === 200) {
          this.count('moved');
          const track = this.moves.get(c.id) ?? {
            first: { originUnitId: c.originUnitId, townId: c.townId },
            moves: [],
          };
          track.moves.push({ sent, answered: Date.now(), originUnitId: to, townId: townOf(to) });
          this.moves.set(c.id, track);
        }
        return;
      }
      case 'wait':
        await sleep(op.ms);
        return;
      case 'killHub': {
        // Pushes in flight: an online desktop writes, the hub dies moments later.
        const d = this.open.find((x) => this.desks[x]!.online);
        if (d !== undefined && [0, 1, 2].includes(d)) {
          await this.apply({ k: 'create', d });
          await this.apply({ k: 'create', d });
        }
        await sleep(op.ms);
        await this.hub.kill9();
        await sleep(300);
        await this.hub.restart();
        this.count('hubKilled');
        return;
      }
      case 'killStore': {
        if (this.hub.mode !== 'embedded') return;
        const d = this.open.find((x) => this.desks[x]!.online && [0, 1, 2].includes(x));
        if (d !== undefined) await this.apply({ k: 'create', d });
        try {
          process.kill(this.hub.storePid(), 'SIGKILL');
          this.count('storeKilled');
        } catch {
          // already gone
        }
        await sleep(1500);
        return;
      }
    }
  }

  private async act(d: number, pick: number, action: number): Promise<void> {
    const desk = await this.ensureOpen(d);
    const cases = (await desk.desk.allCases()).sort((a, b) => a.id.localeCompare(b.id));
    // The picked case first, then the next ones: a clerk with nothing to do on one case works on
    // another, so that cases travel up the levels (to the centre and its departments) in a run.
    for (let c = 0; c < cases.length; c += 1) {
      const doc = cases[(pick + c) % cases.length]!;
      if (await this.actOn(d, desk, doc, action)) return;
    }
  }

  /** Records the first step the shared rules admit on this copy of the case; false if none. */
  private async actOn(d: number, desk: Desk, doc: CaseDoc, action: number): Promise<boolean> {
    const options = payloadsFor(doc, desk.actor);
    for (let i = 0; i < options.length; i += 1) {
      const [type, payload] = options[(action + i) % options.length]!;
      // Withdrawals end a case: rare, so that cases live long enough to be fought over.
      if ((type === 'withdraw' || type === 'conclude') && action % 5 !== 0) continue;
      const event = createEvent({
        caseEvents: doc.events,
        caseId: doc.id,
        type,
        payload,
        actor: desk.actor,
        deviceId: desk.desk.deviceId,
        counter: ++desk.counter,
        now: this.now(d),
      } as Parameters<typeof createEvent>[0]) as CaseEvent;
      // As the app does (db/caseWrites.ts): only a write the rules admit on this copy.
      const verdict = validateNewEvents(doc.events, [event], {
        caseId: doc.id,
        org,
        pushedBy: desk.actor,
        deviceId: desk.desk.deviceId,
        caseOriginUnitId: doc.originUnitId,
        caseFormerUnitIds: doc.formerUnitIds,
      });
      if (!verdict.ok) continue;
      const stored = await desk.desk.db!.cases.findOne(doc.id).exec();
      if (!stored) return false;
      await stored.incrementalModify((cur) => {
        const events = [...(cur as unknown as CaseDoc).events, event] as CaseDoc['events'];
        return { ...cur, events, ...deriveCaseFields(events), updatedAt: new Date().toISOString() };
      });
      this.written.push({ event, desk: d, at: Date.now() });
      this.count(`act:${type}`);
      return true;
    }
    return false;
  }

  /** Everything back online, every desktop synced in turn until nothing changes. */
  async settle(): Promise<void> {
    for (const desk of this.desks) {
      desk.online = true;
      desk.desk.setOnline(true);
    }
    // One round pushes what every desktop holds; check() then syncs each again and compares.
    for (let d = 0; d < this.desks.length; d += 1) {
      const desk = await this.ensureOpen(d);
      await withinLimit(
        desk.desk.engine!.ready,
        () => `settling ${DESKS[d]!.username}: first round ${replicationDiag(desk)}`,
      );
      await this.quiet(desk, d);
    }
  }

  /** Waits until the desktop's replication of cases is idle and has nothing left to push. */
  private async quiet(desk: Desk, d: number): Promise<void> {
    const t0 = Date.now();
    for (;;) {
      desk.desk.engine!.syncNow();
      await withinLimit(
        desk.desk.engine!.cases()!.awaitInSync(),
        () => `settling ${DESKS[d]!.username}: cases in sync`,
      );
      await sleep(400);
      const pending = (await desk.desk.allCases()).some((c) =>
        c.events.some((e) => typeof e.hubTime !== 'string' || e.hubTime === ''),
      );
      if (!pending) return;
      if (Date.now() - t0 > 30_000) return; // reported by check()
    }
  }

  /** Waits until the hub's workflow has numbered and dated everything pushed (it runs async). */
  private async hubIdle(): Promise<void> {
    const t0 = Date.now();
    while (Date.now() - t0 < 30_000) {
      const health = await http<{ workflow?: { backlog?: number } }>(`${this.hub.url}/api/health`);
      const all = [...(await this.centre.pullAll('cases')).values()];
      if ((health.body.workflow?.backlog ?? 0) === 0 && all.every((c) => c.officialNo !== null))
        return;
      await sleep(300);
    }
  }

  /**
   * For an event neither on the hub nor refused: where its writer's copy of the case stands
   * (also a removal), the writer's refusal records for the case and the hub's copy, so a
   * failing seed says how the event went missing.
   */
  private async whereIs(w: Written): Promise<string> {
    const desk = this.desks[w.desk]!;
    const hub = (await this.centre.pullAll('cases')).get(w.event.caseId);
    const brief = (c: { events?: CaseEvent[]; _deleted?: boolean } | undefined) =>
      c
        ? `${c._deleted ? 'removed, ' : ''}events ${(c.events ?? [])
            .map((e) => `${e.type}${e.hubTime ? '' : '*'}`)
            .join(',')}`
        : 'none';
    let local = 'desk closed';
    let refusals = '';
    if (desk.desk.db) {
      const [raw] = await desk.desk.db.cases.storageInstance.findDocumentsById(
        [w.event.caseId],
        true,
      );
      local = brief(raw as unknown as CaseDoc & { _deleted?: boolean });
      refusals = (await desk.desk.db.refusals.find({ selector: { caseId: w.event.caseId } }).exec())
        .map((r) => `${r.code}[${r.refusedEventIds.join(',')}]`)
        .join(' ');
    }
    return `writer ${DESKS[w.desk]!.username} holds ${local} (* unsent); its refusals of the case: ${refusals || 'none'}; hub: ${brief(hub)}`;
  }

  /** What differs between one desktop and the hub's view for its user (empty: equal). */
  private async compareDesk(d: number): Promise<{ problems: string[]; refusals: RefusalSeen[] }> {
    const desk = this.desks[d]!;
    const problems: string[] = [];
    const visible = [...(await desk.checker.pullAll('cases')).values()].filter(
      (c) => !(c as { _deleted?: boolean })._deleted,
    );
    const local = await desk.desk.allCases();
    const localById = new Map(local.map((c) => [c.id, c]));
    for (const c of visible) {
      const mine = localById.get(c.id);
      if (!mine) {
        problems.push(`desk ${d} (${DESKS[d]!.username}): missing in-scope case ${c.id}`);
        continue;
      }
      const a = mine.events
        .map((e) => e.id)
        .sort()
        .join(',');
      const b = c.events
        .map((e) => e.id)
        .sort()
        .join(',');
      if (a !== b || mine.status !== c.status || mine.officialNo !== c.officialNo)
        problems.push(
          `desk ${d}: case ${c.id} differs from the hub (status ${mine.status}/${c.status}, events ${mine.events.length}/${c.events.length}, no ${mine.officialNo}/${c.officialNo})`,
        );
    }
    const visibleIds = new Set(visible.map((c) => c.id));
    for (const c of local)
      if (!visibleIds.has(c.id)) problems.push(`desk ${d}: out-of-scope case ${c.id} remains`);
    const refusals = (await desk.desk.db!.refusals.find().exec()).map((r) => ({
      ids: [...r.refusedEventIds],
      code: r.code,
      at: Date.parse(r.createdAt),
    }));
    return { problems, refusals };
  }

  /** The convergence checks; returns the problems found. */
  async check(): Promise<string[]> {
    await this.hubIdle();
    const problems: string[] = [];
    const hubAll = await this.centre.pullAll('cases');
    // Every event on the hub once.
    for (const c of hubAll.values()) {
      const ids = c.events.map((e) => e.id);
      if (new Set(ids).size !== ids.length) problems.push(`hub ${c.id}: an event stored twice`);
    }
    const refusedBy = new Map<string, { code: string; at: number; ids: string[] }>();
    // The last desktop settled is still open and synced: check it first.
    const order = [...this.open].reverse();
    for (let d = 0; d < this.desks.length; d += 1) if (!order.includes(d)) order.push(d);
    for (const d of order) {
      const desk = await this.ensureOpen(d);
      await withinLimit(
        desk.desk.engine!.ready,
        () => `checking ${DESKS[d]!.username}: first round ${replicationDiag(desk)}`,
      );
      // Convergence is eventual: the stream announces the hub's last writes moments later.
      const t0 = Date.now();
      let seen = await this.compareDesk(d);
      while (seen.problems.length > 0 && Date.now() - t0 < 20_000) {
        await this.quiet(desk, d);
        seen = await this.compareDesk(d);
      }
      problems.push(...seen.problems);
      if (process.env.CHAOS_DEBUG && seen.problems.length > 0) {
        const ids = seen.problems.flatMap((p) => /case (case-[0-9a-f]+)/.exec(p)?.[1] ?? []);
        const raw = await desk.desk.db!.cases.storageInstance.findDocumentsById(ids, true);
        const hubView = await desk.checker.pullAll('cases');
        const internal = (
          desk.desk.engine!.cases() as unknown as {
            internalReplicationState?: Parameters<typeof getAssumedMasterState>[0];
          }
        ).internalReplicationState;
        const assumed = internal ? await getAssumedMasterState(internal, ids) : {};
        for (const id of ids) {
          const r = raw.find((x) => (x as { id: string }).id === id) as unknown as
            (CaseDoc & { _deleted: boolean; _meta: unknown }) | undefined;
          const h = hubView.get(id);
          console.log(
            'DEBUG',
            d,
            id,
            'local:',
            r
              ? JSON.stringify({
                  del: r._deleted,
                  meta: r._meta,
                  rev: (r as unknown as { _rev: string })._rev,
                  assumed: (() => {
                    const a = assumed[id] as
                      | { docData: CaseDoc; metaDocument: { isResolvedConflict?: string } }
                      | undefined;
                    return a
                      ? {
                          no: a.docData.officialNo,
                          ev: a.docData.events?.length,
                          upd: a.docData.updatedAt,
                          resolved: a.metaDocument.isResolvedConflict,
                        }
                      : null;
                  })(),
                  origin: r.originUnitId,
                  no: r.officialNo,
                  upd: r.updatedAt,
                  ev: r.events?.length,
                  former: r.formerUnitIds,
                })
              : 'none',
            'hub:',
            h
              ? JSON.stringify({
                  origin: h.originUnitId,
                  no: h.officialNo,
                  upd: h.updatedAt,
                  ev: h.events?.length,
                  former: h.formerUnitIds,
                })
              : 'none',
          );
        }
      }
      for (const r of seen.refusals)
        for (const id of r.ids) refusedBy.set(id, { code: r.code, at: r.at, ids: r.ids });
    }
    // Every event written is on the hub exactly once, or explicitly refused (and the rules
    // require that refusal), never both.
    for (const w of this.written) {
      const c = hubAll.get(w.event.caseId);
      const onHub = c?.events.filter((e) => e.id === w.event.id).length ?? 0;
      const refusal = refusedBy.get(w.event.id);
      if (onHub > 1) problems.push(`event ${w.event.id} stored ${onHub} times`);
      if (onHub === 1 && refusal) problems.push(`event ${w.event.id} both stored and refused`);
      if (onHub === 0 && !refusal)
        problems.push(`event ${w.event.id} (${w.event.type}) lost; ${await this.whereIs(w)}`);
      if (onHub === 0 && refusal) {
        this.count(`refused:${refusal.code}`);
        if (!this.refusalRequired(w, c ?? null, refusal) && !this.refusedAsDependent(w, c, refusal))
          problems.push(
            `event ${w.event.id} (${w.event.type}) refused ${refusal.code} though the rules admit it on the hub's copy; ${this.explain(w, c!, refusal)}`,
          );
      }
    }
    return problems;
  }

  /**
   * Re-checks a refusal: the hub's copy (final) must not admit the event by the shared rules,
   * or the hub's own checks explain it (scope, a case the hub never got).
   */
  /**
   * The shared rule (validateNewEvents, withDependents): a refused event takes with it every
   * later new event of the same push written on top of it, supplements excepted. Such an
   * event is rightly refused when an earlier one of its group was.
   */
  private refusedAsDependent(
    w: Written,
    hubDoc: CaseDoc | undefined,
    refusal: { code: string; at: number; ids: string[] },
  ): boolean {
    if (w.event.type === 'supplement') return false;
    return refusal.ids.some((id) => {
      const earlier = this.written.find((x) => x.event.id === id);
      return (
        earlier !== undefined &&
        earlier.event.id !== w.event.id &&
        compareEvents(earlier.event, w.event) < 0 &&
        this.refusalRequired(earlier, hubDoc ?? null, refusal)
      );
    });
  }

  /** What a failing seed prints about an unexplained refusal, to diagnose it. */
  private explain(w: Written, hubDoc: CaseDoc, refusal: { at: number; ids: string[] }): string {
    const typeOf = (id: string) => this.written.find((x) => x.event.id === id)?.event.type ?? '?';
    const held = hubDoc.events.filter(
      (e) => e.hubTime && Date.parse(e.hubTime) > w.at && Date.parse(e.hubTime) <= refusal.at,
    );
    return (
      `refused together: ${refusal.ids.map((id) => `${id} ${typeOf(id)}`).join(', ')}; ` +
      `written ${new Date(w.at).toISOString()}, refusal seen ${new Date(refusal.at).toISOString()}; ` +
      `hub events stored in between: ${held.map((e) => `${e.id} ${e.type} @${e.hubTime}`).join(', ') || 'none'}; ` +
      `lamport ${w.event.lamport}, hub copy: ${hubDoc.events.map((e) => `${e.type}#${e.lamport}`).join(' ')}`
    );
  }

  private refusalRequired(
    w: Written,
    hubDoc: CaseDoc | null,
    refusal: { code: string; at: number; ids?: string[] },
  ): boolean {
    if (!hubDoc) return true; // the case itself was refused
    const actor = this.desks[w.desk]!.actor;
    if (!canSee(actor, hubDoc, org)) return true; // moved out of the writer's scope
    // The hub judges scope at receipt: a case moved away and back again was out of scope
    // for a push that arrived in between, though the final copy is in scope again.
    if (refusal.code === 'OUT_OF_SCOPE')
      return this.placesBetween(hubDoc, w.at, refusal.at).some(
        (place) => !canSee(actor, { ...hubDoc, ...place }, org),
      );
    // The hub judges an event against the case as it holds it when the push arrives, which
    // is some moment between the writing and the refusal: the events it had accepted by then
    // (their hub times), where the case stood then. The final copy may admit what was refused
    // at receipt (a case returned to the village after a forward there was refused).
    const cuts = [
      w.at,
      ...hubDoc.events
        .map((e) => (e.hubTime ? Date.parse(e.hubTime) : NaN))
        .filter((t) => t > w.at && t <= refusal.at),
    ];
    const places = this.placesBetween(hubDoc, w.at, refusal.at);
    // The hub judges a push's new events together: events that are fine one by one can turn a
    // stored event void together (an accept and a forward written before another PC's log),
    // and the rule then refuses the earliest decision before it with what follows. So the
    // event is judged alone and with the rest of its refused group.
    const group = (refusal.ids ?? [])
      .map((id) => this.written.find((x) => x.event.id === id && x.desk === w.desk)?.event)
      .filter((e): e is CaseEvent => e !== undefined);
    const batches = group.length > 1 ? [[w.event], group] : [[w.event]];
    return cuts.some((cut) => {
      const held = hubDoc.events.filter((e) => e.hubTime && Date.parse(e.hubTime) <= cut);
      if (held.length === 0) return true; // the case itself not yet on the hub
      return places.some((place) =>
        batches.some((batch) => {
          const verdict = validateNewEvents(held, batch, {
            caseId: hubDoc.id,
            org,
            pushedBy: actor,
            deviceId: w.event.deviceId,
            caseOriginUnitId: place.originUnitId,
            caseFormerUnitIds: hubDoc.formerUnitIds,
          });
          return !verdict.ok && verdict.refusedEventIds.includes(w.event.id);
        }),
      );
    });
  }

  /**
   * Where the case may have stood at some moment of [from, to]: each place the centre moved
   * it to counts from when the move was sent until the next move was answered.
   */
  private placesBetween(
    hubDoc: CaseDoc,
    from: number,
    to: number,
  ): Array<{ originUnitId: string; townId: string }> {
    const track = this.moves.get(hubDoc.id);
    if (!track) return [{ originUnitId: hubDoc.originUnitId, townId: hubDoc.townId }];
    const spans = [
      { ...track.first, start: -Infinity },
      ...track.moves.map((m) => ({
        originUnitId: m.originUnitId,
        townId: m.townId,
        start: m.sent,
      })),
    ];
    return spans
      .filter((span, i) => {
        const end = track.moves[i]?.answered ?? Infinity;
        return span.start <= to && end >= from;
      })
      .map(({ originUnitId, townId }) => ({ originUnitId, townId }));
  }
}

/**
 * Longest one operation may take: a hub restart waits up to HUB_START_TIMEOUT_MS (60 s), the
 * rest seconds. An operation that never ends (a promise nobody resolves, with no timer left)
 * fails the seed naming itself, instead of holding the run until the test's own timeout.
 */
const OP_LIMIT_MS = Number(process.env.CHAOS_OP_LIMIT_MS ?? 240_000);

async function withinLimit(work: Promise<unknown>, what: () => string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what()} did not finish within ${OP_LIMIT_MS / 1000} s`)),
      OP_LIMIT_MS,
    );
  });
  try {
    await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * RxDB's view of a desktop's cases replication, printed when its first round does not end:
 * which side (downstream, upstream) is still active and what it has done. The fifth record's
 * hangs showed the upstream stuck inside its first push (persistToMaster 1, no answer).
 */
function replicationDiag(desk: Desk): string {
  type Subj = { getValue?: () => unknown };
  const st = desk.desk.engine?.cases() as unknown as
    | {
        isStopped?: () => boolean;
        internalReplicationState?: {
          firstSyncDone?: { down?: Subj; up?: Subj };
          events?: { canceled?: Subj; active?: { down?: Subj; up?: Subj } };
          stats?: unknown;
        };
      }
    | null
    | undefined;
  if (!st) return '(no cases replication yet)';
  const i = st.internalReplicationState;
  return JSON.stringify({
    stopped: st.isStopped?.(),
    canceled: i?.events?.canceled?.getValue?.(),
    active: {
      down: i?.events?.active?.down?.getValue?.(),
      up: i?.events?.active?.up?.getValue?.(),
    },
    firstSyncDone: {
      down: i?.firstSyncDone?.down?.getValue?.(),
      up: i?.firstSyncDone?.up?.getValue?.(),
    },
    stats: i?.stats,
    device: inflightOf(desk.desk.deviceId),
  });
}

/** A run that stopped making progress: what hung and which desktops were open. */
function stalled(world: World, e: unknown): RunResult {
  const open = world.open.map((d) => DESKS[d]!.username).join(', ');
  return {
    ok: false,
    problems: [`${(e as Error).message} (open desktops: ${open || 'none'})`],
    stats: world.stats,
  };
}

export async function runOps(mode: StoreMode, ops: readonly Op[]): Promise<RunResult> {
  const world = new World(mode);
  try {
    await world.start();
    try {
      for (const [i, op] of ops.entries()) {
        await withinLimit(world.apply(op), () => `operation #${i} ${JSON.stringify(op)}`);
      }
      await world.settle();
    } catch (e) {
      return stalled(world, e);
    }
    let problems: string[];
    try {
      problems = await world.check();
    } catch (e) {
      problems = [(e as Error).message];
    }
    return { ok: problems.length === 0, problems, stats: world.stats };
  } finally {
    await world.stop();
  }
}
