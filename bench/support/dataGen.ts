/**
 * Realistic case documents for the benchmarks, built the way the product builds them:
 * shared `createEvent` for every event, shared `deriveCaseFields` for the derived fields,
 * demo county units and demo catalogue matters, valid resident ID numbers with their digest
 * and mask. Deterministic for a given seed, so PouchDB and RxDB read identical data.
 *
 * Runs in Node (seeding the hub, simulated clients) and in the bench page (local queries).
 */
import {
  DEMO_COUNTY,
  DEMO_MATTERS,
  createEvent,
  deriveCaseFields,
  formatOfficialNo,
  idDigest,
  idNumberCheckChar,
  maskIdNumber,
  type Actor,
  type CaseDoc,
  type CaseEvent,
  type CaseEventType,
  type EventPayloads,
  type Matter,
  type MaterialReceipt,
  type OrgUnit,
} from '@sibantong/shared';
import { pick, rng } from '@sibantong/shared/random/seededRandom';

// The same seed gives the same data: one PRNG for demo history, benchmarks and chaos.
export { rng };

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '秀英桂英玉兰建国建华志强海燕丽娟文斌晓东国平俊杰子涵雨桐欣怡浩然明辉春梅秋菊德福长江红霞晓燕建军卫东金凤凤英振华家豪思远嘉怡梓萱一鸣天佑';
const ENTERPRISE_HEADS = ['示县', '东桥', '西湖', '南岭', '柳塘', '湖滨', '荷塘'];
const ENTERPRISE_TRADES = [
  '农业专业合作社',
  '家庭农场',
  '食品有限公司',
  '建材经营部',
  '电子商务有限公司',
  '种养殖场',
  '便民超市',
];
const LOG_TEXTS = [
  '已电话联系申请人核实材料原件',
  '与镇民政办沟通，待补充村委会证明',
  '材料齐全，转入审核',
  '申请人来电询问进度，已告知预计办结时间',
  '上门核查家庭情况，情况属实',
];
const OPINIONS = [
  '经审核，符合条件，准予办理',
  '材料齐全，符合政策规定，同意',
  '经复核，符合申请条件',
];

function personName(r: () => number): string {
  const g = Math.floor(r() * (GIVEN.length / 2)) * 2;
  return pick(r, [...SURNAMES]) + GIVEN.slice(g, g + (r() < 0.3 ? 1 : 2));
}

