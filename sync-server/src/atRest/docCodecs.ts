/**
 * What is sealed at rest, per database. A codec turns the hub's form of a document into its
 * stored form and back; the store guard (store/guardedStore.ts) applies it to every read and
 * write, so nothing above the store (push, pull, workflow, routes) sees the difference.
 *
 * - cases: the applicant's identity (`applicant`: name, ID or USCC, phone, legal
 *   representative, agent), `applicantName`, and the names and free text of event payloads
 *   listed in SEALED_EVENT_FIELDS (receipt, delivery, rating, withdrawal, staff's text). The
 *   sealed fields stay in the stored document as `null` (their place kept, so a decoded
 *   document has the same shape and field order as the one written), the values in `sealed`.
 *   `applicantIdDigest` stays clear: it is the keyed digest searches use.
 * - hub: the token-signing key document.
 *
 * Documents written by older hubs (plaintext, no `sealed`) decode as they are; `stale` tells
 * the re-sealing pass (atRest/resealStored.ts) to rewrite them, and those sealed with an
 * older key after a rotation.
 */
import type { Keyring } from './keyring.js';
import { isSealed, open, seal } from './seal.js';

export type StoredDoc = Record<string, unknown>;

export interface DocCodec {
  encode(doc: StoredDoc): StoredDoc;
  decode(doc: StoredDoc): StoredDoc;
  /** The stored document holds plaintext or a key other than the current one. */
  stale(doc: StoredDoc): boolean;
  /** Documents per page when re-sealing (default 500): a database of large documents reads fewer. */
  readonly pageSize?: number;
}

const aadOf = (db: string, doc: StoredDoc): string => `${db}:${String(doc._id ?? doc.id ?? '')}`;

/**
 * Free text and names in event payloads, sealed per event type: the applicant's name on
 * receipt, the recipient (usually the applicant) on delivery, the citizen's words in a rating
 * and a withdrawal's reason, and every text staff write about a case — work log, handoff
 * notes, reasons for refusing, returning, suspending, extending or ending it, 协办 questions
 * and answers, the conclusion's opinion — because staff write what they learnt of the
 * applicant there ("电话联系申请人 138…", "家中无人"). Nothing the hub computes in the
 * store (figure views, indexes, selectors) reads them; types, units, levels, kinds, day
 * counts, outcomes and times stay clear.
 */
export const SEALED_EVENT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  receive: ['applicantName'],
  deliver_result: ['recipientName'],
  rate: ['text'],
  withdraw: ['reason'],
  log: ['text'],
  forward: ['note'],
  escalate: ['note'],
  refuse: ['reason', 'guidance'],
  request_assistance: ['question'],
  assistance_reply: ['opinion'],
  return_for_correction: ['reason'],
  suspend: ['reason'],
  resume: ['note'],
  extend: ['reason'],
  conclude: ['opinion'],
  terminate: ['reason'],
};

interface SealedCase {
  applicant: unknown;
  applicantName: unknown;
  /** Written by earlier hubs: event id → the applicant name its `receive` payload carried. */
  eventNames?: Record<string, string>;
  /** Event id → its sealed payload fields (SEALED_EVENT_FIELDS) and their values. */
  eventFields?: Record<string, Record<string, string>>;
}

function eventsOf(doc: StoredDoc): unknown[] | null {
  return Array.isArray(doc.events) ? (doc.events as unknown[]) : null;
}

/** The sealable fields of an event that hold a value (strings only: null stays as is). */
function plainFields(e: unknown): { id: string; fields: Record<string, string> } | null {
  if (!e || typeof e !== 'object') return null;
  const { id, type, payload } = e as { id?: unknown; type?: unknown; payload?: unknown };
  if (typeof id !== 'string' || !payload || typeof payload !== 'object') return null;
  const names = SEALED_EVENT_FIELDS[typeof type === 'string' ? type : ''] ?? [];
  const fields: Record<string, string> = {};
  for (const f of names) {
    const v = (payload as Record<string, unknown>)[f];
    if (typeof v === 'string') fields[f] = v;
  }
  return Object.keys(fields).length > 0 ? { id, fields } : null;
}

