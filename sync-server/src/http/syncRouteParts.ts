/**
 * The wiring every collection of the sync API repeats (docs/sync-protocol.md): the pull's
 * query string (checkpoint JSON, limit) and its limit check, and the push body (rows of
 * assumed master and new document). Used by the projects' routes (projects/projectRoutes.ts);
 * the cases' routes (sync/syncRoutes.ts) declare the same shapes.
 */
import { badRequest } from './apiError.js';

export const PULL_QUERY_SCHEMA = {
  type: 'object',
  properties: {
    checkpoint: { type: 'string', maxLength: 2100 },
    limit: { type: 'string', pattern: '^[0-9]{1,6}$' },
  },
} as const;

/** The page size asked for (default 100), refused outside 1..max with INVALID_LIMIT. */
export function pullLimitOf(query: { limit?: string }, max: number): number {
  const limit = query.limit === undefined ? 100 : Number(query.limit);
  if (limit < 1 || limit > max) {
    throw badRequest('INVALID_LIMIT', `每批数量应在 1–${max} 之间`);
  }
  return limit;
}

/** `{ rows: [{ assumedMasterState, newDocumentState }] }`, at most `maxRows` when given. */
export function pushBodySchema(maxRows?: number) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['rows'],
    properties: {
      rows: {
        type: 'array',
        ...(maxRows === undefined ? {} : { maxItems: maxRows }),
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['assumedMasterState', 'newDocumentState'],
          properties: {
            assumedMasterState: { type: ['object', 'null'] },
            newDocumentState: { type: 'object' },
          },
        },
      },
    },
  } as const;
}
