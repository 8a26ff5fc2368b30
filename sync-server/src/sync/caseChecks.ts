/**
 * Hub-only checks of a pushed case document, run before the shared state machine. Each
 * returns a refusal with its own code, so the client (and the tests) see precisely which
 * forgery or slip was refused.
 */
import type { CaseDoc, CaseEvent, CountyKey } from '@sibantong/shared';
import {
  checkCaseDocIdentity,
  checkIdNumber,
  checkPhone,
  checkUscc,
  eventContentKey,
  idDigest,
  maskIdNumber,
  maskUscc,
  type CaseErrorCode,
} from '@sibantong/shared';
import { canonicalJson } from '../domain/canonical.js';
import type { AuthContext } from '../auth/session.js';
import type { RefSnapshot } from '../domain/refData.js';
import { HUB_PUSH_CODES, type HubPushCode } from './pushCodes.js';

export interface HubRefusal {
  code: HubPushCode | CaseErrorCode;
  message: string;
  refusedEventIds: string[];
}

const refuse = (code: HubPushCode, ids: string[], detail?: string): HubRefusal => ({
  code,
  message: detail ? `${HUB_PUSH_CODES[code]}：${detail}` : HUB_PUSH_CODES[code],
  refusedEventIds: ids,
});

const IDENTITY_FIELDS = [
  'provisionalNo',
  'matterCode',
  'originUnitId',
  'townId',
  'applicantName',
  'applicantIdDigest',
  'applicantIdMasked',
  'applicant',
] as const;

/** Events the push adds over the hub's master (by id). */
export function newEventsOf(doc: CaseDoc, master: CaseDoc | null): CaseEvent[] {
  const known = new Set((master?.events ?? []).map((e) => e.id));
  return doc.events.filter((e) => !known.has(e.id));
}

export function checkAgainstAssumed(doc: CaseDoc, assumed: CaseDoc | null): HubRefusal | null {
  if (!assumed) return null;
  if (assumed.id !== doc.id) return refuse('ASSUMED_MASTER_MISMATCH', []);
  const have = new Set(doc.events.map((e) => e.id));
  const dropped = (Array.isArray(assumed.events) ? assumed.events : []).filter(
    (e) => !have.has(e.id),
  );
  if (dropped.length) return refuse('HISTORY_SHORTENED', [], dropped.map((e) => e.id).join(', '));
  return null;
}

export function checkKnownEvents(doc: CaseDoc, master: CaseDoc | null): HubRefusal | null {
  if (!master) return null;
  const byId = new Map(master.events.map((e) => [e.id, e]));
  for (const e of doc.events) {
    const m = byId.get(e.id);
    if (m && eventContentKey(m) !== eventContentKey(e))
      return refuse('EVENT_IMMUTABLE', [e.id], e.id);
  }
  return null;
}

export function checkNewEventAuthorship(added: CaseEvent[], ctx: AuthContext): HubRefusal | null {
  const all = added.map((e) => e.id);
  for (const e of added) {
    if (e.hubTime !== undefined) return refuse('EVENT_HUBTIME_FORGED', all, e.id);
    if (e.actor.userId !== ctx.user.userId) return refuse('EVENT_ACTOR_NOT_CALLER', all, e.id);
    if (e.actor.role !== ctx.user.role || e.actor.orgUnitId !== ctx.user.orgUnitId) {
      return refuse('EVENT_ACTOR_FORGED', all, e.id);
    }
    if (e.deviceId !== ctx.deviceId) return refuse('EVENT_DEVICE_MISMATCH', all, e.id);
  }
  return null;
}

/**
 * Hub-set fields. A stale client legitimately carries the values of the master it last saw
 * (`assumed`), or none yet; anything else is forged. (The hub never stores these fields from
 * a push anyway: it rebuilds the document from its master, so this check is about reporting.)
 */
export function checkHubFields(
  doc: CaseDoc,
  master: CaseDoc | null,
  assumed: CaseDoc | null,
  added: CaseEvent[],
): HubRefusal | null {
  const all = added.map((e) => e.id);
  // A client that has not pulled the hub's values yet sends null / [] — that is not a forgery.
  if (doc.officialNo !== null && doc.officialNo !== (master?.officialNo ?? null)) {
    return refuse('OFFICIAL_NO_FORGED', all);
  }
  const deadlinesKey = canonicalJson(doc.deadlines);
  if (
    doc.deadlines !== null &&
    deadlinesKey !== canonicalJson(master?.deadlines ?? null) &&
    deadlinesKey !== canonicalJson(assumed?.deadlines ?? null)
  ) {
    return refuse('DEADLINES_FORGED', all);
  }
  const former = new Set([...(master?.formerUnitIds ?? []), ...(assumed?.formerUnitIds ?? [])]);
  if (doc.formerUnitIds.some((u) => !former.has(u))) return refuse('FORMER_UNITS_FORGED', all);
  return null;
}

