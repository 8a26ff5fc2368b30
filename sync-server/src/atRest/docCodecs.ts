/**
 * What is sealed at rest, per database. A codec turns the hub's form of a document into its
 * stored form and back; the store guard (store/guardedStore.ts) applies it to every read and
 * write, so nothing above the store (push, pull, workflow, routes) sees the difference.
 *
 * - cases: the applicant's identity (`applicant`: name, ID or USCC, phone, legal
 *   representative, agent), `applicantName`, and the applicant name in `receive` events. The
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
}

const aadOf = (db: string, doc: StoredDoc): string => `${db}:${String(doc._id ?? doc.id ?? '')}`;

interface SealedCase {
  applicant: unknown;
  applicantName: unknown;
  /** Event id → the applicant name its `receive` payload carried. */
  eventNames: Record<string, string>;
}

function eventsOf(doc: StoredDoc): unknown[] | null {
  return Array.isArray(doc.events) ? (doc.events as unknown[]) : null;
}

function payloadName(e: unknown): { id: string; name: string } | null {
  if (!e || typeof e !== 'object') return null;
  const { id, payload } = e as { id?: unknown; payload?: unknown };
  if (typeof id !== 'string' || !payload || typeof payload !== 'object') return null;
  const name = (payload as { applicantName?: unknown }).applicantName;
  return typeof name === 'string' ? { id, name } : null;
}

function withPayloadName(e: unknown, name: string | null): unknown {
  const ev = e as { payload: Record<string, unknown> };
  return { ...ev, payload: { ...ev.payload, applicantName: name } };
}

export function caseCodec(keyring: Keyring): DocCodec {
  const hasPlain = (doc: StoredDoc) =>
    (doc.applicant !== undefined && doc.applicant !== null) ||
    (doc.applicantName !== undefined && doc.applicantName !== null) ||
    (eventsOf(doc) ?? []).some((e) => payloadName(e) !== null);
  return {
    encode(doc) {
      if (doc._deleted === true || !hasPlain(doc)) return doc;
      const eventNames: Record<string, string> = {};
      const events = eventsOf(doc)?.map((e) => {
        const n = payloadName(e);
        if (!n) return e;
        eventNames[n.id] = n.name;
        return withPayloadName(e, null);
      });
      const secret: SealedCase = {
        applicant: doc.applicant ?? null,
        applicantName: doc.applicantName ?? null,
        eventNames,
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
        const name = typeof id === 'string' ? secret.eventNames[id] : undefined;
        return name === undefined ? e : withPayloadName(e, name);
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
      if (isSealed(doc.sealed)) return doc.sealed.kid !== keyring.current().kid;
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
