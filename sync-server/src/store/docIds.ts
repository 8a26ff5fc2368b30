/**
 * The one id rule for every document the hub reads or writes.
 *
 * nano puts a document id into the request path unencoded when it starts with `_design` or
 * `_local` (it expects a design document there), so an id such as `_design/../../_all_dbs`
 * taken from a route parameter reached other databases and server endpoints, and
 * `_design/../x/_changes?feed=continuous` left feeds open. Nothing the hub stores needs an id
 * starting with `_` (its indexes go through `_index`, never through a document id), so such ids
 * are refused everywhere, before any request is made; the rest are always percent-encoded
 * (`encodeDocId`) by whoever builds a path.
 */

export const DOC_ID_MAX = 200;

/** Control characters and the Unicode line/paragraph separators: never part of an id. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f\u2028\u2029]/;

/** True when `id` may name a document of the hub's store. */
export function isDocId(id: unknown): id is string {
  return (
    typeof id === 'string' &&
    id.length > 0 &&
    id.length <= DOC_ID_MAX &&
    !id.startsWith('_') &&
    !FORBIDDEN.test(id)
  );
}

/** The id as one path segment (also `/`, `?`, `#`, `%` and `.` sequences stay inside it). */
export function encodeDocId(id: string): string {
  if (!isDocId(id)) throw new InvalidDocIdError(id, 'write');
  return encodeURIComponent(id);
}

/**
 * Raised instead of a store request for an id outside the rule. Shaped like nano's errors:
 * a read answers 404 `not_found` (no document can have such an id, so "not found" is the
 * truth and every caller already handles it), a write 400 `bad_request`.
 */
export class InvalidDocIdError extends Error {
  readonly statusCode: number;
  readonly error: string;
  readonly reason: string;
  constructor(id: unknown, kind: 'read' | 'write') {
    const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 60)) : typeof id;
    super(`invalid document id ${shown}`);
    this.name = 'InvalidDocIdError';
    this.statusCode = kind === 'read' ? 404 : 400;
    this.error = kind === 'read' ? 'not_found' : 'bad_request';
    this.reason = 'invalid document id';
  }
}