/** The event with `fields` put in its payload (in place: the key order is kept). */
function withPayloadFields(e: unknown, fields: Record<string, string | null>): unknown {
  const ev = e as { payload: Record<string, unknown> };
  return { ...ev, payload: { ...ev.payload, ...fields } };
}

const nulled = (fields: Record<string, string>): Record<string, null> =>
  Object.fromEntries(Object.keys(fields).map((k) => [k, null]));

export function caseCodec(keyring: Keyring): DocCodec {
  const hasPlain = (doc: StoredDoc) =>
    (doc.applicant !== undefined && doc.applicant !== null) ||
    (doc.applicantName !== undefined && doc.applicantName !== null) ||
    (eventsOf(doc) ?? []).some((e) => plainFields(e) !== null);
  return {
    encode(doc) {
      if (doc._deleted === true || !hasPlain(doc)) return doc;
      const eventFields: Record<string, Record<string, string>> = {};
      const events = eventsOf(doc)?.map((e) => {
        const p = plainFields(e);
        if (!p) return e;
        eventFields[p.id] = p.fields;
        return withPayloadFields(e, nulled(p.fields));
      });
      const secret: SealedCase = {
        applicant: doc.applicant ?? null,
        applicantName: doc.applicantName ?? null,
        eventFields,
      };
      return {
        ...doc,
        ...(doc.applicant !== undefined ? { applicant: null } : {}),
        ...(doc.applicantName !== undefined ? { applicantName: null } : {}),
        ...(events ? { events } : {}),
        sealed: seal(keyring, aadOf('cases', doc), secret),
      };
    },
    decode(doc) {
      if (!isSealed(doc.sealed)) return doc;
      const secret = open(keyring, aadOf('cases', doc), doc.sealed) as SealedCase;
      const { sealed: _omit, ...rest } = doc;
      const events = eventsOf(rest)?.map((e) => {
        const id = (e as { id?: unknown }).id;
        if (typeof id !== 'string') return e;
        const legacyName = secret.eventNames?.[id];
        const fields = {
          ...(legacyName === undefined ? {} : { applicantName: legacyName }),
          ...secret.eventFields?.[id],
        };
        return Object.keys(fields).length === 0 ? e : withPayloadFields(e, fields);
      });
      return {
        ...rest,
        applicant: secret.applicant,
        applicantName: secret.applicantName,
        ...(events ? { events } : {}),
      };
    },
    stale(doc) {
      if (doc._deleted === true) return false;
      // Sealed under an older key, or by a hub that sealed fewer fields (some still in clear).
      if (isSealed(doc.sealed)) return doc.sealed.kid !== keyring.current().kid || hasPlain(doc);
      return hasPlain(doc);
    },
  };
}

/** The hub database: only the token-signing key document is sealed. */
export function hubCodec(keyring: Keyring, sealedIds: ReadonlySet<string>): DocCodec {
  const applies = (doc: StoredDoc) => typeof doc._id === 'string' && sealedIds.has(doc._id);
  return {
    encode(doc) {
      if (!applies(doc) || doc.secret === undefined || doc.secret === null) return doc;
      return { ...doc, secret: null, sealed: seal(keyring, aadOf('hub', doc), doc.secret) };
    },
    decode(doc) {
      if (!applies(doc) || !isSealed(doc.sealed)) return doc;
      const { sealed, ...rest } = doc;
      return { ...rest, secret: open(keyring, aadOf('hub', doc), sealed) };
    },
    stale(doc) {
      if (!applies(doc)) return false;
      if (isSealed(doc.sealed)) return doc.sealed.kid !== keyring.current().kid;
      return typeof doc.secret === 'string';
    },
  };
}
