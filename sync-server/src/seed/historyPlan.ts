/**
 * The demo county's past (`seed-demo --history`): months of cases across every village and
 * every matter a village window takes, as event histories built the way devices build them
 * (shared `createEvent`), each event judged by the hub's own rule (`validateNewEvents`, with
 * the event's author as the pusher, exactly as a push is judged) and the new case's header by
 * the hub's push check (`checkNewCaseHeader`). Nothing here writes: writeHistory.ts stores.
 *
 * Deterministic: the same seed and the same last day give the same cases, byte for byte.
 * Paths, by the matter's village mode: 即办 completed at the window; 承诺件 handled by the
 * village; 收件转办 to the town, and on to the centre with 协办 by a department (all four
 * levels); some with 一次告知 and 补正 first, some accepted under 容缺; a few 不予受理 or
 * withdrawn. Recent cases are still running, and some of those are past their promised date.
 */
import {
  DEMO_USERS,
  chinaDate,
  isWorkingDay,
  createEvent,
  formatProvisionalNo,
  idDigest,
  idNumberCheckChar,
  maskIdNumber,
  maskUscc,
  usccCheckChar,
  type Actor,
  type CaseDoc,
  type CaseEvent,
  type CaseEventType,
  type CountyKey,
  type EventPayloads,
  type MaterialReceipt,
  type RatingLevel,
} from '@sibantong/shared';
import { deriveCaseFields, mergeCaseDocs, validateNewEvents } from '../domain/caseRules.js';
import type { MatterDoc, RefSnapshot } from '../domain/refData.js';
import { addWorkingDays, type OrgUnit } from '../domain/sharedCompat.js';
import { checkNewCaseHeader } from '../sync/caseChecks.js';
import { deadlinesOf } from '../workflow/jobs/caseDeadlines.js';
import { pick, rng } from '@sibantong/shared/random/seededRandom';

// The same seed gives the same data: one PRNG for demo history, benchmarks and chaos.
export { rng };

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏';
const GIVEN =
  '秀英桂英玉兰建国建华志强海燕丽娟文斌晓东国平俊杰子涵雨桐欣怡浩然明辉春梅秋菊德福红霞建军卫东金凤振华';
const FIRMS = ['农业专业合作社', '家庭农场', '食品有限公司', '建材经营部', '便民超市', '种养殖场'];
const LOGS = [
  '已电话联系申请人核实材料原件',
  '上门核查家庭情况，情况属实',
  '材料齐全，转入审核',
  '申请人来电询问进度，已告知预计办结时间',
];
const OPINIONS = [
  '经审核，符合条件，准予办理',
  '材料齐全，符合政策规定，同意',
  '经复核，符合申请条件',
];
const BAD_TEXTS = [
  '等候时间太长',
  '窗口人员态度不好',
  '材料要求反复变化，跑了两趟',
  '办理进度没人告知',
];

/** The demo's offline village PC and for how long it has not synced. */
export const OFFLINE_VILLAGE = 'village-dq-03';
export const OFFLINE_DAYS = 5;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 08:30 China time, in UTC. */
const OPENING_UTC_MS = 30 * 60_000;

export interface HistoryOptions {
  seed: number;
  /** Last day of the history (China date, ISO); events never lie after `nowMs`. */
  nowMs: number;
  /** How many days back the history starts. */
  days: number;
  /** Average cases a village window receives per working day. */
  perVillagePerDay: number;
}

export const DEFAULT_HISTORY: Omit<HistoryOptions, 'nowMs'> = {
  seed: 2026,
  days: 120,
  perVillagePerDay: 2.5,
};

/** A push the hub refused: an event its rules do not allow, as a device tried it. */
export interface RefusedAttempt {
  by: Actor;
  deviceId: string;
  event: CaseEvent;
  /** The case as the device held it (the row it pushed). */
  doc: CaseDoc;
  code: string;
  message: string;
  hubTime: string;
}

export interface PlannedCase {
  doc: CaseDoc;
  /** Refused writes along the way (the supervisor's table of refused writes). */
  refusedAttempts: RefusedAttempt[];
  /** 差评 ratings and the hub time they arrived (tickets follow, writeHistory.ts). */
  badRatings: Array<{ eventId: string; level: 4 | 5; hubTime: string }>;
}

