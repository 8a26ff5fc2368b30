/**
 * Wire types of the hub's sync API (see docs/sync-protocol.md). The client's RxDB
 * replication handlers and the hub's routes both import these, so they cannot drift.
 *
 * Collections replicated: `cases` (pull + push), and read-only reference collections
 * `matters`, `orgUnits`, `calendars`, `tickets`, `supervision` (pull only).
 */
import type { CaseDoc } from '../case/caseTypes.js';

export const SYNC_COLLECTIONS = [
  'cases',
  'matters',
  'orgUnits',
  'calendars',
  'tickets',
  'supervision',
] as const;
export type SyncCollection = (typeof SYNC_COLLECTIONS)[number];

/**
 * Pull checkpoint: the store's own change sequence (CouchDB `seq`), opaque to the client.
 * A sequence cannot skip a document written concurrently, unlike a timestamp.
 */
export interface PullCheckpoint {
  seq: string;
  /**
   * The store's epoch (sync-server/src/store/storeEpoch.ts): a restored or moved store starts a
   * new one, and a checkpoint of another epoch restarts the pull. Absent on checkpoints handed
   * out before epochs existed; those are judged by their sequence alone.
   */
  epoch?: string;
}

/** GET /api/sync/:collection/pull?checkpoint=<json>&limit=<n> */
export interface PullResponse<D = unknown> {
  /** Documents in scope, plus `{ id, _deleted: true }` removals for those that left scope. */
  documents: D[];
  checkpoint: PullCheckpoint;
}

/** POST /api/sync/cases/push — body */
export interface PushRow {
  assumedMasterState: CaseDoc | null;
  newDocumentState: CaseDoc;
}
export interface PushRequest {
  rows: PushRow[];
}

export type PushRowResult =
  | { id: string; status: 'accepted'; document: CaseDoc }
  | { id: string; status: 'conflict'; code: string; message: string; master: CaseDoc }
  | {
      id: string;
      status: 'refused';
      code: string;
      message: string;
      /** Hub's current document for the case, or null when the hub has none. */
      master: CaseDoc | null;
      /** Ids of the events the hub refused. */
      refusedEventIds: string[];
    };

/** POST /api/sync/cases/push — answer: one result per row, in the same order. */
export interface PushResponse {
  results: PushRowResult[];
}

/**
 * GET /api/sync/stream (server-sent events, `Authorization: Bearer`): one `change` event
 * per change in the user's scope with data `{ collection }`, telling the client to pull;
 * `resync` after a reconnect. Heartbeat comments every 15 s.
 */
export interface StreamMessage {
  collection: SyncCollection;
}

/** Error body of every 4xx/5xx answer from the hub. */
export interface ApiError {
  code: string;
  message: string;
}
