import {
  checkIdNumber,
  checkPhone,
  checkUscc,
  chinaDate,
  idDigest,
  maskIdNumber,
  maskUscc,
  normaliseIdNumber,
  normalisePhone,
  type Actor,
  type CaseDoc,
  type CaseEvent,
  type CountyKey,
  type MaterialReceipt,
} from '@sibantong/shared';
import { storedCountyKey } from '../../auth/countyKey';
import { applyEvents, makeEvent } from '../../db/caseWrites';
import type { CatalogueMatter } from '../../hooks/useReference';

/**
 * The accept form's checks of what was typed, each the shared rule (shared/src/identity) with
 * its own Chinese message; an empty field gets a prompt. Everything about the case itself
 * (容缺 dates, targets, who may act) is judged by the hub's own check before the write
 * (db/caseWrites.ts), whose message the form shows.
 */
function fieldProblem(
  raw: string,
  empty: string,
  check: (s: string) => { ok: true } | { ok: false; messageZh: string },
): string | null {
  if (!raw.trim()) return empty;
  const r = check(raw);
  return r.ok ? null : r.messageZh;
}
const idNumberProblem = (raw: string, today: string) =>
  fieldProblem(raw, '请输入身份证号码', (s) => checkIdNumber(s, today));
const usccProblem = (raw: string) => fieldProblem(raw, '请输入统一社会信用代码', checkUscc);
const phoneProblem = (raw: string) => fieldProblem(raw, '请输入联系电话', checkPhone);

export type MaterialState = 'received' | 'missing' | 'deferred';
export interface MaterialLine {
  materialId: string;
  name: string;
  necessity: 'required' | 'optional' | 'deferrable';
  originals: number;
  copies: number;
  state: MaterialState;
}

export interface AcceptInput {
  matter: CatalogueMatter | undefined;
  applicantKind: 'person' | 'enterprise';
  name: string;
  idNumber: string;
  phone: string;
  legalRepresentative: string;
  byAgent: boolean;
  agentName: string;
  agentIdNumber: string;
  agentPhone: string;
  agentLetterSigned: boolean;
  materials: MaterialLine[];
  commitmentDate: string | null;
  commitmentSigned: boolean;
  promisedDue: string | null;
}

export type AcceptErrors = Partial<Record<string, string>>;

/** Everything checked before a single byte is written: a half-done case is never saved. */
export function validateAccept(
  i: AcceptInput,
  mode: 'accept' | 'inform',
  now: Date = new Date(),
): AcceptErrors {
  const e: AcceptErrors = {};
  const today = chinaDate(now);
  if (!i.matter) e.matter = '请选择申请事项';
  else if (i.matter.villageMode === 'inform_only')
    e.matter = `“${i.matter.name}”在村级仅提供办事指引，不能在本服务点收件，请指引申请人到办理机关申请`;
  if (!i.name.trim()) e.name = i.applicantKind === 'person' ? '请输入申请人姓名' : '请输入企业名称';
  const idProblem =
    i.applicantKind === 'person' ? idNumberProblem(i.idNumber, today) : usccProblem(i.idNumber);
  if (idProblem) e.idNumber = idProblem;
  const ph = phoneProblem(i.phone);
  if (ph) e.phone = ph;
  if (i.applicantKind === 'enterprise' && !i.legalRepresentative.trim())
    e.legalRepresentative = '请输入法定代表人';
  if (i.byAgent) {
    if (!i.agentName.trim()) e.agentName = '请输入代办人姓名';
    const ap = idNumberProblem(i.agentIdNumber, today);
    if (ap) e.agentIdNumber = `代办人${ap}`;
    const pp = phoneProblem(i.agentPhone);
    if (pp) e.agentPhone = `代办人${pp}`;
    if (!i.agentLetterSigned) e.agentLetterSigned = '代为办理须由申请人签署代办委托书';
  }
  for (const m of i.materials) {
    if (
      m.originals < 0 ||
      m.copies < 0 ||
      !Number.isInteger(m.originals) ||
      !Number.isInteger(m.copies)
    )
      e[`mat-${m.materialId}`] = `“${m.name}”的份数必须是不小于0的整数`;
    else if (m.state === 'received' && m.originals + m.copies === 0)
      e[`mat-${m.materialId}`] = `“${m.name}”标记为已收，但原件和复印件份数都是0`;
    if (m.state === 'deferred' && m.necessity !== 'deferrable')
      e[`mat-${m.materialId}`] = `“${m.name}”不允许容缺`;
  }
  const missingRequired = i.materials.filter(
    (m) => m.state === 'missing' && m.necessity !== 'optional',
  );
  if (mode === 'accept' && missingRequired.length > 0)
    e.materials = `必要材料缺失（${missingRequired.map((m) => m.name).join('、')}），不能受理，请出具一次性告知单`;
  if (mode === 'inform' && !i.materials.some((m) => m.state !== 'received'))
    e.materials = '材料已齐全，无需出具一次性告知单';
  if (i.materials.some((m) => m.state === 'deferred')) {
    // Whether the date itself is allowed (after today, within the promised time) is the
    // hub's rule, run before the write: its message is shown if it refuses.
    if (!i.commitmentDate) e.commitmentDate = '容缺受理须填写承诺补齐日期';
    if (!i.commitmentSigned) e.commitmentSigned = '容缺受理须由申请人签署容缺承诺书';
  }
  return e;
}

