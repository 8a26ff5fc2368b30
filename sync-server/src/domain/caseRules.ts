/**
 * The shared case rules as the push handler uses them. Everything here delegates to
 * @sibantong/shared; this module only adapts shapes (and is the one place to look when a
 * shared signature changes).
 */
import {
  validateCaseDoc,
  validateNewEvents,
  mergeCaseDocs,
  deriveCaseFields,
  deriveCaseState,
  idDigest,
} from '@sibantong/shared';

export interface SchemaVerdict {
  ok: boolean;
  message: string;
}

/** Validates a pushed document against the shared JSON schema (ajv, compiled once in shared). */
export function checkCaseSchema(doc: unknown): SchemaVerdict {
  const out = validateCaseDoc(doc);
  return out.ok ? { ok: true, message: '' } : { ok: false, message: out.messageZh };
}

export { validateNewEvents, mergeCaseDocs, deriveCaseFields, deriveCaseState, idDigest };
export type { NewEventsVerdict } from '@sibantong/shared';