export interface HistoryPlan {
  cases: PlannedCase[];
  /** Events the hub's rules refused while planning (zero when the generator is right). */
  refused: Array<{ caseId: string; type: CaseEventType; code: string; message: string }>;
}

interface Cast {
  helperOf: Map<string, Actor>;
  townLeadOf: Map<string, Actor>;
  agent: Actor;
  deptOf: Map<string, Actor>;
}

function castOf(units: readonly OrgUnit[]): Cast {
  const actor = (u: (typeof DEMO_USERS)[number]): Actor => ({
    userId: `u-${u.username}`,
    name: u.name,
    role: u.role,
    orgUnitId: u.orgUnitId,
  });
  const byRole = (role: string) => DEMO_USERS.filter((u) => u.role === role);
  const agentUser = byRole('centre_agent')[0];
  if (!agentUser) throw new Error('演示账号缺少中心代办');
  const known = new Set(units.map((u) => u.id));
  return {
    helperOf: new Map(
      byRole('village_helper')
        .filter((u) => known.has(u.orgUnitId))
        .map((u) => [u.orgUnitId, actor(u)]),
    ),
    townLeadOf: new Map(byRole('town_lead').map((u) => [u.orgUnitId, actor(u)])),
    agent: actor(agentUser),
    deptOf: new Map(byRole('dept_assistant').map((u) => [u.orgUnitId, actor(u)])),
  };
}

/** Matters a village window receives (the ones the demo catalogue gives a village mode). */
export function villageMatters(ref: RefSnapshot): MatterDoc[] {
  return [...ref.matters.values()]
    .filter(
      (m) =>
        (m.villageMode === 'direct_complete' ||
          m.villageMode === 'accept_and_forward' ||
          m.villageMode === 'assist') &&
        typeof m.promisedDays === 'number' &&
        Array.isArray(m.materials),
    )
    .sort((a, b) => matterCodeOf(a).localeCompare(matterCodeOf(b)));
}

interface CatMaterial {
  id: string;
  name: string;
  originals: number;
  copies: number;
  necessity: 'required' | 'optional' | 'deferrable';
}

function personName(r: () => number): string {
  const g = Math.floor(r() * (GIVEN.length / 2)) * 2;
  return pick(r, [...SURNAMES]) + GIVEN.slice(g, g + 2);
}

function idNumberFor(r: () => number): string {
  const year = 1950 + Math.floor(r() * 50);
  const mm = String(1 + Math.floor(r() * 12)).padStart(2, '0');
  const dd = String(1 + Math.floor(r() * 28)).padStart(2, '0');
  const seq = String(Math.floor(r() * 1000)).padStart(3, '0');
  const first17 = `330999${year}${mm}${dd}${seq}`;
  return first17 + idNumberCheckChar(first17);
}

function usccFor(r: () => number): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let code = '';
  for (let i = 0; i < 9; i += 1) code += pick(r, [...chars]);
  const first17 = `92330999${code}`;
  return first17 + usccCheckChar(first17);
}

/** 4-character device short of the seeded village PC (stands in for an enrolment's). */
function deviceShortOf(deviceId: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let h = 2166136261;
  for (const ch of deviceId) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  let out = '';
  for (let i = 0; i < 4; i += 1) {
    out += alphabet[h & 31];
    h >>>= 5;
  }
  return out;
}

function ratingLevel(r: () => number): RatingLevel {
  const x = r();
  if (x < 0.58) return 1;
  if (x < 0.84) return 2;
  if (x < 0.92) return 3;
  if (x < 0.97) return 4;
  return 5;
}

