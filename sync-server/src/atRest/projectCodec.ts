/**
 * What is sealed at rest in the hub's `projects` database: the payload of every project event.
 * Payloads carry the owner's contact person and phone (register, update_info), the names of
 * the team (set_team, plan items) and free text of every kind (work log, plans, reviews,
 * reasons, notes). Sealing whole payloads, not a field list as for cases, keeps a field added
 * to a project event later sealed too: nothing on the hub reads a project from the store
 * except through the guard (no view, index or selector over `projects`), so no payload field
 * has to stay clear. The derived fields (project name, code, category, stage, status, site,
 * team user ids) and each event's envelope (id, type, author, times) stay clear: scope and
 * pull read them, and the author is a staff member listed in the hub's user directory anyway.
 *
 * Stored form: each payload `null` in place, the payloads in `sealed` by event id.
 */
import type { DocCodec, StoredDoc } from './docCodecs.js';
import type { Keyring } from './keyring.js';
import { isSealed, open, seal } from './seal.js';

interface SealedProject {
  /** Event id → its payload. */
  payloads: Record<string, unknown>;
}

const aadOf = (doc: StoredDoc): string => `projects:${String(doc._id ?? doc.id ?? '')}`;

function eventsOf(doc: StoredDoc): unknown[] | null {
  return Array.isArray(doc.events) ? (doc.events as unknown[]) : null;
}

/** The event's id when it holds a payload in clear. */
function plainId(e: unknown): string | null {
  if (!e || typeof e !== 'object') return null;
  const { id, payload } = e as { id?: unknown; payload?: unknown };
  return typeof id === 'string' && payload !== undefined && payload !== null ? id : null;
}

const hasPlain = (doc: StoredDoc): boolean =>
  (eventsOf(doc) ?? []).some((e) => plainId(e) !== null);

export function projectCodec(keyring: Keyring): DocCodec {
  return {
    encode(doc) {
      if (doc._deleted === true || !hasPlain(doc)) return doc;
      const payloads: Record<string, unknown> = {};
      const events = (eventsOf(doc) ?? []).map((e) => {
        const id = plainId(e);
        if (id === null) return e;
        payloads[id] = (e as { payload: unknown }).payload;
        return { ...(e as object), payload: null };
      });
      const secret: SealedProject = { payloads };
      return { ...doc, events, sealed: seal(keyring, aadOf(doc), secret) };
    },
    decode(doc) {
      if (!isSealed(doc.sealed)) return doc;
      const secret = open(keyring, aadOf(doc), doc.sealed) as SealedProject;
      const { sealed: _omit, ...rest } = doc;
      const events = eventsOf(rest)?.map((e) => {
        const id = (e as { id?: unknown }).id;
        if (typeof id !== 'string' || !(id in secret.payloads)) return e;
        return { ...(e as object), payload: secret.payloads[id] };
      });
      return { ...rest, ...(events ? { events } : {}) };
    },
    stale(doc) {
      if (doc._deleted === true) return false;
      if (isSealed(doc.sealed)) return doc.sealed.kid !== keyring.current().kid || hasPlain(doc);
      return hasPlain(doc);
    },
  };
}