/** A valid 18-digit resident ID number for this county (fictional division 330999). */
export function idNumberFor(r: () => number): string {
  const year = 1940 + Math.floor(r() * 65);
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  const seq = Math.floor(r() * 1000);
  const first17 = `330999${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

function phoneFor(r: () => number): string {
  return `1${pick(r, ['3', '5', '8', '9'])}${String(Math.floor(r() * 1e9)).padStart(9, '0')}`;
}

function receiptsFor(matter: Matter, r: () => number): MaterialReceipt[] {
  return matter.materials.slice(0, 2).map((m) => ({
    materialId: m.id,
    name: m.name,
    originals: m.originals,
    copies: m.copies,
    missing: m.necessity !== 'required' && r() < 0.15,
  }));
}

export interface CountyUnits {
  villages: OrgUnit[];
  townOf: Map<string, string>;
  countyId: string;
}

export function countyUnits(units: readonly OrgUnit[] = DEMO_COUNTY): CountyUnits {
  const villages = units.filter((u) => u.level === 'village');
  const townOf = new Map(villages.map((v) => [v.id, v.parentId ?? v.id]));
  const county = units.find((u) => u.level === 'county');
  return { villages, townOf, countyId: county?.id ?? 'county-sx' };
}

/** Matters a village window can receive (every demo matter with a village mode). */
const VILLAGE_MATTERS = DEMO_MATTERS.filter(
  (m) => m.villageMode === 'direct_complete' || m.villageMode === 'accept_and_forward',
);

export interface GenOptions {
  /** Case number within the whole data set: fixes everything else. */
  index: number;
  seed?: number;
  units?: CountyUnits;
  /** Hub-held documents: every event stamped with hubTime, officialNo and deadlines set. */
  asHubHeld?: boolean;
  /** Force the receiving village (and its actor). */
  villageId?: string;
  /** Force a short history (receive + accept) for pushed cases. */
  maxSteps?: number;
  /** Actor and device of the receiving village's events (pushes need the caller's). */
  villageActor?: Actor;
  deviceId?: string;
  /** Base instant; cases spread over the 120 days before it. */
  now?: number;
  /** Prefix of case ids (scenarios keep their data sets apart). */
  idPrefix?: string;
}

const DAY = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * One case with a realistic history: received at a village window, accepted, then (by case)
 * completed on the spot, or forwarded to the town, claimed, logged, concluded, delivered and
 * rated. About 1 KB of JSON on average.
 */
export async function generateCase(opts: GenOptions): Promise<CaseDoc> {
  const r = rng((opts.seed ?? 20261122) ^ Math.imul(opts.index + 1, 2654435761));
  const units = opts.units ?? countyUnits();
  const village = opts.villageId
    ? (units.villages.find((v) => v.id === opts.villageId) ?? units.villages[0]!)
    : units.villages[opts.index % units.villages.length]!;
  const townId = units.townOf.get(village.id) ?? village.id;
  const matter = pick(r, VILLAGE_MATTERS);
  const id = `${opts.idPrefix ?? 'case'}-${String(opts.index).padStart(7, '0')}`;
  const deviceId = opts.deviceId ?? `dev-${village.pointCode.toLowerCase()}-1`;
  const villageActor: Actor = opts.villageActor ?? {
    userId: `u-v.${village.pointCode.toLowerCase()}`,
    name: personName(rng(village.pointCode.charCodeAt(0) * 131 + village.pointCode.length)),
    role: 'village_helper',
    orgUnitId: village.id,
  };
  const townActor: Actor = {
    userId: `u-t.${townId}`,
    name: personName(rng(townId.length * 977 + townId.charCodeAt(townId.length - 1))),
    role: 'town_lead',
    orgUnitId: townId,
  };
  const base = (opts.now ?? Date.UTC(2026, 10, 20, 2)) - Math.floor(r() * 120) * DAY;
  const day = isoDate(base);
  const seqOfDay = 1 + (opts.index % 9999);
  const provisionalNo = `${village.pointCode}-${deviceShortOf(deviceId)}-${day.replaceAll('-', '')}-${String(seqOfDay).padStart(4, '0')}`;

  const enterprise =
    matter.serviceObjects.includes('enterprise') && !matter.serviceObjects.includes('person');
  const applicantName = enterprise
    ? pick(r, ENTERPRISE_HEADS) + personName(r).slice(0, 1) + pick(r, ENTERPRISE_TRADES)
    : personName(r);
  const idNumber = idNumberFor(r);

  let counter = opts.index * 20;
  let clock = base;
  const events: CaseEvent[] = [];
  const add = <T extends CaseEventType>(
    type: T,
    payload: EventPayloads[T],
    actor: Actor,
    dev: string,
  ) => {
    clock += Math.floor(r() * 6 * 3_600_000) + 60_000;
    const event = createEvent({
      caseEvents: events,
      caseId: id,
      type,
      payload,
      actor,
      deviceId: dev,
      counter: ++counter,
      now: new Date(clock),
    });
    const stamped = opts.asHubHeld
      ? { ...event, hubTime: new Date(clock + 30_000).toISOString() }
      : event;
    events.push(stamped as unknown as CaseEvent);
  };
  const materials = receiptsFor(matter, r);
  add(
    'receive',
    {
      matterCode: matter.code,
      provisionalNo,
      applicantKind: enterprise ? 'enterprise' : 'person',
      applicantName,
      materials,
      agentAuthorised: r() < 0.2,
      channel: 'village_window',
    },
    villageActor,
    deviceId,
  );
  // Most cases on a PC are young (1–2 events); a tail runs the whole course.
  const roll = r();
  const natural = roll < 0.45 ? 0 : roll < 0.8 ? 1 : roll < 0.9 ? 2 : 3 + Math.floor(r() * 5);
  const steps = Math.min(opts.maxSteps ?? 99, natural);
  if (steps >= 1) add('accept', {}, villageActor, deviceId);
  const townDevice = `dev-${townId}-1`;
  if (matter.villageMode === 'accept_and_forward') {
    if (steps >= 2)
      add(
        'forward',
        { toUnitId: townId, materials: materials.slice(0, 1) },
        villageActor,
        deviceId,
      );
    if (steps >= 3) add('claim', {}, townActor, townDevice);
    if (steps >= 4) add('log', { text: pick(r, LOG_TEXTS) }, townActor, townDevice);
    if (steps >= 5)
      add('conclude', { outcome: 'approved', opinion: pick(r, OPINIONS) }, townActor, townDevice);
    if (steps >= 6)
      add(
        'deliver_result',
        { method: 'collected', recipientName: applicantName },
        townActor,
        townDevice,
      );
  } else {
    if (steps >= 3)
      add('conclude', { outcome: 'approved', opinion: pick(r, OPINIONS) }, villageActor, deviceId);
    if (steps >= 5)
      add(
        'deliver_result',
        { method: 'collected', recipientName: applicantName },
        villageActor,
        deviceId,
      );
    if (steps >= 7)
      add('rate', { level: 1, channel: 'pad', realName: false }, villageActor, deviceId);
  }

  const accepted = events.find((e) => e.type === 'accept');
  const doc: CaseDoc = {
    id,
    provisionalNo,
    officialNo: opts.asHubHeld
      ? formatOfficialNo({ countyCode: 'SX', year: 2026, serial: opts.index + 1 })
      : null,
    matterCode: matter.code,
    originUnitId: village.id,
    townId,
    holderUnitId: village.id,
    handlerUserId: null,
    assistingDeptIds: [],
    status: 'received',
    applicantName,
    applicantIdDigest: await idDigest(idNumber),
    applicantIdMasked: maskIdNumber(idNumber),
    applicant: {
      kind: enterprise ? 'enterprise' : 'person',
      name: applicantName,
      idNumber,
      phone: phoneFor(r),
    },
    events,
    deadlines:
      opts.asHubHeld && accepted
        ? {
            startDate: isoDate(Date.parse(accepted.deviceTime)),
            legalDue: isoDate(Date.parse(accepted.deviceTime) + (matter.legalDays * 7 * DAY) / 5),
            promisedDue: isoDate(
              Date.parse(accepted.deviceTime) + (matter.promisedDays * 7 * DAY) / 5,
            ),
            computedAt: new Date(clock + 60_000).toISOString(),
          }
        : null,
    formerUnitIds: [],
    updatedAt: new Date(clock + (opts.asHubHeld ? 30_000 : 0)).toISOString(),
  };
  return { ...doc, ...deriveCaseFields(events) };
}

/** 4-character Crockford code derived from the device id (stands in for the enrolment's). */
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

export async function generateCases(
  n: number,
  opts: Omit<GenOptions, 'index'> & { from?: number } = {},
): Promise<CaseDoc[]> {
  const out: CaseDoc[] = [];
  const from = opts.from ?? 0;
  for (let i = from; i < from + n; i += 1) out.push(await generateCase({ ...opts, index: i }));
  return out;
}

/** Average JSON size in bytes, for the report. */
export function averageJsonBytes(docs: readonly unknown[]): number {
  if (docs.length === 0) return 0;
  let total = 0;
  for (const d of docs) total += new TextEncoder().encode(JSON.stringify(d)).length;
  return Math.round(total / docs.length);
}