/**
 * `reference`: the master the client based its edit on (it may predate a hub-side move);
 * `master`: the hub's copy now. A header equal to either is not a change by the client: a PC
 * can hold the hub's newer header (after a move) while RxDB's record of the hub's copy is
 * older (the app closed between RxDB's two writes of a pulled page), and its next edit was
 * refused CASE_IDENTITY_CHANGED though it changed nothing (found by the convergence test).
 */
export function checkIdentityUnchanged(
  doc: CaseDoc,
  reference: CaseDoc,
  added: CaseEvent[],
  master: CaseDoc = reference,
): HubRefusal | null {
  for (const f of IDENTITY_FIELDS) {
    const value = canonicalJson(doc[f]);
    if (value !== canonicalJson(reference[f]) && value !== canonicalJson(master[f])) {
      return refuse(
        'CASE_IDENTITY_CHANGED',
        added.map((e) => e.id),
        f,
      );
    }
  }
  return null;
}

/**
 * A case the hub has never seen: its header must agree with its receive event and the org tree.
 * `countyKey`: the county's ID-digest key (atRest/countyKey.ts).
 */
export async function checkNewCaseHeader(
  doc: CaseDoc,
  ref: RefSnapshot,
  todayIso: string,
  countyKey: CountyKey | null,
): Promise<HubRefusal | null> {
  const all = doc.events.map((e) => e.id);
  if (!/^[A-Za-z0-9][A-Za-z0-9:._-]{0,99}$/.test(doc.id)) return refuse('CASE_ID_INVALID', all);
  if (!ref.matters.has(doc.matterCode)) return refuse('UNKNOWN_MATTER', all, doc.matterCode);
  const receive = doc.events.find((e) => e.type === 'receive');
  if (receive && receive.type === 'receive') {
    const p = receive.payload;
    if (
      p.matterCode !== doc.matterCode ||
      p.provisionalNo !== doc.provisionalNo ||
      p.applicantName !== doc.applicantName
    ) {
      return refuse('CASE_HEADER_MISMATCH', all);
    }
    if (doc.originUnitId !== receive.actor.orgUnitId) return refuse('ORIGIN_UNIT_MISMATCH', all);
  }
  const town = ref.org.townOf(doc.originUnitId)?.id ?? doc.originUnitId;
  if (doc.townId !== town) return refuse('TOWN_MISMATCH', all, `${doc.townId} ≠ ${town}`);
  // The shared consistency rule as a backstop (the finer checks above give precise codes).
  const shared = checkCaseDocIdentity(doc, ref.org);
  if (shared) return { code: shared.code, message: shared.messageZh, refusedEventIds: all };
  const identity = checkApplicantIdentity(doc, todayIso);
  if (identity) return identity;
  if (typeof doc.applicant?.idNumber === 'string') {
    // Keyed with the county key, or the old unkeyed digest of a device that recorded the case
    // before it had the key (offline since its last login): the desktop's ID search looks for
    // both (idDigestCandidates). Anything else is a forged or broken digest.
    const id = doc.applicant.idNumber;
    const keyed = countyKey ? await idDigest(id, countyKey) : null;
    if (doc.applicantIdDigest !== keyed && doc.applicantIdDigest !== (await idDigest(id)))
      return refuse('APPLICANT_DIGEST_MISMATCH', all);
  }
  return null;
}

/**
 * The citizen's identity fields, re-checked with the shared rules the form runs (the hub
 * must not store an ID "123", a wrong check digit, a phone "abc", or a full ID number in the
 * field that is shown masked). `todayIso`: the hub's date in China, bounding birth dates.
 */
export function checkApplicantIdentity(doc: CaseDoc, todayIso: string): HubRefusal | null {
  const all = doc.events.map((e) => e.id);
  const a = doc.applicant;
  const id = a.kind === 'enterprise' ? checkUscc(a.idNumber) : checkIdNumber(a.idNumber, todayIso);
  if (!id.ok) return refuse('APPLICANT_ID_INVALID', all, id.messageZh);
  const masked = a.kind === 'enterprise' ? maskUscc(id.value) : maskIdNumber(id.value);
  if (doc.applicantIdMasked !== masked) return refuse('APPLICANT_MASK_MISMATCH', all);
  const phone = checkPhone(a.phone);
  if (!phone.ok) return refuse('APPLICANT_PHONE_INVALID', all, phone.messageZh);
  if (a.agent) {
    const agentId = checkIdNumber(a.agent.idNumber, todayIso);
    if (!agentId.ok) return refuse('AGENT_ID_INVALID', all, agentId.messageZh);
    const agentPhone = checkPhone(a.agent.phone);
    if (!agentPhone.ok) return refuse('AGENT_PHONE_INVALID', all, agentPhone.messageZh);
  }
  return null;
}