class Refused extends Error {
  constructor(
    readonly type: CaseEventType,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One case's history, event by event. Each event is judged by the hub's rule as the push of
 * its author would be; time only moves forward and stops at `nowMs` (the case is then still
 * running).
 */
class CaseBuilder {
  readonly events: CaseEvent[] = [];
  private stopped = false;
  constructor(
    private readonly caseId: string,
    private readonly ref: RefSnapshot,
    private readonly counters: Map<string, number>,
    private readonly nowMs: number,
    private readonly origin: string,
    public clock: number,
  ) {}

  get done(): boolean {
    return this.stopped;
  }

  /** The case goes no further (stuck at its holder: the 督办 of overdue work is for these). */
  halt(): this {
    this.stopped = true;
    return this;
  }

  /** Moves the clock by `ms`; past now the case stops here (still running). */
  wait(ms: number): this {
    this.clock += ms;
    if (this.clock > this.nowMs) this.stopped = true;
    return this;
  }

  /** Moves to `workingDays` working days later, at a random office hour. */
  waitWorkingDays(r: () => number, workingDays: number): this {
    const today = chinaDate(new Date(this.clock));
    const target = workingDays <= 0 ? today : addWorkingDays(today, workingDays, this.ref.calendar);
    const at = Date.parse(`${target}T00:00:00.000Z`) + OPENING_UTC_MS + Math.floor(r() * 7 * HOUR);
    const ms = Math.max(5 * 60_000, at - this.clock);
    return this.wait(ms);
  }

  /** An event the rules refuse, as a device would push it; null if (unexpectedly) legal. */
  attempt<T extends CaseEventType>(
    type: T,
    payload: EventPayloads[T],
    by: Actor,
  ): { event: CaseEvent; code: string; message: string; hubTime: string } | null {
    if (this.stopped) return null;
    const deviceId = `dev-hist-${by.orgUnitId}`;
    const counter = (this.counters.get(deviceId) ?? 0) + 1;
    const event = createEvent({
      caseEvents: this.events,
      caseId: this.caseId,
      type,
      payload,
      actor: by,
      deviceId,
      counter,
      now: new Date(this.clock),
    }) as CaseEvent;
    const verdict = this.judge(event, by, deviceId);
    if (verdict.ok) return null;
    this.counters.set(deviceId, counter);
    const hubTime = new Date(Math.min(this.nowMs, this.clock + 60_000)).toISOString();
    return { event, code: verdict.code, message: verdict.messageZh, hubTime };
  }

  private judge(event: CaseEvent, by: Actor, deviceId: string) {
    const matterLimits = (code: string) => {
      const m = this.ref.matters.get(code);
      return m && typeof m.promisedDays === 'number' && typeof m.legalDays === 'number'
        ? { promisedDays: m.promisedDays, legalDays: m.legalDays }
        : undefined;
    };
    return validateNewEvents(this.events, [event], {
      caseId: this.caseId,
      org: this.ref.org,
      pushedBy: by,
      deviceId,
      matterLimits,
      addWorkingDays: (iso: string, n: number) => addWorkingDays(iso, n, this.ref.calendar),
      caseOriginUnitId: this.origin,
      caseFormerUnitIds: [],
    });
  }

  add<T extends CaseEventType>(type: T, payload: EventPayloads[T], by: Actor): this {
    if (this.stopped) return this;
    const deviceId = `dev-hist-${by.orgUnitId}`;
    const counter = (this.counters.get(deviceId) ?? 0) + 1;
    this.counters.set(deviceId, counter);
    const event = createEvent({
      caseEvents: this.events,
      caseId: this.caseId,
      type,
      payload,
      actor: by,
      deviceId,
      counter,
      now: new Date(this.clock),
    });
    const verdict = this.judge(event as CaseEvent, by, deviceId);
    if (!verdict.ok) throw new Refused(type, verdict.code, verdict.messageZh);
    // Village PCs sync within minutes to a day; the hub stamps arrival.
    const hubTime = new Date(Math.min(this.nowMs, this.clock + 60_000)).toISOString();
    this.events.push({ ...event, hubTime } as CaseEvent);
    this.clock += 60_000;
    return this;
  }
}

/** Builds the history; `countyKey` keys the applicants' ID digests as devices do. */
export async function planHistory(
  ref: RefSnapshot,
  opts: HistoryOptions,
  countyKey: CountyKey | null,
): Promise<HistoryPlan> {
  const cast = castOf(ref.units);
  const villages = ref.units
    .filter((u) => u.level === 'village' && cast.helperOf.has(u.id))
    .sort((a, b) => a.id.localeCompare(b.id));
  const matters = villageMatters(ref);
  if (villages.length === 0 || matters.length === 0) {
    throw new Error('演示县缺少村（社区）或事项，请先运行 seed-demo');
  }
  const counters = new Map<string, number>();
  const plan: HistoryPlan = { cases: [], refused: [] };
  const lastDay = chinaDate(new Date(opts.nowMs));
  const firstDayMs = Date.parse(`${lastDay}T00:00:00.000Z`) - opts.days * DAY;
  // One village PC has been offline for the last days (the cockpit lists it): its cases of
  // those days never reached the hub.
  const offline = villages.find((v) => v.id === OFFLINE_VILLAGE);
  const nowOf = (v: OrgUnit) => (v === offline ? opts.nowMs - OFFLINE_DAYS * DAY : opts.nowMs);
  let serial = 0;
  for (let d = 0; d <= opts.days; d += 1) {
    const dayIso = new Date(firstDayMs + d * DAY).toISOString().slice(0, 10);
    if (!isWorkingDay(dayIso, ref.calendar)) continue;
    for (const village of villages) {
      const r = rng(opts.seed ^ Math.imul(d + 1, 2654435761) ^ Math.imul(hash(village.id), 40503));
      const n = Math.floor(opts.perVillagePerDay * 2 * r());
      for (let k = 0; k < n; k += 1) {
        serial += 1;
        const caseId = `hist-${opts.seed}-${String(serial).padStart(6, '0')}`;
        const openAt =
          Date.parse(`${dayIso}T00:00:00.000Z`) + OPENING_UTC_MS + Math.floor(r() * 7.5 * HOUR);
        if (openAt > nowOf(village)) continue;
        const matter = matters[Math.floor(r() * matters.length)]!;
        try {
          const planned = await planCase({
            r,
            ref,
            cast,
            caseId,
            village,
            matter,
            counters,
            startMs: openAt,
            nowMs: nowOf(village),
            seqOfDay: k + 1,
            countyKey,
          });
          plan.cases.push(planned);
        } catch (err) {
          if (!(err instanceof Refused)) throw err;
          plan.refused.push({ caseId, type: err.type, code: err.code, message: err.message });
        }
      }
    }
  }
  return plan;
}

function hash(s: string): number {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

interface CaseInput {
  r: () => number;
  ref: RefSnapshot;
  cast: Cast;
  caseId: string;
  village: OrgUnit;
  matter: MatterDoc;
  counters: Map<string, number>;
  startMs: number;
  nowMs: number;
  seqOfDay: number;
  countyKey: CountyKey | null;
}

async function planCase(input: CaseInput): Promise<PlannedCase> {
  const { r, ref, cast, caseId, village, matter } = input;
  const helper = cast.helperOf.get(village.id)!;
  const townId = ref.org.townOf(village.id)?.id ?? village.parentId ?? village.id;
  const townLead = cast.townLeadOf.get(townId);
  const b = new CaseBuilder(caseId, ref, input.counters, input.nowMs, village.id, input.startMs);
  const attempts: Array<{
    event: CaseEvent;
    code: string;
    message: string;
    hubTime: string;
    before: CaseEvent[];
  }> = [];
  const materials = (matter.materials as CatMaterial[]).slice(0, 3);
  // Catalogue codes of service objects: 1 自然人, 2 法人.
  const objects = (matter.serviceObjects as string[] | undefined) ?? ['1'];
  const enterprise = objects.includes('2') && (!objects.includes('1') || r() < 0.2);
  const applicantName = enterprise
    ? `示县${personName(r).slice(0, 1)}氏${pick(r, FIRMS)}`
    : personName(r);
  const idNumber = enterprise ? usccFor(r) : idNumberFor(r);
  const receipts = (missingIds: Set<string>): MaterialReceipt[] =>
    materials.map((m) => ({
      materialId: m.id,
      name: m.name,
      originals: missingIds.has(m.id) ? 0 : m.originals,
      copies: missingIds.has(m.id) ? 0 : m.copies,
      missing: missingIds.has(m.id),
    }));
  const deferrable = materials.filter((m) => m.necessity === 'deferrable').map((m) => m.id);
  const useDeferred = deferrable.length > 0 && r() < 0.6;
  const informFirst = !useDeferred && r() < 0.1;
  const missing = new Set<string>(
    useDeferred ? deferrable : informFirst ? [materials[0]?.id ?? ''] : [],
  );
  const deviceId = `dev-hist-${village.id}`;
  const provisionalNo = formatProvisionalNo({
    pointCode: village.pointCode,
    deviceShort: deviceShortOf(deviceId),
    date: chinaDate(new Date(input.startMs)),
    seq: input.seqOfDay,
  });
  b.add(
    'receive',
    {
      matterCode: matterCodeOf(matter),
      provisionalNo,
      applicantKind: enterprise ? 'enterprise' : 'person',
      applicantName,
      materials: receipts(missing),
      agentAuthorised: r() < 0.35,
      channel: r() < 0.08 ? 'home_visit' : 'village_window',
    },
    helper,
  );
  const roll = r();
  if (roll < 0.03) {
    b.wait(20 * 60_000).add(
      'refuse',
      {
        reason: '不属于本事项受理范围',
        guidance: '请携带身份证到镇便民服务中心咨询相关事项',
        approverName: townLead?.name ?? '镇便民服务中心负责人',
      },
      helper,
    );
  } else if (roll < 0.05) {
    b.wait(2 * HOUR).add('withdraw', { reason: '申请人决定暂不办理' }, helper);
  } else {
    if (informFirst) {
      b.wait(10 * 60_000).add(
        'inform_missing',
        {
          items: [
            { materialId: materials[0]!.id, name: materials[0]!.name, problem: '未提供原件' },
          ],
        },
        helper,
      );
      b.waitWorkingDays(r, 1 + Math.floor(r() * 3)).add(
        'supplement',
        { materials: receipts(new Set()) },
        helper,
      );
      missing.clear();
    }
    const promised = Number(matter.promisedDays ?? 0);
    const day0 = chinaDate(new Date(b.clock));
    b.wait(15 * 60_000).add(
      'accept',
      useDeferred
        ? {
            deferred: {
              materialIds: deferrable,
              dueDate: addWorkingDays(day0, Math.max(1, Math.min(5, promised)), ref.calendar),
              commitmentSigned: true,
            },
          }
        : {},
      helper,
    );
    // Work time: most cases finish in time, about one in eight runs late, and a few get
    // stuck at the unit holding them (they stay open, past their promised date).
    const late = r() < 0.12;
    const stuck = promised > 0 && r() < 0.08;
    const span =
      promised === 0
        ? 0
        : late
          ? promised + 1 + Math.floor(r() * 6)
          : Math.max(1, Math.floor(promised * (0.2 + 0.7 * r())));
    const mode = matter.villageMode;
    const forwardTo = matter.targetLevel as string | undefined;
    let concluder: Actor = helper;
    if (mode === 'direct_complete') {
      if (stuck) b.halt();
      if (span > 0)
        b.waitWorkingDays(r, Math.max(1, Math.floor(span / 2))).add(
          'log',
          { text: pick(r, LOGS) },
          helper,
        );
      if (useDeferred) b.wait(HOUR).add('supplement', { materials: receipts(new Set()) }, helper);
      if (span > 0) b.waitWorkingDays(r, Math.ceil(span / 2));
      else b.wait(10 * 60_000);
    } else {
      if (!townLead) throw new Error(`${townId} 没有镇街账号`);
      const units = [...ref.units];
      b.wait(30 * 60_000).add(
        'forward',
        { toUnitId: townId, materials: receipts(missing) },
        helper,
      );
      b.waitWorkingDays(r, Math.min(1, span)).add('claim', {}, townLead);
      if (stuck && forwardTo !== 'county') b.halt();
      // Now and then a village PC that missed the handoff tries to finish the case itself:
      // the hub refuses it (the town holds the case) and the supervisor sees the refusal.
      if (r() < 0.05) {
        const before = [...b.events];
        const tried = b.attempt(
          'conclude',
          { outcome: 'approved', opinion: '材料齐全，同意办理' },
          helper,
        );
        if (tried) attempts.push({ ...tried, before });
      }
      concluder = townLead;
      if (useDeferred)
        b.wait(2 * HOUR).add('supplement', { materials: receipts(new Set()) }, helper);
      if (forwardTo === 'county') {
        const county = units.find((u) => u.level === 'county')!;
        b.wait(HOUR).add(
          'escalate',
          { toUnitId: county.id, materials: receipts(new Set()) },
          townLead,
        );
        b.waitWorkingDays(r, Math.min(1, span)).add('claim', {}, cast.agent);
        concluder = cast.agent;
        if (stuck) b.halt();
        const dept = cast.deptOf.get(String(matter.implementingUnitId));
        if (dept && r() < 0.7) {
          b.wait(HOUR).add(
            'request_assistance',
            { departmentIds: [dept.orgUnitId], question: '请出具审核意见' },
            cast.agent,
          );
          b.waitWorkingDays(r, Math.max(1, Math.floor(span / 3))).add(
            'assistance_reply',
            { departmentId: dept.orgUnitId, opinion: '经核查，同意办理', outcome: 'agree' },
            dept,
          );
        }
      }
      if (span > 0)
        b.waitWorkingDays(r, Math.max(0, span - 2)).add('log', { text: pick(r, LOGS) }, concluder);
      b.waitWorkingDays(r, Math.min(2, span));
    }
    b.add(
      'conclude',
      { outcome: r() < 0.96 ? 'approved' : 'denied', opinion: pick(r, OPINIONS) },
      concluder,
    );
    if (concluder !== helper) b.waitWorkingDays(r, 1);
    else b.wait(10 * 60_000);
    b.add(
      'deliver_result',
      { method: r() < 0.85 ? 'collected' : 'posted', recipientName: applicantName },
      helper,
    );
    if (r() < 0.8) {
      const level = ratingLevel(r);
      b.wait(5 * 60_000).add(
        'rate',
        {
          level,
          ...(level >= 4 ? { text: pick(r, BAD_TEXTS) } : {}),
          channel: pick(r, ['pad', 'pad', 'window', 'sms'] as const),
          realName: r() < 0.5,
        },
        helper,
      );
    }
  }
  const events = b.events;
  const updatedAt = events.at(-1)!.hubTime!;
  let doc: CaseDoc = {
    id: caseId,
    provisionalNo,
    officialNo: null,
    matterCode: matterCodeOf(matter),
    originUnitId: village.id,
    townId,
    holderUnitId: village.id,
    handlerUserId: null,
    assistingDeptIds: [],
    status: 'received',
    applicantName,
    applicantIdDigest: await idDigest(idNumber, input.countyKey),
    applicantIdMasked: enterprise ? maskUscc(idNumber) : maskIdNumber(idNumber),
    applicant: {
      kind: enterprise ? 'enterprise' : 'person',
      name: applicantName,
      idNumber,
      phone: `1${pick(r, ['3', '5', '8', '9'])}${String(Math.floor(r() * 1e9)).padStart(9, '0')}`,
    },
    events: [],
    deadlines: null,
    formerUnitIds: [],
    updatedAt,
  };
  // The header as a device would send it with its first push, checked as the hub checks it.
  const header = await checkNewCaseHeader(
    { ...doc, events: events.slice(0, 1) },
    ref,
    chinaDate(new Date(input.nowMs)),
    input.countyKey,
  );
  if (header) throw new Refused('receive', header.code, header.message);
  doc = { ...doc, events, ...deriveCaseFields(events) };
  doc = mergeCaseDocs(doc, doc).doc;
  // Deadlines as the workflow's job computes them, so the first figures are complete.
  const deadlines = deadlinesOf(doc, ref, new Date(input.nowMs));
  doc = { ...doc, deadlines };
  const badRatings = events.flatMap((e) =>
    e.type === 'rate' && (e.payload.level === 4 || e.payload.level === 5)
      ? [{ eventId: e.id, level: e.payload.level as 4 | 5, hubTime: e.hubTime! }]
      : [],
  );
  const refusedAttempts: RefusedAttempt[] = attempts.map((a) => ({
    by: helper,
    deviceId: `dev-hist-${village.id}`,
    event: a.event,
    doc: { ...doc, events: [...a.before, a.event] },
    code: a.code,
    message: a.message,
    hubTime: a.hubTime,
  }));
  return { doc, badRatings, refusedAttempts };
}

/** The matter's 实施编码 (stored matters carry it as their id). */
function matterCodeOf(m: MatterDoc): string {
  return String(m.code ?? m.id);
}