function toReceipts(lines: MaterialLine[]): MaterialReceipt[] {
  return lines.map((m) => ({
    materialId: m.materialId,
    name: m.name,
    originals: m.state === 'received' ? m.originals : 0,
    copies: m.state === 'received' ? m.copies : 0,
    missing: m.state !== 'received',
    ...(m.state === 'deferred' ? { deferred: true } : {}),
  }));
}

export interface BuildContext {
  actor: Actor;
  deviceId: string;
  townId: string;
  provisionalNo: string;
  /**
   * The county's ID digest key; when not given, the one this PC stored at its last online
   * login (auth/countyKey.ts). Null: the old unkeyed digest (the hub accepts both).
   */
  countyKey?: CountyKey | null;
}

/**
 * Builds the whole new case (all events at once) so the write is a single atomic insert.
 * - inform: receive + 一次性告知; the case stays at the village awaiting 补正.
 * - immediate (即办): receive + accept + conclude on the spot.
 * - otherwise: receive + accept (容缺 when deferred items) + forward to the town (a village
 *   window; a town's or the centre's window keeps the case).
 */
export async function buildNewCase(
  i: AcceptInput,
  mode: 'accept' | 'inform',
  ctx: BuildContext,
): Promise<CaseDoc> {
  const matter = i.matter as CatalogueMatter;
  const id = `case-${ctx.deviceId}-${Date.now().toString(36)}`.replace(/[^A-Za-z0-9-]/g, '');
  const idNumber = normaliseIdNumber(i.idNumber);
  const countyKey =
    ctx.countyKey !== undefined ? ctx.countyKey : await storedCountyKey(ctx.deviceId);
  const base: CaseDoc = {
    id,
    provisionalNo: ctx.provisionalNo,
    officialNo: null,
    matterCode: matter.code,
    originUnitId: ctx.actor.orgUnitId,
    townId: ctx.townId,
    holderUnitId: ctx.actor.orgUnitId,
    handlerUserId: null,
    assistingDeptIds: [],
    status: 'received',
    applicantName: i.name.trim(),
    applicantIdDigest: await idDigest(idNumber, countyKey),
    applicantIdMasked: i.applicantKind === 'person' ? maskIdNumber(idNumber) : maskUscc(idNumber),
    applicant: {
      kind: i.applicantKind,
      name: i.name.trim(),
      idNumber,
      phone: normalisePhone(i.phone),
      ...(i.applicantKind === 'enterprise'
        ? { legalRepresentative: i.legalRepresentative.trim() }
        : {}),
      ...(i.byAgent
        ? {
            agent: {
              name: i.agentName.trim(),
              idNumber: normaliseIdNumber(i.agentIdNumber),
              phone: normalisePhone(i.agentPhone),
            },
          }
        : {}),
    },
    events: [],
    deadlines: null,
    formerUnitIds: [],
    updatedAt: new Date().toISOString(),
  };
  const materials = toReceipts(i.materials);
  const events: CaseEvent[] = [];
  const push = (ev: CaseEvent) => {
    events.push(ev);
  };
  const cur = () => ({ id, events });
  push(
    makeEvent(
      cur(),
      'receive',
      {
        matterCode: matter.code,
        provisionalNo: ctx.provisionalNo,
        applicantKind: i.applicantKind,
        applicantName: i.name.trim(),
        materials,
        agentAuthorised: i.byAgent,
        channel: 'village_window',
      },
      ctx.actor,
      ctx.deviceId,
    ),
  );
  const missing = i.materials.filter((m) => m.state === 'missing');
  if (mode === 'inform') {
    push(
      makeEvent(
        cur(),
        'inform_missing',
        {
          items: missing.concat(i.materials.filter((m) => m.state === 'deferred')).map((m) => ({
            materialId: m.materialId,
            name: m.name,
            problem: m.state === 'deferred' ? '容缺后补' : '未提供',
          })),
          deadlineDays: 5,
        },
        ctx.actor,
        ctx.deviceId,
      ),
    );
    return applyEvents(base, events);
  }
  const deferred = i.materials.filter((m) => m.state === 'deferred');
  push(
    makeEvent(
      cur(),
      'accept',
      deferred.length && i.commitmentDate
        ? {
            deferred: {
              materialIds: deferred.map((m) => m.materialId),
              dueDate: i.commitmentDate,
              commitmentSigned: true,
            },
          }
        : {},
      ctx.actor,
      ctx.deviceId,
    ),
  );
  if (matter.immediate && deferred.length === 0) {
    push(
      makeEvent(
        cur(),
        'conclude',
        { outcome: 'approved', opinion: '即办件，当场办结', deliverAtUnitId: ctx.actor.orgUnitId },
        ctx.actor,
        ctx.deviceId,
      ),
    );
  } else if (ctx.townId !== ctx.actor.orgUnitId) {
    push(makeEvent(cur(), 'forward', { toUnitId: ctx.townId, materials }, ctx.actor, ctx.deviceId));
  } // else: taken in at a town's or the centre's own window, which keeps and handles the case
  return applyEvents(base, events);
}
